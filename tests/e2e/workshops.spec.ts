/**
 * A workshop in real Chromium against the real runner and Docker: an instructor creates it; two
 * learners join with the code in browsers of their own (one signs up and joins in one step on the join link); one
 * completes a step of lab 1 and the instructor's dashboard shows it within 5 s; the grades export
 * has it; the instructor watches the learner's terminal read-only (what the learner typed shows,
 * what the instructor types does not reach it) while the learner sees that they are being viewed;
 * ending the workshop stops the sandbox. Accessibility scans of the instructor's pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from '@playwright/test';
import { expect, seriousViolations, signUp, test } from './fixtures';

const labId = 'reproducible-training';
const stepId = 'deterministic-run';
/** The e2e web server's database (playwright.config.ts). */
const e2eDatabasePath = 'test-results/e2e/academy.db';

const screenshotsDir = path.join('test-results', 'screenshots');

/** Keeps a screenshot in test-results/screenshots (the docs' pictures come from there). */
async function keepScreenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

/** Instructors are made by an admin; here, straight in the e2e server's database. */
function makeInstructor(email: string): void {
  const db = new Database(e2eDatabasePath, { timeout: 5_000 });
  try {
    const changed = db
      .prepare(`UPDATE "User" SET "role" = 'instructor' WHERE "email" = ?`)
      .run(email).changes;
    expect(changed).toBe(1);
  } finally {
    db.close();
  }
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** The text on a terminal's screen, as rendered by xterm.js. */
const screenText = (terminal: Locator) => terminal.locator('.xterm-rows');

test('an instructor runs a workshop: two learners join, one passes a step, the dashboard, CSV and read-only view show it', async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  // Tall enough for the dashboard and the learner view in one screenshot each.
  await page.setViewportSize({ width: 1280, height: 1300 });

  // The instructor creates the workshop.
  const instructor = await signUp(page, 'Grace Instructor');
  makeInstructor(instructor.email);
  await page.goto('/instructor');
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel('Title').fill('MLOps day one');
  await page.getByRole('checkbox', { name: /Reproducible training/ }).check();
  await page.getByRole('button', { name: 'Create workshop' }).click();
  await expect(page).toHaveURL(/\/instructor\/workshops\/[\w-]+$/);
  await expect(page.getByRole('heading', { level: 1, name: /MLOps day one/ })).toBeVisible();
  const code = (await page.getByTestId('join-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z2-9]{6}$/);
  await expect(page.getByTestId('join-link')).toHaveAttribute('href', `/join/${code}`);
  await expect(page.getByTestId('no-learners')).toBeVisible();

  // Learner 1 follows the join link, signs up and joins in one step, and lands in the first lab.
  const ada = await newPage(browser);
  await ada.goto(`/join/${code}`);
  await expect(ada.getByTestId('workshop-title')).toHaveText('MLOps day one');
  const adaEmail = `ada-${Date.now()}@example.com`;
  await ada.getByLabel('Email').fill(adaEmail);
  await ada.getByLabel('Name').fill('Ada Learner');
  await ada.getByLabel('Password').fill('a browser password');
  await ada.getByRole('button', { name: 'Sign up and join' }).click();
  await expect(ada).toHaveURL(new RegExp(`/labs/${labId}$`));

  // Learner 2 (already signed up) types the code on /join, in lower case.
  const bob = await newPage(browser);
  const bobAccount = await signUp(bob, 'Bob Learner');
  await bob.goto('/join');
  await bob.getByLabel('Workshop code').fill(code.toLowerCase());
  await bob.getByRole('button', { name: 'Continue' }).click();
  await bob.getByRole('button', { name: 'Join “MLOps day one”' }).click();
  await expect(bob).toHaveURL(new RegExp(`/labs/${labId}$`));

  // Both appear on the instructor's dashboard without a reload.
  const grid = page.getByTestId('workshop-grid');
  await expect(grid.locator(`tr[data-learner="${adaEmail}"]`)).toBeVisible({ timeout: 5_000 });
  await expect(grid.locator(`tr[data-learner="${bobAccount.email}"]`)).toBeVisible({ timeout: 5_000 });
  const adaRow = grid.locator(`tr[data-learner="${adaEmail}"]`);
  const adaCell = adaRow.locator(`td[data-step="${labId}/${stepId}"]`);
  await expect(adaCell).toHaveAttribute('data-status', 'not-tried');
  await expect(adaCell).toContainText('Not tried');

  // Ada starts the lab and types in her terminal; the dashboard sees her sandbox running.
  await ada.getByRole('button', { name: 'Start lab' }).first().click();
  await expect(ada.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 90_000 });
  const adaTerminal = ada.getByTestId('terminal');
  await expect(adaTerminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await adaTerminal.click();
  await ada.keyboard.type('echo typed-by-ada-$((6*7))\n');
  await expect(screenText(adaTerminal)).toContainText('typed-by-ada-42');
  await expect(adaRow.getByTestId('sandbox-state')).toHaveText('Running', { timeout: 5_000 });

  // She copies the step's solution into her workspace and passes the check.
  await ada.getByRole('button', { name: 'Reveal the solution…' }).click();
  await ada
    .getByRole('dialog', { name: 'Reveal the solution?' })
    .getByRole('button', { name: 'Reveal the solution' })
    .click();
  await ada.getByRole('button', { name: 'Copy the solution into my workspace' }).click();
  // Copying asks first, naming the files it replaces.
  const copying = ada.getByRole('dialog', { name: 'Copy the solution into your workspace?' });
  await expect(copying).toContainText('This replaces train.py');
  await copying.getByRole('button', { name: 'Copy into my workspace' }).click();
  await expect(ada.getByText('The solution files are in your workspace now.')).toBeVisible({
    timeout: 60_000,
  });
  await ada.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(ada.getByTestId('check-result')).toHaveAttribute('data-status', 'pass', { timeout: 60_000 });

  // Within 5 s the instructor's grid says so, with the solution shown.
  await expect(adaCell).toHaveAttribute('data-status', 'passed', { timeout: 5_000 });
  await expect(adaCell).toContainText('Passed');
  await expect(adaCell).toContainText('Solution shown');
  await expect(
    grid.locator(`tr[data-learner="${bobAccount.email}"] td[data-step="${labId}/${stepId}"]`),
  ).toHaveAttribute('data-status', 'not-tried');
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, 'workshop-dashboard');

  // The grades export has it.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export grades (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^mlops-day-one-grades-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path()) ?? '', 'utf8');
  const lines = csv.split('\r\n');
  expect(lines[0]).toContain(`email,name,${labId}/${stepId},`);
  expect(lines.find((line) => line.startsWith(adaEmail))).toMatch(
    new RegExp(`^${adaEmail.replaceAll('.', '\\.')},Ada Learner,pass,—,—,1,1,\\d{4}-`),
  );
  expect(lines.find((line) => line.startsWith(bobAccount.email))).toContain(',Bob Learner,—,—,—,0,0,');

  // The instructor watches Ada's terminal and files, read-only; Ada is told.
  await adaRow.getByRole('link', { name: 'View Ada Learner’s terminal and files' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ada Learner' })).toBeVisible();
  const viewerTerminal = page.getByRole('group', { name: 'Terminal (read-only)' });
  await expect(viewerTerminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
  await expect(screenText(viewerTerminal)).toContainText('typed-by-ada-42');
  await expect(ada.getByTestId('viewer-notice')).toContainText('Your instructor is viewing your terminal', {
    timeout: 5_000,
  });

  // What Ada types next shows up for the instructor; what the instructor types goes nowhere.
  await adaTerminal.click();
  await ada.keyboard.type('echo second-line-$((5*5))\n');
  await expect(screenText(viewerTerminal)).toContainText('second-line-25');
  await viewerTerminal.click();
  await page.keyboard.type('echo instructor-typed-$((2*2))\n');
  await adaTerminal.click();
  await ada.keyboard.type('echo probe-$((3*3))\n');
  await expect(screenText(adaTerminal)).toContainText('probe-9');
  await expect(screenText(adaTerminal)).not.toContainText('instructor-typed');

  // Her files, read-only.
  const files = page.getByTestId('learner-files');
  await files.getByRole('button', { name: 'train.py' }).click();
  await expect(page.getByTestId('learner-file-content')).toContainText('random_state');
  expect(await seriousViolations(page, ['.xterm'])).toEqual([]);
  await page.evaluate(() => window.scrollTo(0, 0));
  await keepScreenshot(page, 'workshop-learner-view');
  await keepScreenshot(ada, 'workshop-learner-viewed');

  // Leaving the view: Ada's notice goes away.
  await page.goto('/instructor');
  await expect(ada.getByTestId('viewer-notice')).toHaveCount(0, { timeout: 10_000 });

  // Ending the workshop stops Ada's sandbox; nobody new can join.
  await page.getByRole('link', { name: 'MLOps day one' }).click();
  await page.getByRole('button', { name: 'End workshop' }).click();
  await page
    .getByRole('dialog', { name: /End “MLOps day one”\?/ })
    .getByRole('button', { name: 'End workshop' })
    .click();
  await expect(page.getByText('The workshop has ended; 1 sandbox stopped.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('workshop-status')).toHaveText('Ended');
  await expect(adaRow.getByTestId('sandbox-state')).toHaveText('Stopped', { timeout: 5_000 });

  const late = await newPage(browser);
  await signUp(late, 'Late Learner');
  await late.goto(`/join/${code}`);
  await expect(late.getByRole('main').getByRole('alert')).toContainText('This workshop has ended');
});
