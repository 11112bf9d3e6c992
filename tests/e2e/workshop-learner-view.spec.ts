/**
 * The instructor's read-only view of a learner's terminal, in real Chromium against the real
 * runner: drawn at the learner's terminal size (columns × rows), whatever the instructor's window,
 * scaled to fit, with no border lines or blank margins from tmux; the instructor's narrower window
 * does not narrow the learner's terminal, and the view follows when the learner's window changes. Screenshots kept in
 * test-results/screenshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from '@playwright/test';
import { expect, mutationHeaders, seriousViolations, signUp, test } from './fixtures';

const labId = 'reproducible-training';
/** The e2e web server's database (playwright.config.ts). */
const e2eDatabasePath = 'test-results/e2e/academy.db';
const screenshotsDir = path.join('test-results', 'screenshots');

async function keepScreenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

async function newPage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  return (await browser.newContext({ viewport })).newPage();
}

const screenText = (terminal: Locator) => terminal.locator('.xterm-rows');

/** What `stty size` says in the learner's shell: their terminal's rows and columns. */
async function learnerSize(learner: Page, marker: string): Promise<{ rows: number; cols: number }> {
  const terminal = learner.getByTestId('terminal');
  await terminal.click();
  await learner.keyboard.type(`echo ${marker}-$(stty size | tr ' ' x)\n`);
  const printed = new RegExp(`${marker}-(\\d+)x(\\d+)`);
  await expect(screenText(terminal)).toContainText(printed);
  const match = ((await screenText(terminal).textContent()) ?? '').match(printed);
  if (!match) throw new Error('no size printed');
  return { rows: Number(match[1]), cols: Number(match[2]) };
}

test('the read-only view draws the learner’s terminal at its own size, scaled to fit, without border lines', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });

  // An instructor's workshop of the lab, and a learner in it with a wide window (a wide terminal).
  const instructor = await signUp(page, 'Vera Viewer');
  const db = new Database(e2eDatabasePath, { timeout: 5_000 });
  try {
    db.prepare(`UPDATE "User" SET "role" = 'instructor' WHERE "email" = ?`).run(instructor.email);
  } finally {
    db.close();
  }
  const created = await page.request.post('/api/workshops', {
    headers: await mutationHeaders(page.request),
    data: {
      title: 'Watching closely',
      labs: [labId],
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 2 * 60 * 60 * 1000).toISOString(),
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { workshop } = (await created.json()) as { workshop: { id: string; code: string } };

  const learner = await newPage(browser, { width: 1920, height: 1000 });
  await signUp(learner, 'Wanda Wide');
  const joined = await learner.request.post('/api/workshops/join', {
    headers: await mutationHeaders(learner.request),
    data: { code: workshop.code },
  });
  expect(joined.status()).toBe(200);
  await learner.goto(`/labs/${labId}`);
  await learner.getByRole('button', { name: 'Start lab' }).first().click();
  await expect(learner.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', {
    timeout: 90_000,
  });
  await expect(learner.getByTestId('terminal')).toHaveAttribute('data-status', 'connected', {
    timeout: 30_000,
  });
  const before = await learnerSize(learner, 'before');
  expect(before.cols).toBeGreaterThan(100);

  // The instructor opens the view in a narrower window.
  const dashboard = `/instructor/workshops/${workshop.id}`;
  await page.goto(dashboard);
  const userId = (await page.request.get(`/api/workshops/${workshop.id}/dashboard`).then((r) => r.json()))
    .view.learners[0].userId as string;
  expect(userId).toBeTruthy();
  await page.goto(`${dashboard}/learners/${userId}`);
  const viewer = page.getByRole('group', { name: 'Terminal (read-only)' });
  await expect(viewer).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect(screenText(viewer)).toContainText(`before-${before.rows}x${before.cols}`);

  // No lines or fill from tmux around a window of another size.
  const text = (await screenText(viewer).textContent()) ?? '';
  expect(text).not.toMatch(/[─│┼┤├┬┴┌┐└┘]/);
  expect(text).not.toMatch(/·{5,}|\.{20,}/);

  // Drawn at the learner's size: as many rows and columns as theirs. (Their page shows a notice
  // while they are watched, which takes a row from their terminal: their size is measured again.)
  await expect(learner.getByTestId('viewer-notice')).toBeVisible({ timeout: 10_000 });
  const during = await learnerSize(learner, 'during');
  expect(during.cols, 'the viewer did not narrow the learner’s terminal').toBe(before.cols);
  await expect(screenText(viewer)).toContainText(`during-${during.rows}x${during.cols}`);
  await expect(viewer).toHaveAttribute('data-cols', String(during.cols));
  await expect(viewer).toHaveAttribute('data-rows', String(during.rows));
  await expect(viewer.locator('.xterm-rows > div')).toHaveCount(during.rows);

  // Scaled to fit: shrunk, and no wider than the box that holds it.
  const scale = Number(await viewer.getAttribute('data-scale'));
  expect(scale).toBeGreaterThan(0.35);
  expect(scale).toBeLessThan(1);
  const screen = await viewer.locator('.xterm-screen').boundingBox();
  const box = await viewer.locator('.xterm-screen').evaluate((element) => {
    const holder = element.closest('[role="group"]')!.firstElementChild!;
    const rect = holder.getBoundingClientRect();
    return { x: rect.x, width: rect.width, scrollWidth: holder.scrollWidth, clientWidth: holder.clientWidth };
  });
  expect(screen!.width).toBeLessThanOrEqual(box.width + 1);
  expect(box.scrollWidth, 'the view does not scroll sideways').toBeLessThanOrEqual(box.clientWidth + 1);

  expect(await seriousViolations(page, ['.xterm'])).toEqual([]);
  await keepScreenshot(page, 'workshop-learner-view-scaled');

  // The learner's window narrows: the view follows.
  await learner.setViewportSize({ width: 1100, height: 800 });
  await expect(async () => {
    const after = await learnerSize(learner, `after${Date.now() % 1000}`);
    expect(after.cols).toBeLessThan(during.cols);
    await expect(viewer).toHaveAttribute('data-cols', String(after.cols), { timeout: 2_000 });
    await expect(viewer).toHaveAttribute('data-rows', String(after.rows), { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await keepScreenshot(page, 'workshop-learner-view-followed');
});
