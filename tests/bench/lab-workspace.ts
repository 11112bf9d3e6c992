/**
 * The lab page as a learner meets it, in real Chromium against the production web app and a real
 * lab runner (real Docker, the sandbox image, the platform's own labs), each with a baseline
 * measured in the same run:
 *   - lab page → terminal ready: navigation start of /labs/<lab 1>, "Start lab", until the terminal
 *     is connected and shows the shell prompt; baseline: the same page load until "Start lab" shows.
 *   - Check round trip of lab 1 step 1 from the page; baseline: the step's two training runs
 *     (`python3 train.py` twice) exec'd straight through the runner API in the same sandbox.
 * Every sample is a fresh browser context, so a new learner (signed up through the API before the
 * clock starts) and a new sandbox.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { projectRoot } from '@/lib/config';
import { startTestRunner, testSecret, type TestRunner } from '@/tests/support/runner';
import { chromiumArgs, chromiumExecutable } from '../../playwright.config';
import { startProductionServer, type RunningServer } from './server';
import { percentile, summarize, type BenchResult } from './stats';

const labId = 'reproducible-training';
const stepId = 'deterministic-run';
const samples = 10;
const poolSize = 2;

const log = (message: string) => console.error(`  ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type StartSample = {
  /** Navigation start → "Start lab" visible (the page load alone). */
  pageLoadMs: number;
  /** Navigation start → terminal connected with the prompt on screen. */
  readyMs: number;
  /** The browser's POST /api/labs/<lab>/session, request start → response end. */
  startApiMs: number;
  /** Click → each stage: start answered, token asked and answered, socket open, first output, prompt. */
  stages: Record<Stage, number>;
  startKind: string;
  sessionId: string;
};

const stageNames = ['started', 'tokenAsked', 'tokenAnswered', 'socketOpen', 'connected', 'prompt'] as const;
type Stage = (typeof stageNames)[number];

/** What the page records, in its own clock (ms since navigation start), at the first frame it sees it. */
type Marks = {
  startVisible?: number;
  socketOpen?: number;
  connected?: number;
  prompt?: number;
};

/**
 * Installed before any page script: a requestAnimationFrame loop notes when "Start lab" shows, when
 * the terminal says connected and when the prompt is on its screen; the WebSocket's open is noted
 * too. Times are the page's own, so Playwright's round trips do not count.
 */
