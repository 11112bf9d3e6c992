/**
 * The end of a workshop as its learners see it, in real Chromium against the real runner, with the
 * instructor and the learner in browsers of their own: the instructor ends the class; within 5 s
 * the learner's lab page says so, offers no Resume (after a reload neither) and downloads a copy of
 * the files. In a workshop created with "Learners may keep working after the end", Resume is
 * offered after the end and works. Accessibility scans of the notice.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from '@playwright/test';
import { expect, seriousViolations, signUp, test } from './fixtures';

const labId = 'reproducible-training';
/** The e2e web server's database (playwright.config.ts). */
const e2eDatabasePath = 'test-results/e2e/academy.db';
const screenshotsDir = path.join('test-results', 'screenshots');

function makeInstructor(email: string): void {
  const db = new Database(e2eDatabasePath, { timeout: 5_000 });
  try {
    expect(db.prepare(`UPDATE "User" SET "role" = 'instructor' WHERE "email" = ?`).run(email).changes).toBe(
      1,
    );
  } finally {
    db.close();
  }
}

/** Keeps a screenshot in test-results/screenshots (the docs' pictures come from there). */
async function keepScreenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** The instructor creates a workshop of the lab on the form; its join code. */
async function createWorkshop(page: Page, title: string, learnersMayContinue: boolean): Promise<string> {
  const instructor = await signUp(page, 'Ines Instructor');
  makeInstructor(instructor.email);
  await page.goto('/instructor');
  await page.getByLabel('Title').fill(title);
  await page.getByRole('checkbox', { name: /Reproducible training/ }).check();
  const keepWorking = page.getByRole('checkbox', { name: 'Learners may keep working after the end' });
  await expect(keepWorking).not.toBeChecked();
  if (learnersMayContinue) await keepWorking.check();
  await page.getByRole('button', { name: 'Create workshop' }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(title) })).toBeVisible();
  return (await page.getByTestId('join-code').textContent())?.trim() ?? '';
}

/** A learner joins with the code and starts the lab; their lab page, ready. */
async function learnerInLab(browser: Browser, code: string): Promise<Page> {
  const learner = await newPage(browser);
  await signUp(learner, 'Lea Learner');
  await learner.goto(`/join/${code}`);
  await learner.getByRole('button', { name: /^Join “/ }).click();
  await expect(learner).toHaveURL(new RegExp(`/labs/${labId}$`));
  await learner.getByRole('button', { name: 'Start lab' }).first().click();
  await expect(learner.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', {
    timeout: 90_000,
  });
  await expect(learner.getByTestId('terminal')).toHaveAttribute('data-status', 'connected', {
    timeout: 30_000,
  });
  return learner;
}

async function endWorkshop(page: Page, title: string): Promise<number> {
  await page.getByRole('button', { name: 'End workshop' }).click();
  const confirm = page
    .getByRole('dialog', { name: new RegExp(`End “${title}”\\?`) })
    .getByRole('button', { name: 'End workshop' });
  await confirm.click();
  return Date.now();
}

test('the learner hears of the end within 5 s, cannot resume, and downloads their files', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const code = await createWorkshop(page, 'Friday class', false);
  const learner = await learnerInLab(browser, code);

  const endedAt = await endWorkshop(page, 'Friday class');
  const notice = learner.getByTestId('workshop-ended');
  await expect(notice).toContainText('Your instructor ended the workshop “Friday class”', { timeout: 5_000 });
  expect(Date.now() - endedAt).toBeLessThan(5_000);
  await expect(learner.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ended');
  await expect(learner.getByTestId('lab-controls')).toContainText('Workshop ended');
  await expect(learner.getByRole('button', { name: /Resume/ })).toHaveCount(0);
  await expect(learner.getByRole('button', { name: /Start over/ })).toHaveCount(0);
  await expect(learner.getByText('is stopped (it was idle)')).toHaveCount(0);

  // Still so once the sandbox has stopped, and after a reload.
  await expect(page.getByText('The workshop has ended; 1 sandbox stopped.')).toBeVisible({ timeout: 60_000 });
  await learner.reload();
  await expect(notice).toContainText('Your instructor ended the workshop “Friday class”');
  await expect(learner.getByRole('button', { name: /Resume/ })).toHaveCount(0);
  expect(await seriousViolations(learner, ['.monaco-editor', '.xterm'])).toEqual([]);
  await keepScreenshot(learner, 'workshop-ended-learner');

  // A copy of the files, as a zip.
  const [download] = await Promise.all([
    learner.waitForEvent('download', { timeout: 60_000 }),
    notice.getByRole('button', { name: 'Download a copy of your files' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${labId}-workspace.zip`);
  const zip = fs.readFileSync((await download.path()) ?? '');
  expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  expect(zip.includes(`${labId}/train.py`)).toBe(true);
  await expect(learner.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ended');
});

test('in a workshop that lets learners keep working, Resume is offered after the end and works', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const code = await createWorkshop(page, 'Open lab night', true);
  const learner = await learnerInLab(browser, code);

  await endWorkshop(page, 'Open lab night');
  const notice = learner.getByTestId('workshop-ended');
  await expect(notice).toContainText('Your instructor ended the workshop “Open lab night”', {
    timeout: 5_000,
  });
  await expect(notice).toContainText('You may keep working on your own');
  const resume = notice.getByRole('button', { name: 'Resume lab' });
  await expect(resume).toBeVisible({ timeout: 60_000 });
  expect(await seriousViolations(learner, ['.monaco-editor', '.xterm'])).toEqual([]);
  await resume.click();
  await expect(learner.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', {
    timeout: 90_000,
  });
  await expect(learner.getByTestId('terminal')).toHaveAttribute('data-status', 'connected', {
    timeout: 30_000,
  });
});
