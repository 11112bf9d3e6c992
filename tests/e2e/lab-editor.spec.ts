/**
 * The lab editor in real Chromium against the real runner: long lines wrap in a narrow editor (a
 * toggle and Alt+Z change it, and the learner's choice is remembered), and a save goes first even
 * while the file tree's background refreshes are slow (tree requests held by route interception).
 */
import type { Page, Route } from '@playwright/test';
import { expect, signUp, test } from './fixtures';

const labId = 'reproducible-training';

async function startLab(page: Page) {
  await signUp(page);
  await page.goto(`/labs/${labId}`);
  await page.getByRole('button', { name: 'Start lab' }).first().click();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 90_000 });
}

/** Replaces the open file's text in Monaco, as a paste would. */
async function replaceText(page: Page, text: string) {
  await page.getByTestId('code-editor').locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.evaluate((value) => {
    const data = new DataTransfer();
    data.setData('text/plain', value);
    document.activeElement?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
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

/** How far the code can scroll sideways, in pixels, read from Monaco itself (0: it all fits). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const monaco = (
      window as unknown as {
        monaco?: {
          editor: { getEditors(): { getScrollWidth(): number; getLayoutInfo(): { contentWidth: number } }[] };
        };
      }
    ).monaco;
    const editor = monaco?.editor.getEditors()[0];
    if (!editor) throw new Error('no Monaco editor on the page');
    return Math.max(0, editor.getScrollWidth() - editor.getLayoutInfo().contentWidth);
  });
}

const longLine = `print(${Array.from({ length: 30 }, (_, i) => `"column number ${i}"`).join(', ')})\n`;

test('long lines wrap in a narrow editor; Alt+Z and the toggle change it, and the choice is remembered', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await startLab(page);
  const editor = page.getByTestId('code-editor');
  await page.getByRole('tree', { name: 'Files' }).getByRole('treeitem', { name: 'train.py' }).click();
  await expect(editor).toHaveAttribute('data-active-file', 'train.py', { timeout: 30_000 });
  const wrap = page.getByRole('button', { name: 'Word wrap' });

  // About 690 px of code: too narrow for a long line, so it wraps by default.
  await replaceText(page, longLine);
  await expect(wrap).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => sidewaysOverflow(page)).toBe(0);

  // Alt+Z in the editor turns it off, as in VS Code: the line now runs off to the right.
  await page.keyboard.press('Alt+Z');
  await expect(wrap).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => sidewaysOverflow(page)).toBeGreaterThan(100);

  // The learner's choice outlives a reload, even in a pane narrow enough to wrap by default.
  await page.keyboard.press('ControlOrMeta+S');
  await expect(editor).toHaveAttribute('data-dirty', 'false', { timeout: 45_000 });
  await page.reload();
  await expect(editor).toHaveAttribute('data-active-file', 'train.py', { timeout: 30_000 });
  await expect.poll(() => editorText(page, 'train.py'), { timeout: 30_000 }).toBe(longLine);
  await expect(wrap).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => sidewaysOverflow(page)).toBeGreaterThan(100);

  // The button turns it back on.
  await wrap.click();
  await expect(wrap).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => sidewaysOverflow(page)).toBe(0);
});

test('a save goes first while the file tree refreshes slowly', async ({ page }) => {
  test.setTimeout(180_000);
  await startLab(page);
  const editor = page.getByTestId('code-editor');
  await page.getByRole('tree', { name: 'Files' }).getByRole('treeitem', { name: 'train.py' }).click();
  await expect(editor).toHaveAttribute('data-active-file', 'train.py', { timeout: 30_000 });

  // From now on the runner "takes forever" to list the files: each tree request is held.
  const held: Route[] = [];
  await page.route(/\/files\/tree$/, (route) => void held.push(route));
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect.poll(() => held.length).toBeGreaterThan(0);

  const text = `# saved while the tree was slow\n${longLine}`;
  await replaceText(page, text);
  await expect(editor).toHaveAttribute('data-dirty', 'true');
  await page.keyboard.press('ControlOrMeta+S');
  await expect(editor).toHaveAttribute('data-dirty', 'false', { timeout: 10_000 });

  // The refreshes carry on once the runner answers, and the file on disk is the saved text.
  await page.unroute(/\/files\/tree$/);
  for (const route of held) await route.continue().catch(() => undefined);
  const terminal = page.getByTestId('terminal');
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await terminal.click();
  await page.keyboard.type('head -n 1 train.py\n');
  await expect(terminal.locator('.xterm-rows')).toContainText('# saved while the tree was slow', {
    timeout: 30_000,
  });
});
