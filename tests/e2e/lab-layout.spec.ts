/**
 * The lab page's layout in real Chromium: it fits the window at every size (the page never
 * scrolls; the panes do), the split layout at 1440×900 and 1280×720 with panes big enough to work
 * in, tabs on a phone (390×844), and the split sizes remembered per learner. Each size's
 * screenshots are attached to its test's results.
 */
import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect, seriousViolations, signUp, test } from './fixtures';

const labId = 'reproducible-training';

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** The document never scrolls, either way, and the site header stays at the top. */
async function expectFitsWindow(page: Page) {
  const fit = await page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
    innerHeight: window.innerHeight,
    innerWidth: window.innerWidth,
    scrollY: window.scrollY,
  }));
  expect(fit.height, 'the page is no taller than the window').toBeLessThanOrEqual(fit.innerHeight);
  expect(fit.width, 'the page is no wider than the window').toBeLessThanOrEqual(fit.innerWidth);
  expect(fit.scrollY).toBe(0);
  expect((await page.locator('header.site-header').boundingBox())?.y).toBe(0);
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${locator} is not laid out`);
  return found;
}

async function startLab(page: Page) {
  await signUp(page);
  await page.goto(`/labs/${labId}`);
  await page.getByRole('button', { name: 'Start lab' }).first().click();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 90_000 });
}

/** Types a command into the terminal and waits for its output. */
async function expectTerminalTypeable(page: Page) {
  const terminal = page.getByTestId('terminal');
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await terminal.click();
  await page.keyboard.type('echo "layout-$((20 + 22))"\n');
  await expect(terminal.locator('.xterm-rows')).toContainText('layout-42', { timeout: 30_000 });
}

/** Opens train.py from the tree, types into Monaco, and undoes it. */
async function expectEditorUsable(page: Page) {
  const editor = page.getByTestId('code-editor');
  await page.getByRole('tree', { name: 'Files' }).getByRole('treeitem', { name: 'train.py' }).click();
  await expect(editor).toHaveAttribute('data-active-file', 'train.py', { timeout: 30_000 });
  await expect(editor.locator('.monaco-editor .view-lines')).toBeInViewport();
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.type('#layout');
  await expect(editor).toHaveAttribute('data-dirty', 'true');
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(editor).toHaveAttribute('data-dirty', 'false');
}

async function expectCheckReachable(page: Page) {
  const check = page.getByRole('button', { name: 'Check', exact: true });
  await expect(check).toBeInViewport();
  await expect(check).toBeEnabled();
}

test('the lab page fits the window at every size: the page never scrolls, its panes do', async ({ page }) => {
  await signUp(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/labs/${labId}`);
  await expect(page.getByTestId('start-prompt')).toBeVisible();
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
    [1024, 600],
    [768, 1024],
    [390, 844],
    [844, 390],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expectFitsWindow(page);
    // A click in the page (as a learner's first click into the panes) scrolls nothing.
    await page.mouse.click(width / 2, height - 10);
    await expectFitsWindow(page);
  }
});

test('at 1440×900 the instructions, the editor and the terminal sit side by side, each usable', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await startLab(page);
  const instructions = await box(page.locator('#pane-instructions'));
  const editor = await box(page.getByTestId('code-editor'));
  const terminal = await box(page.getByTestId('terminal'));
  expect(instructions.width).toBeGreaterThanOrEqual(360);
  expect(editor.x).toBeGreaterThanOrEqual(instructions.x + instructions.width);
  expect(editor.width).toBeGreaterThanOrEqual(480);
  expect(editor.height).toBeGreaterThanOrEqual(360);
  expect(terminal.y).toBeGreaterThanOrEqual(editor.y + editor.height);
  expect(terminal.height).toBeGreaterThanOrEqual(220);
  await expectCheckReachable(page);
  await expectTerminalTypeable(page);
  await expectEditorUsable(page);
  await expectFitsWindow(page);
  await attachScreenshot(page, testInfo, 'lab-1440x900');
  expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);
});

test('at 1280×720 the split layout keeps every pane big enough to work in', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await startLab(page);
  const instructions = await box(page.locator('#pane-instructions'));
  const editor = await box(page.getByTestId('code-editor'));
  const terminal = await box(page.getByTestId('terminal'));
  expect(instructions.width).toBeGreaterThanOrEqual(340);
  expect(editor.width).toBeGreaterThanOrEqual(420);
  expect(editor.height).toBeGreaterThanOrEqual(300);
  expect(terminal.height).toBeGreaterThanOrEqual(180);
  // The step text keeps room to read above the check bar.
  expect((await box(page.getByRole('article'))).height).toBeGreaterThanOrEqual(200);
  await expectCheckReachable(page);
  await expectTerminalTypeable(page);
  await expectEditorUsable(page);
  await expectFitsWindow(page);
  await attachScreenshot(page, testInfo, 'lab-1280x720');
});

