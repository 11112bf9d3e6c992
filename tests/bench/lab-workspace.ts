/**
 * The lab page as a learner meets it, in real Chromium against the production web app and a real
 * lab runner (real Docker, the sandbox image, the platform's own labs), each with a baseline
 * measured in the same run:
 *   - lab page → terminal ready: navigation start of /labs/<lab 1>, "Start lab", until the terminal
 *     is connected and shows the shell prompt; baseline: the same page load until "Start lab" shows.
 *   - Check round trip of lab 1 step 1 from the page; baseline: the step's two training runs
 *     (`python3 train.py` twice) exec'd straight through the runner API in the same sandbox.
 * Every sample is a fresh browser context, so a new guest learner and a new sandbox.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { projectRoot } from '@/lib/config';
import { startTestRunner, testSecret, type TestRunner } from '@/tests/support/runner';
import { startProductionServer, type RunningServer } from './server';
import { summarize, type BenchResult } from './stats';

const labId = 'reproducible-training';
const stepId = 'deterministic-run';
const samples = Number(process.env.BENCH_LAB_SAMPLES ?? 10);
const poolSize = 2;
const chromiumExecutable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const log = (message: string) => console.error(`  ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type StartSample = {
  /** Navigation start → "Start lab" visible (the page load alone). */
  pageLoadMs: number;
  /** Navigation start → terminal connected with the prompt on screen. */
  readyMs: number;
  /** Click on "Start lab" → terminal ready. */
  clickToReadyMs: number;
  /** The browser's POST /api/labs/<lab>/session, request start → response end. */
  startApiMs: number;
  startKind: string;
  sessionId: string;
};

async function waitForPool(runnerUrl: string, size: number, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${runnerUrl}/v1/health`)).json()) as { pool: number };
    if (health.pool >= size) return;
    if (Date.now() > deadline) throw new Error(`the warm pool has ${health.pool} of ${size} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** One learner opens the lab page, starts the lab and waits for the shell. Times are the page's own. */
async function startLab(page: Page, baseUrl: string): Promise<StartSample> {
  const startResponse = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/labs/${labId}/session`,
    { timeout: 120_000 },
  );
  await page.goto(`${baseUrl}/labs/${labId}`, { waitUntil: 'commit' });
  const pageLoadMs = (await (
    await page.waitForFunction(
      () => {
        const button = [...document.querySelectorAll('button')].find(
          (b) => b.textContent?.trim() === 'Start lab' && b.checkVisibility(),
        );
        return button ? performance.now() : false;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    )
  ).jsonValue()) as number;
  const clickedAt = await page.evaluate(() => {
    const button = [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Start lab' && b.checkVisibility(),
    );
    const now = performance.now();
    button!.click();
    return now;
  });
  const readyMs = (await (
    await page.waitForFunction(
      () => {
        const terminal = document.querySelector('[data-testid="terminal"]');
        if (terminal?.getAttribute('data-status') !== 'connected') return false;
        return terminal.querySelector('.xterm-rows')?.textContent?.includes('$') ? performance.now() : false;
      },
      undefined,
      { polling: 'raf', timeout: 120_000 },
    )
  ).jsonValue()) as number;
  const response = await startResponse;
  const body = (await response.json()) as { session?: { id: string; startKind: string | null } };
  if (!response.ok() || !body.session) throw new Error(`start answered ${response.status()}`);
  const startApiMs = await page.evaluate(
    ({ after, pathname }) => {
      const entry = performance
        .getEntriesByType('resource')
        .find((e) => e.startTime >= after && new URL(e.name).pathname === pathname);
      return entry ? entry.responseEnd - entry.startTime : Number.NaN;
    },
    { after: clickedAt, pathname: `/api/labs/${labId}/session` },
  );
  return {
    pageLoadMs,
    readyMs,
    clickToReadyMs: readyMs - clickedAt,
    startApiMs,
    startKind: body.session.startKind ?? 'unknown',
    sessionId: body.session.id,
  };
}

/** POST …/check from the page (same origin, the learner's cookie), timed by the page. */
async function checkFromPage(page: Page): Promise<number> {
  const { ms, status, result } = await page.evaluate(async (url) => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST' });
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
    server = await startProductionServer({ env: { RUNNER_URL: runner.url, RUNNER_SECRET: testSecret } });
    browser = await chromium.launch({
      executablePath: chromiumExecutable,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });

    const starts: StartSample[] = [];
    const checks: number[] = [];
    const direct: number[] = [];
    // One warm-up learner (not measured), then the measured ones.
    for (let i = -1; i < samples; i++) {
      await waitForPool(runner.url, poolSize);
      const context = await browser.newContext();
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
        log(
          `learner ${i + 1}: page ${start.pageLoadMs.toFixed(0)} ms, ready ${start.readyMs.toFixed(0)} ms ` +
            `(${start.startKind}, start API ${start.startApiMs.toFixed(0)} ms), ` +
            `check ${checks.at(-1)!.toFixed(0)} ms, train twice ${direct.at(-1)!.toFixed(0)} ms`,
        );
      } finally {
        await context.close();
        if (sessionId) await runner.api(`/v1/sessions/${sessionId}`, { method: 'DELETE' });
      }
    }

    const kinds = [...new Set(starts.map((s) => s.startKind))].join(', ');
    if (kinds !== 'warm') log(`start kinds: ${starts.map((s) => s.startKind).join(', ')}`);
    const pageLoads = starts.map((s) => s.pageLoadMs);
    return [
      summarize(
        `lab page → terminal ready (${kinds} start)`,
        'ms',
        starts.map((s) => s.readyMs),
        pageLoads,
      ),
      summarize(
        `lab start API call (${kinds} start)`,
        'ms',
        starts.map((s) => s.startApiMs),
        pageLoads,
      ),
      summarize('Check round trip, lab 1 step 1', 'ms', checks, direct),
    ];
  } finally {
    await browser?.close().catch((error: unknown) => log(`closing the browser: ${String(error)}`));
    await server?.stop().catch((error: unknown) => log(`stopping the web app: ${String(error)}`));
    await runner?.stop().catch((error: unknown) => log(`stopping the runner: ${String(error)}`));
  }
}
