/**
 * Accounts in the browser: sign up, log out, log in, the header's account menu, the way back to a
 * lab after logging in (`?next=`), form errors announced, a hostile name shown as text, and
 * accessibility scans of the two forms.
 */
import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, seriousViolations, signUp, test } from './fixtures';

const labId = 'reproducible-training';
const password = 'a browser password';

const newEmail = () => `browser-${crypto.randomUUID().slice(0, 12)}@example.com`;
const header = (page: Page) => page.getByRole('banner');
/** The form's alert (Next.js's route announcer is an alert too, outside the main content). */
const formAlert = (page: Page) => page.getByRole('main').getByRole('alert');
const accountButton = (page: Page) => header(page).getByRole('button', { name: /^Account menu for / });

async function fillSignUp(page: Page, details: { email: string; name: string; password: string }) {
  await page.getByLabel('Email').fill(details.email);
  await page.getByLabel('Name').fill(details.name);
  await page.getByLabel('Password').fill(details.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

async function fillLogIn(page: Page, email: string, secret: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(secret);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('a visitor signs up, logs out and logs in again, and the header shows who they are', async ({
  page,
}) => {
  const email = newEmail();
  await page.goto('/learn');
  await header(page).getByRole('link', { name: 'Sign up' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign up' })).toBeVisible();
  await fillSignUp(page, { email, name: 'Ada Lovelace', password });

  // Back where they came from, logged in: the header has their name and a menu.
  await expect(page).toHaveURL(/\/learn$/);
  await expect(accountButton(page)).toContainText('Ada Lovelace');
  await accountButton(page).click();
  await expect(accountButton(page)).toHaveAttribute('aria-expanded', 'true');
  await expect(header(page).getByRole('link', { name: 'My progress' })).toBeVisible();
  await expect(header(page).getByRole('link', { name: 'Instructor' })).toHaveCount(0);
  await expect(header(page).getByRole('link', { name: 'Admin' })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(accountButton(page)).toHaveAttribute('aria-expanded', 'false');
  await expect(accountButton(page)).toBeFocused();

  // Log out: the header offers to log in again, and a reload agrees.
  await accountButton(page).click();
  await header(page).getByRole('button', { name: 'Log out' }).click();
  await expect(header(page).getByRole('link', { name: 'Log in' })).toBeVisible();
  await page.reload();
  await expect(header(page).getByRole('link', { name: 'Log in' })).toBeVisible();
  await expect(accountButton(page)).toHaveCount(0);

  // A wrong password is announced; the right one logs in.
  await header(page).getByRole('link', { name: 'Log in' }).click();
  await fillLogIn(page, email, 'not my password');
  await expect(formAlert(page)).toHaveText('Wrong email or password.');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(accountButton(page)).toContainText('Ada Lovelace');
});

test('a visitor opening a lab is asked to log in, and comes back to the lab afterwards', async ({
  page,
  request,
}) => {
  // An account made elsewhere (its own API context): this browser is not logged in.
  const account = await signUp(request, 'Returning Learner');
  await page.goto(`/labs/${labId}`);
  const prompt = page.getByTestId('signin-prompt');
  await expect(prompt.getByRole('heading', { name: 'Log in or sign up to start this lab' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start lab' })).toHaveCount(0);
  // The instructions stay readable.
  await expect(page.getByRole('navigation', { name: 'Steps' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /Make training deterministic/ })).toBeVisible();

  await prompt.getByRole('link', { name: 'Log in' }).click();
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent(`/labs/${labId}`)}`);
  await fillLogIn(page, account.email, account.password);
  await expect(page).toHaveURL(new RegExp(`/labs/${labId}$`));
  await expect(page.getByTestId('start-prompt').getByRole('button', { name: 'Start lab' })).toBeVisible();
  await expect(accountButton(page)).toContainText('Returning Learner');
});

test('the sign-up form says what is wrong, in an alert', async ({ page, request }) => {
  const taken = await signUp(request);
  await page.goto('/signup');
  await fillSignUp(page, { email: newEmail(), name: 'Short Password', password: 'short' });
  await expect(formAlert(page)).toHaveText('Use at least 10 characters for your password.');
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-describedby', /.+ .+/);
  expect(await seriousViolations(page)).toEqual([]);
  await fillSignUp(page, { email: taken.email, name: 'Same Email', password });
  await expect(formAlert(page)).toHaveText('An account with this email already exists. Log in instead.');
});

test('a name with HTML in it is shown as text, never run', async ({ page }) => {
  const name = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  await page.goto('/signup');
  await fillSignUp(page, { email: newEmail(), name, password });
  await expect(page.getByTestId('account-name')).toHaveText(name);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect(header(page).locator('img, script')).toHaveCount(0);
});

test('the log-in and sign-up pages pass an accessibility scan', async ({ page }) => {
  for (const path of ['/login', '/signup']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(header(page).getByRole('link', { name: 'Log in' })).toBeVisible();
    expect(await seriousViolations(page), path).toEqual([]);
  }
});

test('a ?next= pointing at another site is ignored', async ({ page, request }) => {
  const account = await signUp(request);
  await page.goto('/login?next=//evil.example/steal');
  await fillLogIn(page, account.email, account.password);
  await expect(page).toHaveURL(/\/learn$/);
});

test('a visitor reading the course map and a chapter makes no request that fails and logs no error', async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  for (const path of ['/learn', '/learn/01-mlops-fundamentals']) {
    await page.goto(path);
    await expect(header(page).getByRole('link', { name: 'Log in' })).toBeVisible();
    await page.waitForLoadState('networkidle');
  }
  // Reading on to the end of the chapter asks nothing either.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForLoadState('networkidle');
  expect(problems).toEqual([]);
});

for (const who of ['a visitor', 'a signed-in learner'] as const) {
  test(`the header keeps its height when the account corner appears, for ${who}`, async ({ page }) => {
    if (who === 'a signed-in learner') await signUp(page, 'Height Check');
    // Hold the answer to "who is this?" so the header can be measured before and after it.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/api/auth/me', async (route) => {
      await answered;
      await route.continue();
    });
    await page.goto('/learn');
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const before = (await header(page).boundingBox())?.height;
    answer();
    const corner =
      who === 'a visitor' ? header(page).getByRole('link', { name: 'Sign up' }) : accountButton(page);
    await expect(corner).toBeVisible();
    const after = (await header(page).boundingBox())?.height;
    expect(before).toBeGreaterThan(0);
    expect(after).toBe(before);
  });
}

test('"Forgot password?" on a platform without mail says who can reset it and how', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('main').getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeVisible();
  const help = page.getByTestId('no-mail');
  await expect(help).toContainText('the instructor of your workshop');
  await expect(help).toContainText('an administrator of this platform');
  await expect(help).toContainText('Log in with the temporary password');
  await expect(page.getByRole('button', { name: 'Send me a link' })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);

  // A reset link that is not (or no longer) valid says so and offers a new one.
  await page.goto(`/reset-password?token=${'x'.repeat(43)}`);
  await expect(page.getByTestId('reset-link-invalid')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute(
    'href',
    '/forgot-password',
  );
  expect(await seriousViolations(page)).toEqual([]);
});
