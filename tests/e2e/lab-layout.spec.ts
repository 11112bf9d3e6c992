/**
 * The lab page's layout in real Chromium: it fits the window at every size (the page never
 * scrolls; the panes do).
 */
import type { Page } from '@playwright/test';
import { expect, signUp, test } from './fixtures';

const labId = 'reproducible-training';

/** The document never scrolls, either way, and the site header stays at the top. */
async function expectFitsWindow(page: Page) {
  const fit = await page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
    innerHeight: window.innerHeight,
    innerWidth: window.innerWidth,
    scrollY: window.scrollY,
  }));
  expect(fit.height, 'the page is no taller than the window').toBeLessThanOrEqual(fit.innerHeight);
  expect(fit.width, 'the page is no wider than the window').toBeLessThanOrEqual(fit.innerWidth);
  expect(fit.scrollY).toBe(0);
  expect((await page.locator('header.site-header').boundingBox())?.y).toBe(0);
}

test('the lab page fits the window at every size: the page never scrolls, its panes do', async ({ page }) => {
  await signUp(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/labs/${labId}`);
  await expect(page.getByTestId('start-prompt')).toBeVisible();
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
    [1024, 600],
    [768, 1024],
    [390, 844],
    [844, 390],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expectFitsWindow(page);
    // A click in the page (as a learner's first click into the panes) scrolls nothing.
    await page.mouse.click(width / 2, height - 10);
    await expectFitsWindow(page);
  }
});
