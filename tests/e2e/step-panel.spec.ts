/**
 * The step panel as a tutor, in real Chromium: hints that stay with their step, the hint for what
 * the last check found offered first, a restored check that says when it ran, Check and the step
 * buttons in view after a long failure at 1280×720, starting step 2 from the reference state (step
 * 1 skipped), a step that ticks green by itself after a save, copying a step's solution only after
 * a confirmation naming the files it replaces and adds, and headings in a step's text kept smaller
 * than the step's title. Results the learner made earlier are written straight into the e2e
 * server's database; the rest runs against the real runner.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from '@playwright/test';
import { loadLab } from '@/lab-runner/api/lab-loader';
import { expect, signUp, test } from './fixtures';

const labId = 'reproducible-training';
const labDir = path.join('labs', labId);
const lab = loadLab(labId, { labsDir: 'labs' });
const [stepOne, stepTwo, stepThree] = lab.steps;
if (!stepOne || !stepTwo || !stepThree) throw new Error(`${labId} needs three steps`);
/** The e2e web server's database (playwright.config.ts). */
const e2eDatabasePath = 'test-results/e2e/academy.db';

const generalHint = (step: typeof stepOne, index = 0) => step.hints.filter((hint) => !hint.when)[index]!.text;
/** How a hint's text reads on the page: its backticks become code elements. */
const shownText = (text: string) => text.replaceAll('`', '');

type StoredDetail = { name: string; status: 'pass' | 'fail'; message: string };

/** A check the learner made earlier, as the check route stores it. */
function storeCheck(userId: string, stepId: string, minutesAgo: number, details: StoredDetail[]) {
  const db = new Database(e2eDatabasePath, { timeout: 5_000 });
  try {
    db.prepare(
      `INSERT INTO "LabStepResult" ("id", "userId", "labId", "stepId", "status", "message", "details", "durationMs", "createdAt")
       VALUES (?, ?, ?, ?, 'fail', ?, ?, 2345, ?)`,
    ).run(
      crypto.randomUUID(),
      userId,
      labId,
      stepId,
      'Two runs of train.py did not agree; see the details below and fix each one.',
      JSON.stringify(details),
      new Date(Date.now() - minutesAgo * 60_000).toISOString().replace('Z', '+00:00'),
    );
  } finally {
    db.close();
  }
}

async function signedUpUserId(page: Page): Promise<string> {
  await signUp(page);
  const me = (await (await page.request.get('/api/auth/me')).json()) as { user: { id: string } };
  return me.user.id;
}

async function startLab(page: Page) {
  await signUp(page);
  await page.goto(`/labs/${labId}`);
  await page.getByRole('button', { name: 'Start lab' }).first().click();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 90_000 });
}

const stepButton = (page: Page, number: number) =>
  page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: new RegExp(`^${number}\\. `) });

/** Check, Previous and Next are on screen, and the step text keeps at least 40% of the pane. */
async function expectUsablePanel(page: Page) {
  for (const name of ['Check', '← Previous', 'Next step →']) {
    await expect(page.getByRole('button', { name, exact: true })).toBeInViewport();
  }
  const pane = await page.locator('#pane-instructions').boundingBox();
  const text = await page.getByRole('article').boundingBox();
  expect(pane && text, 'the instructions pane and the step text are laid out').toBeTruthy();
  expect(text!.height / pane!.height).toBeGreaterThanOrEqual(0.4);
}

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

