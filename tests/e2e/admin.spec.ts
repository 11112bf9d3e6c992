/**
 * An admin in the browser: logs in, sees the overview, promotes a learner to instructor, resets a
 * learner's password and hands over the temporary one, finds a learner's running sandbox with its
 * memory and stops it, then destroys it after the confirmation; accessibility scans of the pages.
 * The admin is made the way an operator would, with `npm run admin:create`.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, mutationHeaders, seriousViolations, signUp, test, type TestAccount } from './fixtures';

const labId = 'reproducible-training';
/** The e2e web server's database (playwright.config.ts). */
const e2eDatabaseUrl = 'file:./test-results/e2e/academy.db';

/** An admin account in the e2e server's database, made by `npm run admin:create`. */
function createAdmin(): { email: string; password: string } {
  const email = `admin-${crypto.randomUUID().slice(0, 12)}@example.com`;
  const password = `admin password ${crypto.randomUUID().slice(0, 8)}`;
  const result = spawnSync(
    process.execPath,
    [
      '--conditions=react-server',
      '--import',
      'tsx',
      'scripts/admin-create.ts',
      '--email',
      email,
      '--name',
      'E2E Admin',
      '--password-stdin',
    ],
    { input: password, encoding: 'utf8', env: { ...process.env, DATABASE_URL: e2eDatabaseUrl } },
  );
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  return { email, password };
}

async function logIn(page: Page, email: string, password: string, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(new RegExp(`${next}$`));
}

async function searchUsers(page: Page, text: string) {
  const main = page.getByRole('main');
  await main.getByRole('searchbox', { name: 'Search by email or name' }).fill(text);
  await main.getByRole('button', { name: 'Search', exact: true }).click();
}

async function roleOf(api: APIRequestContext): Promise<string | undefined> {
  const body = (await (await api.get('/api/auth/me')).json()) as { user: { role: string } | null };
  return body.user?.role;
}

test('an admin promotes a learner, resets a password, and stops and destroys a running sandbox', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const admin = createAdmin();
  const promoted = await playwright.request.newContext({ baseURL });
  const forgetful = await playwright.request.newContext({ baseURL });
  const busy = await playwright.request.newContext({ baseURL });
  const [promotedAccount, forgetfulAccount, busyAccount]: TestAccount[] = await Promise.all([
    signUp(promoted, 'Promoted Learner'),
    signUp(forgetful, 'Forgetful Learner'),
    signUp(busy, 'Busy Learner'),
  ]);
  const started = await busy.post(`/api/labs/${labId}/session`, { headers: await mutationHeaders(busy) });
  expect(started.status(), await started.text()).toBe(200);

  // The overview: accounts by role and the runner's capacity.
  await logIn(page, admin.email, admin.password, '/admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Capacity' })).toBeVisible();
  await expect(page.getByText('Sandboxes in use (MAX_SESSIONS)')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // Promote a learner to instructor: the change applies to their open session at once.
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await searchUsers(page, promotedAccount!.email);
  await expect(page.getByText('1 account found')).toBeVisible();
  const roleSelect = page.getByRole('combobox', { name: `Role of ${promotedAccount!.email}` });
  await expect(roleSelect).toHaveValue('learner');
  await roleSelect.selectOption('instructor');
  await expect(page.getByText('Now instructor.')).toBeVisible();
  expect(await roleOf(promoted)).toBe('instructor');
  expect(await seriousViolations(page)).toEqual([]);

  // Reset a password: confirmed first, shown once, copyable; the learner's session is over.
  await searchUsers(page, forgetfulAccount!.email);
  await expect(page.getByText('1 account found')).toBeVisible();
  await page.getByRole('button', { name: `Reset password of ${forgetfulAccount!.email}` }).click();
  const confirmation = page.getByRole('dialog', {
    name: `Reset the password of ${forgetfulAccount!.email}?`,
  });
  await expect(confirmation).toBeVisible();
  await confirmation.getByRole('button', { name: 'Reset password' }).click();
  const shown = page.getByRole('dialog', { name: `Temporary password for ${forgetfulAccount!.email}` });
  await expect(shown).toBeVisible();
  const temporary = await shown.getByLabel('Temporary password').inputValue();
  expect(temporary).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  await expect(shown.getByRole('button', { name: 'Copy' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();
  expect(await roleOf(forgetful)).toBeUndefined();
  const relogin = await forgetful.post('/api/auth/login', {
    headers: await mutationHeaders(forgetful),
    data: { email: forgetfulAccount!.email, password: temporary },
  });
  expect(relogin.status()).toBe(200);

  // The running sandbox, with its owner, lab and memory; Stop keeps it, Destroy asks first.
  await page
    .getByRole('navigation', { name: 'Administration' })
    .getByRole('link', { name: 'Sandboxes' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sandboxes' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: busyAccount!.email });
  await expect(row).toHaveCount(1);
  await expect(row.getByText('Running')).toBeVisible();
  await expect(row.getByRole('cell').nth(6)).toHaveText(/^\d+(\.\d)? (MB|GB)$/);
  expect(await seriousViolations(page)).toEqual([]);

  await row.getByRole('button', { name: `Stop the sandbox of ${busyAccount!.email}` }).click();
  await expect(row.getByText('Stopped')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Stopped the sandbox of' })).toBeVisible();
  const afterStop = (await (await busy.get(`/api/labs/${labId}/session`)).json()) as {
    session: { state: string } | null;
  };
  expect(afterStop.session?.state).toBe('stopped');

  await row.getByRole('button', { name: `Destroy the sandbox of ${busyAccount!.email}` }).click();
  const destroy = page.getByRole('dialog', { name: `Destroy the sandbox of ${busyAccount!.email}?` });
  await expect(destroy).toContainText('every file they changed is lost');
  await destroy.getByRole('button', { name: 'Destroy sandbox' }).click();
  await expect(row).toHaveCount(0);
  const afterDestroy = (await (await busy.get(`/api/labs/${labId}/session`)).json()) as { session: unknown };
  expect(afterDestroy.session).toBeNull();

  await Promise.all([promoted.dispose(), forgetful.dispose(), busy.dispose()]);
});

test('the sandboxes page refreshes by itself when a learner starts a lab', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const admin = createAdmin();
  await logIn(page, admin.email, admin.password, '/admin/sandboxes');
  const learner = await playwright.request.newContext({ baseURL });
  const account = await signUp(learner, 'Late Learner');
  const row = page.getByRole('row').filter({ hasText: account.email });
  await expect(row).toHaveCount(0);
  const started = await learner.post(`/api/labs/${labId}/session`, {
    headers: await mutationHeaders(learner),
  });
  expect(started.status(), await started.text()).toBe(200);
  await expect(row.getByText('Running')).toBeVisible({ timeout: 15_000 });
  await expect(row.getByRole('cell').nth(6)).toHaveText(/ (MB|GB)$/);

  const { session } = (await started.json()) as { session: { id: string } };
  const destroyed = await page.request.delete(`/api/admin/sandboxes/${session.id}`, {
    headers: await mutationHeaders(page.request),
  });
  expect(destroyed.status()).toBe(204);
  await expect(row).toHaveCount(0, { timeout: 15_000 });
  await learner.dispose();
});
