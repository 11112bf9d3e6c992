/**
 * Joining a workshop in one step, in real Chromium: a visitor on the join link signs up and is in
 * the workshop without pressing Join again; someone with an account logs in and joins the same
 * way. Both land in the workshop's first lab in the course's order (not the alphabetical first,
 * nor the order the labs were ticked in), and the lab page names the workshop.
 */
import Database from 'better-sqlite3';
import { request as playwrightRequest, type Browser, type Page } from '@playwright/test';
import { expect, mutationHeaders, seriousViolations, signUp, test } from './fixtures';

/** The e2e web server's database (playwright.config.ts). */
const e2eDatabasePath = 'test-results/e2e/academy.db';
const title = 'Join in one step';

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/**
 * An instructor's workshop of two labs, listed alphabetically as the form sends them: Experiment
 * tracking (chapter 2) before Reproducible training (chapter 1). Its join code.
 */
async function createWorkshop(page: Page): Promise<string> {
  const instructor = await signUp(page, 'Ivy Instructor');
  const db = new Database(e2eDatabasePath, { timeout: 5_000 });
  try {
    db.prepare(`UPDATE "User" SET "role" = 'instructor' WHERE "email" = ?`).run(instructor.email);
  } finally {
    db.close();
  }
  const response = await page.request.post('/api/workshops', {
    headers: await mutationHeaders(page.request),
    data: {
      title,
      labs: ['experiment-tracking', 'reproducible-training'],
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 2 * 60 * 60 * 1000).toISOString(),
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { workshop: { code: string } }).workshop.code;
}

test('a visitor signs up and joins in one step, and lands in the first lab of the course with the workshop named', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const code = await createWorkshop(page);

  const visitor = await newPage(browser);
  await visitor.goto(`/join/${code}`);
  await expect(visitor.getByTestId('workshop-title')).toHaveText(title);
  expect(await seriousViolations(visitor)).toEqual([]);
  await visitor.getByLabel('Email').fill(`one-step-${Date.now()}@example.com`);
  await visitor.getByLabel('Name').fill('Olga One-Step');
  await visitor.getByLabel('Password').fill('a browser password');
  await visitor.getByRole('button', { name: 'Sign up and join' }).click();

  // No second Join: straight into Reproducible training (chapter 1), the course's first.
  await expect(visitor).toHaveURL(/\/labs\/reproducible-training$/, { timeout: 15_000 });
  await expect(visitor.getByTestId('workshop-banner')).toContainText(`Workshop “${title}”`);
  await expect(visitor.getByTestId('start-prompt')).toBeVisible();

  // The join page now says they are in, and opens the same lab.
  await visitor.goto(`/join/${code}`);
  await expect(visitor.getByText('You are in this workshop.')).toBeVisible();
  await expect(visitor.getByRole('link', { name: 'Open Reproducible training' })).toBeVisible();
});

test('someone with an account logs in and joins in one step', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const code = await createWorkshop(page);
  const api = await playwrightRequest.newContext({ baseURL: test.info().project.use.baseURL });
  const account = await signUp(api, 'Lars Login');
  await api.dispose();

  const visitor = await newPage(browser);
  await visitor.goto(`/join/${code}`);
  await visitor.getByRole('button', { name: 'Log in and join instead' }).click();
  await expect(visitor.getByLabel('Name')).toHaveCount(0);
  await visitor.getByLabel('Email').fill(account.email);
  await visitor.getByLabel('Password').fill(account.password);
  await visitor.getByRole('button', { name: 'Log in and join', exact: true }).click();
  await expect(visitor).toHaveURL(/\/labs\/reproducible-training$/, { timeout: 15_000 });
  await expect(visitor.getByTestId('workshop-banner')).toContainText(`Workshop “${title}”`);

  // A wrong password says so and joins nothing.
  const stranger = await newPage(browser);
  await stranger.goto(`/join/${code}`);
  await stranger.getByRole('button', { name: 'Log in and join instead' }).click();
  await stranger.getByLabel('Email').fill(account.email);
  await stranger.getByLabel('Password').fill('not the password at all');
  await stranger.getByRole('button', { name: 'Log in and join', exact: true }).click();
  await expect(stranger.getByRole('alert').filter({ hasText: /./ })).toBeVisible();
  await expect(stranger).toHaveURL(new RegExp(`/join/${code}$`));
});
