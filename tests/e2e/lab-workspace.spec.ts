/**
 * A learner does lab 1 in real Chromium against the real runner and Docker: start, terminal,
 * Monaco, Check (fail, then pass), a page reload (terminal reconnects, editor keeps the file), and
 * Reset; at the limit of running sandboxes, the page names them and stops the one picked.
 * Screenshots of the workspace are kept in test-results/screenshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, seriousViolations, signUp, test } from './fixtures';

const labId = 'reproducible-training';

const labDir = path.join('labs', labId);
const starter = fs.readFileSync(path.join(labDir, 'workspace', 'train.py'), 'utf8');
const fixed = fs.readFileSync(path.join(labDir, 'solution', '01', 'train.py'), 'utf8');
const screenshotsDir = path.join('test-results', 'screenshots');

async function keepScreenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

/** The text on the terminal's screen, as rendered by xterm.js. */
const screenText = (terminal: Locator) => terminal.locator('.xterm-rows');

/** The content of the editor's model for `file`, read from Monaco itself. */
async function editorText(page: Page, file: string): Promise<string | undefined> {
  return page.evaluate((name) => {
    const monaco = (
      window as unknown as {
        monaco?: { editor: { getModels(): { uri: { path: string }; getValue(): string }[] } };
      }
    ).monaco;
    return monaco?.editor
      .getModels()
      .find((m) => m.uri.path.endsWith(`/${name}`))
      ?.getValue();
  }, file);
}

/**
 * Whether the elements are set with ligatures: "off" when `font-variant-ligatures` is none or the
 * font features turn off "liga" and "calt" (as Monaco does), else the settings found.
 */
async function ligatures(elements: Locator): Promise<string[]> {
  return elements.evaluateAll((nodes) => [
    ...new Set(
      nodes.map((node) => {
        const style = getComputedStyle(node);
        const features = style.fontFeatureSettings;
        return style.fontVariantLigatures === 'none' ||
          (/"liga" 0/.test(features) && /"calt" 0/.test(features))
          ? 'off'
          : `${style.fontVariantLigatures} | ${features}`;
      }),
    ),
  ]);
}

/** Pastes text into the focused element, as Ctrl+V from the clipboard would (no auto-indent). */
async function paste(page: Page, text: string) {
  await page.evaluate((value) => {
    const data = new DataTransfer();
    data.setData('text/plain', value);
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    document.activeElement?.dispatchEvent(event);
  }, text);
}

