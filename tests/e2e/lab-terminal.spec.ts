/**
 * Nothing typed into a fresh terminal is lost, in real Chromium against the real runner: keys typed
 * the moment the terminal appears (while it connects) arrive in order, and so do keys typed while
 * the runner is slow to attach the shell and the first connection fails before it did (simulated by
 * routing the terminal's WebSocket).
 */
import type { Locator, Page, WebSocketRoute } from '@playwright/test';
import { expect, signUp, test } from './fixtures';

const labId = 'reproducible-training';
const terminalSocket = /\/runner\/v1\/sessions\/[^/]+\/terminal\?/;

/** The text on the terminal's screen, as rendered by xterm.js. */
const screenText = (terminal: Locator) => terminal.locator('.xterm-rows');

/**
 * A command whose output shows that every key arrived, in order: a lost or swapped key makes the
 * shell print something else (a lost `e` gives "cho: command not found").
 */
const command = 'echo "$((6 * 7))-every-key"';
const commandOutput = /^42-every-key$/m;

async function startLab(page: Page) {
  await signUp(page);
  await page.goto(`/labs/${labId}`);
  await page.getByRole('button', { name: 'Start lab' }).first().click();
}

/** Focuses xterm's input as soon as it exists (clicking the screen focuses it). */
async function focusTerminal(page: Page) {
  const input = page.getByRole('textbox', { name: 'Terminal input' });
  await input.waitFor({ state: 'attached', timeout: 90_000 });
  await input.focus();
}

/** The rows xterm.js shows, one string per row, for a line-anchored match. */
async function rows(terminal: Locator): Promise<string> {
  return (await screenText(terminal).locator(':scope > div').allInnerTexts()).join('\n');
}

test('keys typed the moment a fresh terminal appears all arrive, in order', async ({ page }) => {
  test.setTimeout(120_000);
  await startLab(page);
  const terminal = page.getByTestId('terminal');
  await focusTerminal(page);
  await page.keyboard.type(`${command}\n`);
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect.poll(() => rows(terminal), { timeout: 30_000 }).toMatch(commandOutput);
});

test('keys typed while the runner is slow to attach the shell, and its first connection fails, all arrive', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The first connection opens but the shell never attaches (no output), and it is closed as the
  // runner closes one whose exec could not start; every later one goes to the runner as usual.
  let firstConnection: WebSocketRoute | null = null;
  const fromPageOnFirst: string[] = [];
  let opened: () => void = () => undefined;
  const firstOpened = new Promise<void>((resolve) => (opened = resolve));
  await page.routeWebSocket(terminalSocket, (socket) => {
    if (firstConnection) {
      socket.connectToServer();
      return;
    }
    firstConnection = socket;
    socket.onMessage((message) => fromPageOnFirst.push(String(message)));
    opened();
  });
  await startLab(page);
  const terminal = page.getByTestId('terminal');
  await firstOpened;
  await focusTerminal(page);
  await page.keyboard.type(`${command}\n`);
  // Nothing has attached yet, so nothing typed may have been spent on this connection.
  await expect(terminal).toHaveAttribute('data-status', 'connecting');
  await firstConnection!.close({ code: 1011, reason: 'The terminal could not be opened.' });

  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect.poll(() => rows(terminal), { timeout: 30_000 }).toMatch(commandOutput);
  expect(fromPageOnFirst.filter((message) => message.includes('"input"'))).toEqual([]);
});