/** Replaces the open file's text in Monaco, as a paste would, and saves it with Ctrl+S. */
async function typeAndSave(page: Page, editor: Locator, content: string) {
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.evaluate((value) => {
    const data = new DataTransfer();
    data.setData('text/plain', value);
    document.activeElement?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, content);
  await page.keyboard.press('ControlOrMeta+S');
  await expect(editor).toHaveAttribute('data-dirty', 'false', { timeout: 45_000 });
}

test('each step keeps its own hints while the learner moves between steps', async ({ page }) => {
  await signUp(page);
  await page.goto(`/labs/${labId}`);
  await stepButton(page, 3).click();
  const hints = page.getByRole('region', { name: 'Hints' });
  await hints.getByRole('button', { name: /Show a hint/ }).click();
  await expect(hints).toContainText(shownText(generalHint(stepThree)));

  for (const number of [1, 2, 3, 1]) await stepButton(page, number).click();
  await expect(page.getByRole('heading', { level: 2, name: stepOne.title })).toBeVisible();
  await expect(hints).toHaveCount(1);
  await expect(hints).not.toContainText(shownText(generalHint(stepThree)));
  await expect(
    hints.getByRole('button', { name: `Show a hint (1 of ${stepOne.hints.length - 1})` }),
  ).toBeVisible();
});

test('a check restored from an earlier visit says when it ran, and a long one leaves the buttons in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const userId = await signedUpUserId(page);
  const details: StoredDetail[] = [
    'same metrics in both runs',
    'same model in both runs',
    'metrics describe the model',
    'model learned from the data',
  ].map((name) => ({
    name,
    status: 'fail',
    message: `${name}: the two runs differed (mae 3.683 vs 3.712); something random in train.py is still unseeded, so look at every line that shuffles or samples rows, and at the model.`,
  }));
  storeCheck(userId, stepOne.id, 5, details);
  await page.goto(`/labs/${labId}`);

  const result = page.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-status', 'fail');
  await expect(result).toContainText('Checked 5 min ago');
  await expect(result).not.toContainText('Checked in');
  await expectUsablePanel(page);
  // The hint for the first failing detail comes first.
  await page.getByRole('button', { name: `Show a hint (1 of ${stepOne.hints.length})` }).click();
  const stateHint = stepOne.hints.find((hint) => hint.when === 'same metrics in both runs');
  await expect(page.getByRole('region', { name: 'Hints' })).toContainText(`Hint 1. ${stateHint!.text}`);
});

test('after a failing Check in the sandbox, the hint for what it found is offered first and the buttons stay in view', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await startLab(page);
  await expect(
    page.getByRole('button', { name: `Show a hint (1 of ${stepOne.hints.length - 1})` }),
  ).toBeVisible();

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  const result = page.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-status', 'fail', { timeout: 90_000 });
  await expect(result).toContainText(/Checked in \d+\.\d s/);
  await expectUsablePanel(page);

  const hints = page.getByRole('region', { name: 'Hints' });
  await hints.getByRole('button', { name: `Show a hint (1 of ${stepOne.hints.length})` }).click();
  const stateHint = stepOne.hints.find((hint) => hint.when === 'same metrics in both runs');
  await expect(hints).toContainText(`Hint 1. ${stateHint!.text}`);
  await hints.getByRole('button', { name: 'Show another hint' }).click();
  await expect(hints).toContainText(`Hint 2. ${shownText(generalHint(stepOne))}`);
});

test('a learner starts step 2 from the reference state, then step 2 ticks green by itself after a save', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const checksPressed: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && /\/steps\/[^/]+\/check$/.test(request.url()))
      checksPressed.push(request.url());
  });
  await startLab(page);
  const editor = page.getByTestId('code-editor');
  await expect(editor).toHaveAttribute('data-active-file', 'train.py', { timeout: 30_000 });

  await stepButton(page, 2).click();
  await page.getByRole('button', { name: 'Start this step with the earlier steps solved…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start at step 2 with the earlier steps solved?' });
  await expect(dialog).toContainText('This replaces train.py');
  await expect(dialog).toContainText(`1. ${stepOne.title}`);
  await dialog.getByRole('button', { name: 'Replace the files and start here' }).click();

  const reference = fs.readFileSync(path.join(labDir, 'solution', '01', 'train.py'), 'utf8');
  await expect.poll(() => editorText(page, 'train.py'), { timeout: 20_000 }).toBe(reference);
  await expect(stepButton(page, 1)).toHaveAttribute('data-status', 'skipped');
  await expect(stepButton(page, 1)).toHaveAccessibleName(`1. ${stepOne.title} (skipped)`);
  await expect(page.getByRole('heading', { level: 2, name: stepTwo.title })).toBeVisible();

  // Step 2 checks itself: writing the lock and saving is enough.
  await page.getByRole('tree', { name: 'Files' }).getByRole('treeitem', { name: 'requirements.txt' }).click();
  await expect(editor).toHaveAttribute('data-active-file', 'requirements.txt');
  await typeAndSave(
    page,
    editor,
    fs.readFileSync(path.join(labDir, 'solution', '02', 'requirements.txt'), 'utf8'),
  );
  await expect(stepButton(page, 2)).toHaveAttribute('data-status', 'passed', { timeout: 60_000 });
  const result = page.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-status', 'pass');
  await expect(result).toHaveAttribute('data-automatic', 'true');
  await expect(page.locator('[aria-live="polite"]').filter({ has: result })).toContainText('Passed');
  expect(checksPressed).toEqual([]);
});

