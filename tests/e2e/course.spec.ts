import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { loadChapters } from '@/lib/content/chapters';
import { parseQuizBlock } from '@/lib/content/remark-fenced-components';
import { expect, test } from './fixtures';

const [firstChapter] = loadChapters();
if (!firstChapter) throw new Error('the course has no chapters');
const quizSource = /```quiz\n([\s\S]*?)```/.exec(firstChapter.source)?.[1];
if (!quizSource) throw new Error(`${firstChapter.file} has no quiz`);
const quiz = parseQuizBlock(quizSource, firstChapter.file, 0);

const screenshotsDir = path.join('test-results', 'screenshots');

async function keepScreenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

async function waitForDiagrams(page: Page) {
  const diagrams = page.locator('figure.diagram');
  await expect(diagrams.first()).toBeVisible();
  const count = await diagrams.count();
  for (let i = 0; i < count; i++) {
    await expect(diagrams.nth(i)).toHaveAttribute('data-rendered', 'true');
  }
  return count;
}

test('a learner goes from the home page to chapter 1 and sees its diagrams drawn as SVG', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Start the course' }).click();

  await expect(page).toHaveURL(/\/learn$/);
  await expect(page.getByRole('heading', { level: 1, name: 'The course' })).toBeVisible();
  await expect(page.getByText(firstChapter.objectives[0]!)).toBeVisible();
  await expect(page.getByText(`${firstChapter.minutes} min read`).first()).toBeVisible();
  await keepScreenshot(page, 'learn');

  await page.getByRole('link', { name: firstChapter.title }).click();
  await expect(page).toHaveURL(new RegExp(`/learn/${firstChapter.slug}$`));
  await expect(page.getByRole('heading', { level: 1, name: firstChapter.title })).toBeVisible();

  const diagramCount = await waitForDiagrams(page);
  expect(diagramCount).toBeGreaterThanOrEqual(2);
  const svg = page.locator('figure.diagram svg').first();
  await expect(svg).toBeVisible();
  expect((await svg.boundingBox())?.width ?? 0).toBeGreaterThan(100);
  await keepScreenshot(page, 'chapter-1');
});

test('the table of contents links to headings on the page', async ({ page }) => {
  await page.goto(`/learn/${firstChapter.slug}`);
  const toc = page.getByRole('navigation', { name: 'On this page' });
  const firstEntry = toc.getByRole('link').first();
  const target = (await firstEntry.getAttribute('href'))!;
  await firstEntry.click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  await expect(page.locator(target)).toBeInViewport();
});

test('the quiz says which answers are wrong, then confirms the right ones with explanations', async ({
  page,
}) => {
  await page.goto(`/learn/${firstChapter.slug}`);
  const quizRegion = page.getByRole('region', { name: quiz.title });
  await expect(quizRegion).toBeVisible();

  const question = (prompt: string) => quizRegion.getByRole('group', { name: prompt });

  for (const q of quiz.questions) {
    const wrong = q.choices.find((choice) => !choice.correct)!;
    await question(q.prompt).getByLabel(wrong.text, { exact: true }).check();
  }
  await quizRegion.getByRole('button', { name: 'Check answers' }).click();
  await expect(quizRegion.getByText(`You got 0 of ${quiz.questions.length} right.`)).toBeVisible();
  await expect(quizRegion.getByText('Not quite.')).toHaveCount(quiz.questions.length);
  const firstWrong = quiz.questions[0]!.choices.find((choice) => !choice.correct)!;
  if (firstWrong.why) await expect(quizRegion.getByText(firstWrong.why)).toBeVisible();

  await quizRegion.getByRole('button', { name: 'Try again' }).click();
  for (const q of quiz.questions) {
    const right = q.choices.find((choice) => choice.correct)!;
    await question(q.prompt).getByLabel(right.text, { exact: true }).check();
  }
  await quizRegion.getByRole('button', { name: 'Check answers' }).click();
  await expect(
    quizRegion.getByText(`You got ${quiz.questions.length} of ${quiz.questions.length} right.`),
  ).toBeVisible();
  await expect(quizRegion.getByText('Correct.')).toHaveCount(quiz.questions.length);
  await expect(quizRegion.getByText(quiz.questions[0]!.explanation)).toBeVisible();
});

test('the dark mode toggle switches the theme, redraws diagrams and survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`/learn/${firstChapter.slug}`);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await waitForDiagrams(page);
  const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(
    lightBackground,
  );
  await waitForDiagrams(page);

  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test('follows the system preference until the reader chooses', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/learn');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the chapter is readable and each diagram shows its source', async ({ page }) => {
    await page.goto(`/learn/${firstChapter.slug}`);
    await expect(page.getByRole('heading', { level: 1, name: firstChapter.title })).toBeVisible();
    await expect(page.locator('pre.diagram__source').first()).toContainText(
      /flowchart|graph|sequenceDiagram/,
    );
  });
});

test('an unknown chapter is a 404 page with a way back', async ({ page }) => {
  const response = await page.goto('/learn/99-no-such-chapter');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('link', { name: 'Go to the course' })).toBeVisible();
});

test('the health endpoint reports the database', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
});

test('in the dark theme a code block has one background: its lines and tokens paint none of their own', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`/learn/${firstChapter.slug}`);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const block = page.locator('.prose pre.shiki').first();
  await expect(block).toBeVisible();
  const colours = await block.evaluate((pre) => {
    const transparent = 'rgba(0, 0, 0, 0)';
    // What shows behind an element: its own background, else the nearest ancestor's.
    const shownBehind = (element: Element): string => {
      for (let node: Element | null = element; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (colour !== transparent) return colour;
      }
      return transparent;
    };
    const codeBackground = getComputedStyle(document.documentElement).getPropertyValue('--code-bg').trim();
    const probe = document.createElement('div');
    probe.style.backgroundColor = codeBackground;
    document.body.append(probe);
    const expected = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return {
      block: getComputedStyle(pre).backgroundColor,
      expected,
      spans: [...pre.querySelectorAll('span')].map(shownBehind),
    };
  });
  expect(colours.block).toBe(colours.expected);
  expect(colours.spans.length).toBeGreaterThan(0);
  expect(new Set(colours.spans)).toEqual(new Set([colours.block]));
});

/** The ligature settings of every element `selector` matches on the page, deduplicated. */
async function ligatureSettings(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((elements) => [
    ...new Set(
      elements.map((element) => {
        const style = getComputedStyle(element);
        return `${style.fontVariantLigatures} | ${style.fontFeatureSettings}`;
      }),
    ),
  ]);
}

test('code is set without ligatures (">=" stays two characters) in chapters and lab steps', async ({
  page,
}) => {
  const noLigatures = [`none | normal`];
  await page.goto('/learn/02-experiment-tracking');
  const inline = page.locator('.prose :not(pre) > code', { hasText: '>=' }).first();
  await expect(inline).toBeVisible();
  expect(await ligatureSettings(page, '.prose code')).toEqual(noLigatures);
  expect(await ligatureSettings(page, '.prose pre, .prose pre span')).toEqual(noLigatures);

  await page.goto('/labs/reproducible-training');
  await expect(page.locator('.prose code').first()).toBeAttached();
  expect(await ligatureSettings(page, '.prose code')).toEqual(noLigatures);
});