function recordMarks() {
  const marks: Marks = {};
  (window as unknown as { benchMarks: Marks }).benchMarks = marks;
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('open', () => (marks.socketOpen ??= performance.now()));
    }
  };
  const startButton = () =>
    [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Start lab' && b.checkVisibility(),
    );
  const tick = () => {
    const now = performance.now();
    if (marks.startVisible === undefined && startButton()) marks.startVisible = now;
    const terminal = document.querySelector('[data-testid="terminal"]');
    if (terminal?.getAttribute('data-status') === 'connected') {
      marks.connected ??= now;
      if (terminal.querySelector('.xterm-rows')?.textContent?.includes('$')) marks.prompt = now;
    }
    if (marks.prompt === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/**
 * recordMarks as a script. tsx (esbuild with keepNames) wraps named functions and classes in
 * `__name(…)` calls, a helper the page does not have: it gets a do-nothing one.
 */
const initScript = `(() => { const __name = (f) => f; (${recordMarks.toString()})(); })();`;

const readMarks = (page: Page) =>
  page.evaluate(() => (window as unknown as { benchMarks: Marks }).benchMarks);

async function waitForMark(page: Page, mark: keyof Marks, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(
    (name) => (window as unknown as { benchMarks?: Marks }).benchMarks?.[name] ?? false,
    mark,
    { polling: 50, timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as number;
}

async function waitForPool(runnerUrl: string, size: number, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${runnerUrl}/v1/health`)).json()) as { pool: number };
    if (health.pool >= size) return;
    if (Date.now() > deadline)
      throw new Error(`the warm pool has ${health.pool} of ${size} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** One learner opens the lab page, starts the lab at once and waits for the shell. */
async function startLab(page: Page, baseUrl: string): Promise<StartSample> {
  const startResponse = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/labs/${labId}/session`,
    { timeout: 120_000 },
  );
  // Read below; if anything before fails, the context closes and this rejects unheard.
  startResponse.catch(() => undefined);
  await page.goto(`${baseUrl}/labs/${labId}`, { waitUntil: 'commit' });
  const pageLoadMs = await waitForMark(page, 'startVisible', 60_000);
  const clickedAt = await page.evaluate(() => {
    const button = [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Start lab' && b.checkVisibility(),
    );
    if (!button) throw new Error('"Start lab" went away');
    const now = performance.now();
    button.click();
    return now;
  });
  const readyMs = await waitForMark(page, 'prompt', 120_000);
  const response = await startResponse;
  const body = (await response.json()) as { session?: { id: string; startKind: string | null } };
  if (!response.ok() || !body.session) throw new Error(`start answered ${response.status()}`);
  const marks = await readMarks(page);
  const [session, token] = await page.evaluate(
    ({ after, paths }) =>
      paths.map((pathname) => {
        const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find(
          (e) => e.startTime >= after && new URL(e.name).pathname === pathname,
        );
        return entry ? { start: entry.startTime, end: entry.responseEnd } : { start: NaN, end: NaN };
      }),
    { after: clickedAt, paths: [`/api/labs/${labId}/session`, `/api/labs/${labId}/token`] },
  );
  const sinceClick = (t: number | undefined) => (t ?? NaN) - clickedAt;
  return {
    pageLoadMs,
    readyMs,
    startApiMs: session!.end - session!.start,
    stages: {
      started: sinceClick(session!.end),
      tokenAsked: sinceClick(token!.start),
      tokenAnswered: sinceClick(token!.end),
      socketOpen: sinceClick(marks.socketOpen),
      connected: sinceClick(marks.connected),
      prompt: readyMs - clickedAt,
    },
    startKind: body.session.startKind ?? 'unknown',
    sessionId: body.session.id,
  };
}

/**
 * Signs a new learner up in this browser context (not measured). Each from an X-Forwarded-For
 * address of its own, which the server trusts here, so the sign-up limit per address does not trip.
 */
async function signUp(context: BrowserContext, baseUrl: string): Promise<void> {
  const api = context.request;
  const csrf = async () => {
    await api.get(`${baseUrl}/api/auth/me`);
    return (await api.storageState()).cookies.find((c) => c.name === 'academy_csrf')?.value ?? '';
  };
  const response = await api.post(`${baseUrl}/api/auth/signup`, {
    headers: {
      origin: baseUrl,
      'x-csrf-token': await csrf(),
      'x-forwarded-for': `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`,
    },
    data: {
      email: `bench-${crypto.randomUUID().slice(0, 12)}@example.com`,
      name: 'Bench Learner',
      password: 'bench password 1234',
    },
  });
  if (response.status() !== 201) throw new Error(`sign-up answered ${response.status()}`);
}

/** POST …/check from the page (same origin, the learner's cookies and CSRF token), timed by the page. */
async function checkFromPage(page: Page): Promise<number> {
  const { ms, status, result } = await page.evaluate(async (url) => {
    const csrf = /(?:^|;\s*)academy_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'x-csrf-token': csrf } });
    const body = (await response.json()) as { status?: string };
    return { ms: performance.now() - started, status: response.status, result: body.status };
  }, `/api/labs/${labId}/steps/${stepId}/check`);
  if (status !== 200) throw new Error(`check answered ${status}`);
  if (result !== 'pass' && result !== 'fail') throw new Error(`check gave "${result}"`);
  return ms;
}

/** The step's runs without the grading: `python3 train.py` twice, exec'd by the runner as the learner. */
async function trainTwiceDirect(t: TestRunner, sessionId: string): Promise<number> {
  const started = performance.now();
  const response = await t.api(`/v1/sessions/${sessionId}/exec`, {
    method: 'POST',
    json: {
      cmd: ['bash', '-lc', 'cd ~/work && python3 train.py >/dev/null && python3 train.py >/dev/null'],
      user: 'learner',
      timeoutMs: 120_000,
    },
  });
  const ms = performance.now() - started;
  const body = (await response.json()) as { exitCode?: number; stderr?: string };
  if (!response.ok || body.exitCode !== 0) {
    throw new Error(`train.py twice failed: ${response.status} ${body.exitCode} ${body.stderr ?? ''}`);
  }
  return ms;
}

/** Waits until the editor has loaded, so a check does not race the page's own start-up work. */
async function settle(page: Page): Promise<void> {
  await page
    .locator('[data-testid="code-editor"] .monaco-editor')
    .first()
    .waitFor({ timeout: 30_000 })
    .catch(() => log('the editor did not show within 30 s'));
  await sleep(300);
}

export async function benchLabWorkspace(): Promise<BenchResult[]> {
  let runner: TestRunner | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    runner = await startTestRunner({
      LABS_DIR: path.join(projectRoot, 'labs'),
      POOL_SIZE: String(poolSize),
      MAX_SESSIONS: '10',
      MAX_SESSIONS_PER_USER: '2',
    });
    server = await startProductionServer({
      env: { RUNNER_URL: runner.url, RUNNER_SECRET: testSecret, TRUST_PROXY: 'true' },
    });
    browser = await chromium.launch({
      executablePath: chromiumExecutable,
      args: chromiumArgs,
    });

    const starts: StartSample[] = [];
    const checks: number[] = [];
    const direct: number[] = [];
    // One warm-up learner (not measured), then the measured ones.
    for (let i = -1; i < samples; i++) {
      await waitForPool(runner.url, poolSize);
      const context = await browser.newContext();
      await context.addInitScript({ content: initScript });
      await signUp(context, server.url);
      let sessionId: string | undefined;
      try {
        const page = await context.newPage();
        const start = await startLab(page, server.url);
        sessionId = start.sessionId;
        await settle(page);
        // Alternate the order so neither side always runs on a just-started sandbox.
        const check = async () => checks.push(await checkFromPage(page));
        const baseline = async () => direct.push(await trainTwiceDirect(runner!, start.sessionId));
        if (i < 0) {
          await checkFromPage(page);
          await trainTwiceDirect(runner, start.sessionId);
          continue;
        }
        starts.push(start);
        if (i % 2 === 0) {
          await check();
          await baseline();
        } else {
          await baseline();
          await check();
        }
        const stages = Object.entries(start.stages)
          .map(([name, ms]) => `${name} +${ms.toFixed(0)}`)
          .join(', ');
        log(
          `learner ${i + 1}: page ${start.pageLoadMs.toFixed(0)} ms, ready ${start.readyMs.toFixed(0)} ms ` +
            `(${start.startKind}; after the click: ${stages}), ` +
            `check ${checks.at(-1)!.toFixed(0)} ms, train twice ${direct.at(-1)!.toFixed(0)} ms`,
        );
      } finally {
        await context.close();
        // Destroyed now, so sandboxes do not pile up on two cores (runner.stop() gets any left).
        if (sessionId) {
          const response = await runner.api(`/v1/sessions/${sessionId}`, { method: 'DELETE' });
          if (!response.ok) log(`destroying ${sessionId} answered ${response.status}`);
        }
      }
    }

    const kinds = [...new Set(starts.map((s) => s.startKind))];
    // Named after what happened: a start that missed the pool must not pass for a warm one.
    const pool = kinds.length === 1 && kinds[0] === 'warm' ? 'warm pool' : `starts: ${kinds.join(', ')}`;
    if (kinds.length !== 1 || kinds[0] !== 'warm') {
      log(`not every start was warm: ${starts.map((s) => s.startKind).join(', ')}`);
    }
    const medians = stageNames
      .map(
        (name) =>
          `${name} +${percentile(
            starts.map((s) => s.stages[name]),
            50,
          ).toFixed(0)}`,
      )
      .join(', ');
    log(`median stages after the click: ${medians} ms`);
    return [
      summarize(
        `lab page → terminal ready (${pool})`,
        'ms',
        starts.map((s) => s.readyMs),
        starts.map((s) => s.pageLoadMs),
      ),
      summarize(
        `Start lab click → terminal ready (${pool})`,
        'ms',
        starts.map((s) => s.stages.prompt),
        starts.map((s) => s.startApiMs),
      ),
      summarize('Check round trip, lab 1 step 1', 'ms', checks, direct),
    ];
  } finally {
    await browser?.close().catch((error: unknown) => log(`closing the browser: ${String(error)}`));
    await server?.stop().catch((error: unknown) => log(`stopping the web app: ${String(error)}`));
    await runner?.stop().catch((error: unknown) => log(`stopping the runner: ${String(error)}`));
  }
}