async function startLab(page: Page) {
  await signUp(page);
  await page.goto(`/labs/${labId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Reproducible training' })).toBeVisible();
  await page.getByRole('button', { name: 'Start lab' }).first().click();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 90_000 });
}

test('a learner starts lab 1, runs the script, fixes it in Monaco and passes the first check', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // Keeps the page's WebSockets reachable, so the test can drop one as a network blip would.
  await page.addInitScript(() => {
    const sockets: WebSocket[] = [];
    (window as unknown as { academySockets: WebSocket[] }).academySockets = sockets;
    const Original = window.WebSocket;
    window.WebSocket = class extends Original {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
  await startLab(page);

  // The terminal: run the script and read its output.
  const terminal = page.getByTestId('terminal');
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await terminal.click();
  await page.keyboard.type('python3 train.py\n');
  await expect(screenText(terminal)).toContainText('saved the model to model.joblib', { timeout: 30_000 });
  await expect(screenText(terminal)).toContainText('mae:');
  // No ligatures in the terminal: ">=" stays the two characters a learner types.
  expect(await ligatures(screenText(terminal).locator('span'))).toEqual(['off']);

  // The editor opened train.py (the lab's first file) and shows the starter.
  const editor = page.getByTestId('code-editor');
  await page.getByRole('tree', { name: 'Files' }).getByRole('treeitem', { name: 'train.py' }).click();
  await expect(editor).toHaveAttribute('data-active-file', 'train.py');
  await expect.poll(() => editorText(page, 'train.py')).toBe(starter);
  expect(await ligatures(editor.locator('.view-lines'))).toEqual(['off']);
  await keepScreenshot(page, 'lab-workspace-started');

  // Check before the fix: not yet.
  const check = page.getByRole('button', { name: 'Check', exact: true });
  await check.click();
  const result = page.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-status', 'fail', { timeout: 60_000 });
  await keepScreenshot(page, 'lab-check-failed');

  // Apply the fix in Monaco, save with Ctrl+S.
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await paste(page, fixed);
  await expect(editor).toHaveAttribute('data-dirty', 'true');
  await page.keyboard.press('ControlOrMeta+S');
  await expect(editor).toHaveAttribute('data-dirty', 'false', { timeout: 45_000 });
  expect(await editorText(page, 'train.py')).toBe(fixed);

  // Check after the fix: passed, and the step is marked done.
  await check.click();
  await expect(result).toHaveAttribute('data-status', 'pass', { timeout: 60_000 });
  await expect(page.getByRole('navigation', { name: 'Steps' })).toContainText('1 of 3 steps done');
  await keepScreenshot(page, 'lab-check-passed');
  expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);

  // A network blip: the terminal's socket drops; the banner shows and it reconnects by itself.
  await page.evaluate(() => {
    for (const socket of (window as unknown as { academySockets: WebSocket[] }).academySockets)
      socket.close();
  });
  await expect(terminal).toHaveAttribute('data-status', /reconnecting|connecting/);
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await terminal.click();
  await page.keyboard.type('echo back-after-blip\n');
  await expect(screenText(terminal)).toContainText('back-after-blip');

  // Reload: the terminal re-attaches to the same shell, the editor shows the saved file.
  await page.reload();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 30_000 });
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect(screenText(terminal)).toContainText('saved the model to model.joblib');
  await expect(editor).toHaveAttribute('data-active-file', 'train.py');
  await expect.poll(() => editorText(page, 'train.py')).toBe(fixed);
  // The page opens on the first step not done yet; step 1 keeps its stored result.
  const steps = page.getByRole('navigation', { name: 'Steps' });
  await expect(steps.getByRole('button', { name: /2\. Record the environment/ })).toHaveAttribute(
    'aria-current',
    'step',
  );
  await steps.getByRole('button', { name: /1\. Make training deterministic \(done\)/ }).click();
  await expect(page.getByTestId('check-result')).toHaveAttribute('data-status', 'pass');

  // Reset restores the starter files (after a confirmation); the completed step stays completed.
  await page.getByRole('button', { name: 'Reset' }).click();
  await page
    .getByRole('dialog', { name: 'Reset the lab?' })
    .getByRole('button', { name: 'Reset my files' })
    .click();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
  await expect.poll(() => editorText(page, 'train.py'), { timeout: 20_000 }).toBe(starter);
  await expect(page.getByRole('navigation', { name: 'Steps' })).toContainText('1 of 3 steps done');
  await keepScreenshot(page, 'lab-after-reset');

  // Stop keeps the files; coming back later offers to resume where the learner left off.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'stopped', {
    timeout: 60_000,
  });
  await page.reload();
  const prompt = page.getByTestId('resume-prompt');
  await expect(prompt).toContainText('Welcome back');
  await expect(prompt).toContainText('You have done 1 of 3 steps');
  await keepScreenshot(page, 'lab-resume-prompt');
  await prompt.getByRole('button', { name: 'Resume lab' }).click();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect.poll(() => editorText(page, 'train.py'), { timeout: 20_000 }).toBe(starter);
});

test('a learner completes every step of lab 1 in the browser, and the catalog says so', async ({ page }) => {
  test.setTimeout(240_000);
  await startLab(page);
  const editor = page.getByTestId('code-editor');
  const steps = page.getByRole('navigation', { name: 'Steps' });
  const stepIds = ['deterministic-run', 'record-environment', 'write-metrics'];
  for (const [index, stepId] of stepIds.entries()) {
    // Type the step's solution into the editor, file by file, and save each.
    const folder = path.join(labDir, 'solution', String(index + 1).padStart(2, '0'));
    for (const file of fs.readdirSync(folder)) {
      const content = fs.readFileSync(path.join(folder, file), 'utf8');
      await page.getByRole('tree', { name: 'Files' }).getByRole('treeitem', { name: file }).click();
      await expect(editor).toHaveAttribute('data-active-file', file);
      await editor.locator('.monaco-editor .view-lines').click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await paste(page, content);
      await page.keyboard.press('ControlOrMeta+S');
      // A save waits its turn behind the editor's background refreshes: slow on a loaded machine.
      await expect(editor).toHaveAttribute('data-dirty', 'false', { timeout: 45_000 });
      await expect.poll(() => editorText(page, file)).toBe(content);
    }
    await steps.getByRole('button', { name: new RegExp(`^${index + 1}\\. `) }).click();
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(page.getByTestId('check-result'), stepId).toHaveAttribute('data-status', 'pass', {
      timeout: 60_000,
    });
    await expect(steps).toContainText(`${index + 1} of 3 steps done`);
  }
  await expect(page.getByTestId('lab-complete')).toBeVisible();
  await keepScreenshot(page, 'lab-completed');
  await page.goto('/labs');
  await expect(page.getByTestId(`lab-status-${labId}`)).toHaveText('Completed');
});

test('the lab catalog shows each lab with its chapter, duration and the learner status', async ({ page }) => {
  await signUp(page);
  await page.goto('/labs');
  const item = page.getByRole('listitem').filter({ hasText: 'Reproducible training' });
  await expect(item.getByRole('link', { name: /Chapter 1/ })).toBeVisible();
  await expect(item).toContainText('30 min');
  await expect(page.getByTestId(`lab-status-${labId}`)).toHaveText('Not started');
  expect(await seriousViolations(page)).toEqual([]);
  await item.getByRole('link', { name: 'Reproducible training' }).click();
  await expect(page).toHaveURL(new RegExp(`/labs/${labId}$`));
  await expect(page.getByTestId('start-prompt')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Steps' })).toContainText('0 of 3 steps done');
  // Monaco's and xterm's own markup is theirs; the workspace around them is ours to keep accessible.
  expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);
});

test('the lab API refuses cross-site requests and unknown labs with a clear 4xx', async ({ request }) => {
  const signedOut = await request.get(`/api/labs/${labId}/session`);
  expect(signedOut.status()).toBe(401);
  expect(await signedOut.json()).toMatchObject({ error: 'NOT_SIGNED_IN' });

  const { mutationHeaders: headers } = await signUp(request);
  const crossSite = await request.post(`/api/labs/${labId}/session`, {
    headers: { ...headers, origin: 'http://evil.example' },
  });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.json()).toMatchObject({ error: 'CROSS_SITE' });

  const unknown = await request.post('/api/labs/no-such-lab/session', { headers });
  expect(unknown.status()).toBe(404);

  const notStarted = await request.post(`/api/labs/${labId}/steps/deterministic-run/check`, { headers });
  expect(notStarted.status()).toBe(409);
  expect(await notStarted.json()).toMatchObject({ error: 'LAB_NOT_STARTED' });

  const badBody = await request.post(`/api/labs/${labId}/progress`, {
    headers: { ...headers, 'content-type': 'application/json' },
    data: '{"currentStep": 5}',
  });
  expect(badBody.status()).toBe(400);

  const runnerOnly = await request.get('/runner/v1/sessions');
  expect(runnerOnly.status()).toBe(404);
});

test('checks are stored per learner and rate-limited: one at a time, with a clear 429', async ({
  request,
}) => {
  test.setTimeout(120_000);
  const { mutationHeaders: headers } = await signUp(request);
  const started = await request.post(`/api/labs/${labId}/session`, { headers });
  expect(started.status()).toBe(200);
  const { session } = (await started.json()) as { session: { id: string; state: string } };
  expect(session.state).toBe('ready');
  try {
    const checkUrl = `/api/labs/${labId}/steps/deterministic-run/check`;
    const [first, second] = await Promise.all([
      request.post(checkUrl, { headers }),
      new Promise((resolve) => setTimeout(resolve, 300)).then(() => request.post(checkUrl, { headers })),
    ]);
    expect(first.status()).toBe(200);
    expect(await first.json()).toMatchObject({ stepId: 'deterministic-run', status: 'fail' });
    expect(second.status()).toBe(429);
    expect(second.headers()['retry-after']).toBeDefined();
    expect(await second.json()).toMatchObject({ error: 'TOO_MANY_CHECKS', message: /already running/ });

    // The stored result comes back with the learner's progress.
    const state = (await (await request.get(`/api/labs/${labId}/session`)).json()) as {
      progress: { steps: Record<string, { status: string; attempts: number; last: { status: string } }> };
    };
    expect(state.progress.steps['deterministic-run']).toMatchObject({
      status: 'failed',
      attempts: 1,
      last: { status: 'fail' },
    });
  } finally {
    await request.post(`/api/labs/${labId}/session/stop`, { headers });
  }
});

test('at the limit of running sandboxes, the page names the running labs and stops the one the learner picks', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const { mutationHeaders: headers } = await signUp(page);
  const running = ['reproducible-training', 'experiment-tracking'];
  try {
    for (const lab of running) {
      const started = await page.request.post(`/api/labs/${lab}/session`, { headers });
      expect(started.status(), await started.text()).toBe(200);
    }
    // The start route says which labs hold the learner's sandboxes.
    const refused = await page.request.post('/api/labs/model-registry/session', { headers });
    expect(refused.status()).toBe(409);
    expect(await refused.json()).toMatchObject({
      error: 'TOO_MANY_SESSIONS',
      runningLabs: [
        { id: 'experiment-tracking', title: 'Experiment tracking' },
        { id: 'reproducible-training', title: 'Reproducible training' },
      ],
    });

    await page.goto('/labs/model-registry');
    await page.getByRole('button', { name: 'Start lab' }).first().click();
    const notice = page.getByRole('alert').filter({ hasText: 'sandboxes running' });
    await expect(notice).toContainText('Reproducible training');
    await expect(notice).toContainText('Experiment tracking');
    await expect(notice.getByRole('button', { name: 'Try again' })).toHaveCount(0);
    await keepScreenshot(page, 'lab-too-many-sandboxes');
    expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);

    // Stopping one frees a place, and the start goes on by itself.
    await notice.getByRole('button', { name: 'Stop Reproducible training and start this lab' }).click();
    await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', {
      timeout: 120_000,
    });
    const stopped = (await (await page.request.get(`/api/labs/${labId}/session`)).json()) as {
      session: { state: string };
    };
    expect(stopped.session.state).toBe('stopped');
    running.push('model-registry');
  } finally {
    for (const lab of running) await page.request.post(`/api/labs/${lab}/session/stop`, { headers });
  }
});
