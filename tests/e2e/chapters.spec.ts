import { loadChapters } from '@/lib/content/chapters';
import { expect, seriousViolations, test } from './fixtures';

const chapters = loadChapters();

for (const chapter of chapters) {
  test(`chapter ${chapter.order} renders with its diagrams as SVG and passes an accessibility scan`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`/learn/${chapter.slug}`);
    await expect(page.getByRole('heading', { level: 1, name: chapter.title })).toBeVisible();
    const diagrams = page.locator('figure.diagram');
    const count = await diagrams.count();
    expect(count).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < count; i++) await expect(diagrams.nth(i)).toHaveAttribute('data-rendered', 'true');
    await expect(page.locator('figure.diagram svg')).toHaveCount(count);
    await expect(page.locator('.diagram__error')).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Check your understanding' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('the course map groups chapters by maturity level and passes an accessibility scan', async ({
  page,
}) => {
  await page.goto('/learn');
  for (const level of [0, 1, 2]) {
    await expect(page.getByRole('heading', { level: 2, name: new RegExp(`^Level ${level}:`) })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: chapters.at(-1)!.title })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the glossary lists the terms chapters link to', async ({ page }) => {
  await page.goto(`/learn/${chapters[0]!.slug}`);
  const termLink = page.locator('a.glossary-link').first();
  const href = (await termLink.getAttribute('href'))!;
  await termLink.click();
  await expect(page).toHaveURL(new RegExp(`${href.replace(/[#/]/g, '\\$&')}$`));
  await expect(page.locator(`#${href.split('#')[1]}`)).toBeInViewport();
  expect(await seriousViolations(page)).toEqual([]);
});

test('search, opened with "/" from any page, finds "canary" and opens the right chapter', async ({
  page,
}) => {
  await page.goto('/');
  const input = page.getByRole('searchbox', { name: 'Search' });
  // The shortcut works once the page is hydrated; a loaded machine can take a moment.
  await expect(async () => {
    await page.keyboard.press('/');
    await expect(input).toBeFocused({ timeout: 1_000 });
  }).toPass();
  await input.fill('canary');
  await expect(page.getByRole('option').first()).toContainText(/canary/i);
  // The glossary entry and the chapter's sections both match; open the chapter's.
  const inChapter = page.getByRole('option').filter({ hasText: 'Serving & deployment' }).first();
  await expect(inChapter).toContainText(/canary/i);
  await inChapter.click();
  await expect(page).toHaveURL(/\/learn\/06-serving-deployment/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Serving/);
});

test('search also opens with Ctrl+K and says when nothing matches', async ({ page }) => {
  await page.goto('/learn');
  const input = page.getByRole('searchbox', { name: 'Search' });
  await expect(async () => {
    await page.keyboard.press('Control+k');
    await expect(input).toBeFocused({ timeout: 1_000 });
  }).toPass();
  await input.fill('zzqxv');
  await expect(page.getByRole('status').filter({ hasText: 'Nothing found' })).toBeVisible();
});

test('search finds a lab by its title or what it teaches, and opens the lab', async ({ page }) => {
  await page.goto('/learn');
  const input = page.getByRole('searchbox', { name: 'Search' });
  await expect(async () => {
    await page.keyboard.press('/');
    await expect(input).toBeFocused({ timeout: 1_000 });
  }).toPass();
  await input.fill('lock its packages');
  const labHit = page.getByRole('option').filter({ hasText: /^Reproducible training\s*Lab · Chapter 1/ });
  await expect(labHit).toHaveCount(1);
  await labHit.click();
  await expect(page).toHaveURL(/\/labs\/reproducible-training$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Reproducible training' })).toBeVisible();
});