test('copying a solution asks first, naming the files it replaces and the ones it adds', async ({ page }) => {
  test.setTimeout(240_000);
  await startLab(page);
  const editor = page.getByTestId('code-editor');
  await expect(editor).toHaveAttribute('data-active-file', 'train.py', { timeout: 30_000 });
  const starter = fs.readFileSync(path.join(labDir, 'workspace', 'train.py'), 'utf8');
  await expect.poll(() => editorText(page, 'train.py')).toBe(starter);

  const revealAndCopy = async () => {
    await page.getByRole('button', { name: 'Reveal the solution…' }).click();
    await page
      .getByRole('dialog', { name: 'Reveal the solution?' })
      .getByRole('button', { name: 'Reveal the solution' })
      .click();
    await page.getByRole('button', { name: 'Copy the solution into my workspace' }).click();
    return page.getByRole('dialog', { name: 'Copy the solution into your workspace?' });
  };

  // Step 1: the learner's train.py differs from the reference, so it would be replaced.
  const replacing = await revealAndCopy();
  await expect(replacing).toContainText('This replaces train.py');
  await expect(replacing).not.toContainText('adds');
  await replacing.getByRole('button', { name: 'Cancel' }).click();
  await expect(replacing).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'in your workspace now' })).toHaveCount(0);
  expect(await editorText(page, 'train.py')).toBe(starter);

  // Step 2's file was deleted by the learner: copying adds it, and replaces nothing.
  const terminal = page.getByTestId('terminal');
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await terminal.click();
  await page.keyboard.type('rm requirements.txt && echo removed-it\n');
  await expect(terminal.locator('.xterm-rows')).toContainText('removed-it');
  await stepButton(page, 2).click();
  const adding = await revealAndCopy();
  await expect(adding).toContainText('This adds requirements.txt');
  await expect(adding).not.toContainText('replaces');
  await adding.getByRole('button', { name: 'Copy into my workspace' }).click();
  // Step 2 checks itself after the command above (and again after the copy), and file operations
  // wait while the sandbox is checked: 10-30 s on a loaded machine.
  await expect(
    page.getByRole('status').filter({ hasText: 'The solution files are in your workspace now.' }),
  ).toBeVisible({ timeout: 90_000 });
  await expect(
    page.getByRole('tree', { name: 'Files' }).getByRole('treeitem', { name: 'requirements.txt' }),
  ).toBeVisible({ timeout: 90_000 });
});

test('headings in a step’s text are never larger than the step’s title', async ({ page }) => {
  await page.goto('/labs/experiment-tracking');
  await expect(page.getByTestId('signin-prompt')).toBeVisible();
  const article = page.getByRole('article');
  const title = article.getByRole('heading', { level: 2, name: 'Log a training run' });
  const prose = article.locator('.prose');
  // The step's text has ## headings; an author may also write # and ###.
  await prose.evaluate((element) => {
    for (const level of [3, 1]) {
      const heading = document.createElement(`h${level}`);
      heading.textContent = `A level-${level} heading in the step`;
      element.prepend(heading);
    }
  });
  const fontSize = (heading: Locator) =>
    heading.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
  const titleSize = await fontSize(title);
  const sizes: Record<number, number> = {};
  for (const level of [1, 2, 3]) {
    const headings = prose.getByRole('heading', { level });
    await expect(headings.first()).toBeVisible();
    sizes[level] = Math.max(...(await Promise.all((await headings.all()).map(fontSize))));
    expect(sizes[level], `h${level} in the step's text`).toBeLessThanOrEqual(titleSize);
  }
  expect(sizes[2]).toBeLessThanOrEqual(sizes[1]!);
  expect(sizes[3]).toBeLessThanOrEqual(sizes[2]!);
  expect(sizes[3]).toBeLessThan(titleSize);
});
