import crypto from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

const localHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Every e2e test runs with the offline guard: a request to anything but localhost is aborted and
 * fails the test. Classrooms may be air-gapped, so the platform must never need the internet.
 */
export const test = base.extend<{ offlineGuard: void }>({
  offlineGuard: [
    async ({ context }, use) => {
      const escaped: string[] = [];
      await context.route(
        (url) =>
          url.protocol.startsWith('http') || url.protocol.startsWith('ws')
            ? !localHosts.has(url.hostname)
            : false,
        async (route) => {
          escaped.push(route.request().url());
          await route.abort('blockedbyclient');
        },
      );
      await use();
      expect(escaped, 'requests that left localhost').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export type TestAccount = {
  email: string;
  name: string;
  password: string;
  /** For API calls that change something: the page's Origin and the CSRF token. */
  mutationHeaders: Record<string, string>;
};

function baseUrlOf(): string {
  const baseURL = test.info().project.use.baseURL;
  if (!baseURL) throw new Error('the Playwright config has no baseURL');
  return baseURL;
}

/** The Origin and CSRF headers a page of ours would send, for the cookies `api` holds now. */
export async function mutationHeaders(api: APIRequestContext): Promise<Record<string, string>> {
  const cookies = (await api.storageState()).cookies;
  let csrf = cookies.find((cookie) => cookie.name === 'academy_csrf')?.value;
  if (!csrf) {
    await api.get('/api/auth/me');
    csrf = (await api.storageState()).cookies.find((cookie) => cookie.name === 'academy_csrf')?.value;
  }
  return { origin: baseUrlOf(), 'x-csrf-token': csrf ?? '' };
}

/**
 * A new learner, signed up through the API and logged in: in the page's browser context when given
 * a Page (the page's next navigation is logged in), else in that API context. Each sign-up comes
 * from an X-Forwarded-For address of its own, which the e2e server trusts (TRUST_PROXY), so the
 * limit on sign-ups per address does not trip over the suite's many learners.
 */
export async function signUp(target: Page | APIRequestContext, name = 'E2E Learner'): Promise<TestAccount> {
  const api = 'request' in target ? target.request : target;
  const account = {
    email: `e2e-${crypto.randomUUID().slice(0, 12)}@example.com`,
    name,
    password: 'e2e password 1234',
  };
  const response = await api.post('/api/auth/signup', {
    headers: {
      ...(await mutationHeaders(api)),
      'x-forwarded-for': `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`,
    },
    data: account,
  });
  expect(response.status(), await response.text()).toBe(201);
  return { ...account, mutationHeaders: await mutationHeaders(api) };
}

/**
 * The serious and critical WCAG 2.1 A/AA violations axe finds on the page (none is the goal), one
 * readable line each; `exclude` leaves out parts axe cannot judge (e.g. a terminal's canvas).
 */
export async function seriousViolations(page: Page, exclude: string[] = []): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  for (const selector of exclude) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
}
