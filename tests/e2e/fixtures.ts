import { test as base, expect } from '@playwright/test';

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