test('on a phone (390×844) tabs switch between the instructions, the editor and the terminal', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await startLab(page);
  const tabs = page.getByRole('tablist', { name: 'Workspace' });
  await expect(tabs.getByRole('tab')).toHaveText(['Instructions', 'Editor', 'Terminal']);
  const tab = (name: string) => tabs.getByRole('tab', { name, exact: true });
  await expect(tab('Instructions')).toHaveAttribute('aria-selected', 'true');

  // Instructions: the step and its Check, nothing else.
  await expect(page.getByRole('article')).toBeInViewport();
  await expectCheckReachable(page);
  await expect(page.getByTestId('terminal')).toBeHidden();
  await expect(page.getByTestId('code-editor')).toBeHidden();
  await expectFitsWindow(page);
  await attachScreenshot(page, testInfo, 'lab-390x844-instructions');

  // The terminal, full width.
  await tab('Terminal').click();
  await expect(page.getByRole('article')).toBeHidden();
  const terminal = await box(page.getByTestId('terminal'));
  expect(terminal.width).toBeGreaterThanOrEqual(380);
  expect(terminal.height).toBeGreaterThanOrEqual(400);
  await expectTerminalTypeable(page);
  await expectFitsWindow(page);
  await attachScreenshot(page, testInfo, 'lab-390x844-terminal');

  // The editor: the files above the code.
  await tab('Editor').click();
  await expect(page.getByTestId('terminal')).toBeHidden();
  await expectEditorUsable(page);
  const editor = await box(page.getByTestId('code-editor'));
  expect(editor.width).toBeGreaterThanOrEqual(380);
  expect(editor.height).toBeGreaterThanOrEqual(300);
  await expectFitsWindow(page);
  await attachScreenshot(page, testInfo, 'lab-390x844-editor');

  // Back to the instructions: the step is where it was, Check still at hand.
  await tab('Instructions').click();
  await expectCheckReachable(page);
  expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);
});

test('on a phone, a lab with services gets a tab for each service page', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUp(page);
  await page.goto('/labs/experiment-tracking');
  const tabs = page.getByRole('tablist', { name: 'Workspace' });
  await expect(tabs.getByRole('tab')).toHaveText([
    'Instructions',
    'Editor',
    'Experiments',
    'Models',
    'Terminal',
  ]);
  await tabs.getByRole('tab', { name: 'Experiments' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Experiments' })).toBeVisible();
  await expectFitsWindow(page);
});

test('the split sizes are remembered for the learner, and only for them', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signUp(page);
  await page.goto(`/labs/${labId}`);
  await expect(page.getByTestId('start-prompt')).toBeVisible();
  const instructions = page.locator('#pane-instructions');
  const editorPane = page.locator('#pane-editor');
  const defaults = {
    width: (await box(instructions)).width,
    height: (await box(editorPane)).height,
  };

  // Resize with the keyboard, as a learner may: wider instructions, a taller terminal.
  const columns = page.getByRole('separator', {
    name: 'Resize the instructions',
  });
  const rows = page.getByRole('separator', { name: 'Resize the terminal' });
  await columns.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await rows.focus();
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowUp');
  const chosen = {
    width: (await box(instructions)).width,
    height: (await box(editorPane)).height,
  };
  expect(chosen.width).toBeGreaterThan(defaults.width + 40);
  expect(chosen.height).toBeLessThan(defaults.height - 40);

  // Sizes are compared to the pixel: rounding may differ by one.
  const offBy = async (pane: Locator, side: 'width' | 'height', size: number) =>
    Math.abs((await box(pane))[side] - size);
  await page.reload();
  await expect(page.getByTestId('start-prompt')).toBeVisible();
  await expect.poll(() => offBy(instructions, 'width', chosen.width)).toBeLessThanOrEqual(1);
  await expect.poll(() => offBy(editorPane, 'height', chosen.height)).toBeLessThanOrEqual(1);

  // Another learner in this browser starts from the default sizes.
  await signUp(page, 'Another Learner');
  await page.reload();
  await expect(page.getByRole('button', { name: /Another Learner/ })).toBeVisible();
  expect(await offBy(instructions, 'width', defaults.width)).toBeLessThanOrEqual(1);
  expect(await offBy(editorPane, 'height', defaults.height)).toBeLessThanOrEqual(1);
});
