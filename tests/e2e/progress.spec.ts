import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { loadChapters } from '@/lib/content/chapters';
import { parseQuizBlock } from '@/lib/content/remark-fenced-components';
import { listLabIds, loadLab } from '@/lab-runner/api/lab-loader';
import { expect, seriousViolations, signUp, test } from './fixtures';

const chapters = loadChapters();
const firstChapter = chapters[0]!;
const quizSource = /```quiz\n([\s\S]*?)```/.exec(firstChapter.source)?.[1];
if (!quizSource) throw new Error(`${firstChapter.file} has no quiz`);
const quiz = parseQuizBlock(quizSource, firstChapter.file, 0);
const questions = quiz.questions.length;
const labsDir = path.resolve('labs');
const lab = listLabIds(labsDir)
  .map((id) => loadLab(id, { labsDir }))
  .find((candidate) => candidate.chapter === firstChapter.slug);
if (!lab) throw new Error(`no lab belongs to ${firstChapter.slug}`);
const stage = chapters.filter((chapter) => chapter.maturityLevel === firstChapter.maturityLevel);

/** Full-page screenshots in test-results/screenshots, attached to the report. */
async function keepScreenshot(page: Page, name: string) {
  const file = path.join('test-results', 'screenshots', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

test('a learner answers a quiz and finishes a chapter, and sees both on /me and on the course map', async ({
  page,
}) => {
  const account = await signUp(page, 'Grace Hopper');

  await page.goto('/me');
  await expect(page.getByRole('heading', { level: 1, name: 'Your progress' })).toBeVisible();
  await expect(page.getByText('Signed in as')).toContainText('Grace Hopper');
  await expect(page.getByText('You have not opened a lab yet.')).toBeVisible();
  await expect(page.getByText(/You have not started a lab yet/)).toBeVisible();
  await expect(page.getByText(/No chapter read yet/)).toBeVisible();
  await expect(page.getByTestId('my-workshops')).toContainText('You have not joined a workshop');
  expect(await seriousViolations(page)).toEqual([]);

  // The quiz: the first question wrong, the others right. The server grades the answers itself.
  await page.goto(`/learn/${firstChapter.slug}`);
  const quizRegion = page.getByRole('region', { name: quiz.title });
  for (const [index, question] of quiz.questions.entries()) {
    const choice = question.choices.find((candidate) => candidate.correct === index > 0)!;
    await quizRegion
      .getByRole('group', { name: question.prompt })
      .getByLabel(choice.text, { exact: true })
      .check();
  }
  await quizRegion.getByRole('button', { name: 'Check answers' }).click();
  await expect(quizRegion.getByText(`You got ${questions - 1} of ${questions} right.`)).toBeVisible();
  await expect(quizRegion.getByTestId('quiz-save-status')).toHaveText(
    `Saved to your progress. Your best: ${questions - 1} of ${questions}.`,
  );

  // Reaching the end of the chapter saves it as read.
  const chapterEnd = page.getByTestId('chapter-end');
  await chapterEnd.scrollIntoViewIfNeeded();
  await expect(chapterEnd.getByRole('status')).toHaveText('✓ You have read this chapter.');
  await chapterEnd.screenshot({ path: path.join('test-results', 'screenshots', 'progress-chapter-end.png') });

  // The learner opens the chapter's lab on its first step (no sandbox needed to be remembered).
  const opened = await page.request.post(`/api/labs/${lab.id}/progress`, {
    headers: account.mutationHeaders,
    data: { currentStep: lab.steps[0]!.id },
  });
  expect(opened.status()).toBe(204);

  await page.goto('/me');
  const resume = page.getByRole('link', { name: `Resume ${lab.title}` });
  await expect(resume).toHaveAttribute('href', `/labs/${lab.id}`);
  await expect(page.getByText(`You were on “${lab.steps[0]!.title}”.`)).toBeVisible();
  const chapterRow = page.getByTestId(`me-chapter-${firstChapter.slug}`);
  await expect(chapterRow.getByText('✓ Read')).toBeVisible();
  await expect(chapterRow.getByText(`Quiz ${questions - 1}/${questions}`)).toBeVisible();
  const labRow = page.getByTestId(`me-lab-${lab.id}`);
  await expect(labRow.getByText(`0 of ${lab.steps.length} steps passed`)).toBeVisible();
  await expect(labRow.getByRole('progressbar')).toHaveAttribute('value', '0');
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, 'progress-me');

  await page.goto('/learn');
  const marks = page.getByTestId(`chapter-marks-${firstChapter.slug}`);
  await expect(marks.getByText('✓ Read')).toBeVisible();
  await expect(marks.getByText(`Quiz ${questions - 1}/${questions}`)).toBeVisible();
  const chapterLab = page.getByTestId(`course-lab-${lab.id}`);
  await expect(chapterLab.getByRole('link', { name: lab.title })).toHaveAttribute('href', `/labs/${lab.id}`);
  // Opened on its first step, nothing passed yet: begun.
  await expect(chapterLab).toContainText('In progress, 0 of');
  await expect(
    page.getByTestId(`chapter-marks-${chapters[1]!.slug}`).getByText('Not read yet'),
  ).toBeVisible();
  await expect(page.getByTestId('stage-progress').first()).toHaveText(`1 of ${stage.length} chapters read`);
  await expect(page.getByTestId('course-progress')).toContainText(
    `You have read 1 of ${chapters.length} chapters`,
  );
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, 'progress-learn');

  await page.goto('/me');
  await page.getByRole('link', { name: `Resume ${lab.title}` }).click();
  await expect(page).toHaveURL(new RegExp(`/labs/${lab.id}$`));
  await expect(page.getByRole('heading', { level: 1, name: lab.title })).toBeVisible();
});

test('a reader who is not logged in gets the same static pages, with nothing saved', async ({ page }) => {
  const summaries: number[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/api/progress/summary')) summaries.push(response.status());
  });
  await page.goto('/learn');
  await expect(page.getByText(/to save the chapters you read, your quiz scores and your labs/)).toBeVisible();
  // Nobody is signed in, so the page never asks for a summary (which would answer 401).
  expect(summaries).toEqual([]);
  await expect(page.getByTestId(`chapter-marks-${firstChapter.slug}`)).toHaveCount(0);
  await expect(page.getByTestId('stage-progress')).toHaveCount(0);

  await page.goto(`/learn/${firstChapter.slug}`);
  const quizRegion = page.getByRole('region', { name: quiz.title });
  for (const question of quiz.questions) {
    const right = question.choices.find((choice) => choice.correct)!;
    await quizRegion
      .getByRole('group', { name: question.prompt })
      .getByLabel(right.text, { exact: true })
      .check();
  }
  await quizRegion.getByRole('button', { name: 'Check answers' }).click();
  await expect(quizRegion.getByText(`You got ${questions} of ${questions} right.`)).toBeVisible();
  await expect(quizRegion.getByTestId('quiz-save-status')).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Chapters' }).scrollIntoViewIfNeeded();
  await expect(page.getByTestId('chapter-end')).toHaveCount(0);

  await page.goto('/me');
  await expect(page).toHaveURL(/\/login\?next=%2Fme$/);
});

test('after finishing a lab, /me suggests the next lab in the course and the course map shows each chapter lab with its status', async ({
  page,
}) => {
  const account = await signUp(page, 'Next Lab Learner');
  const labs = listLabIds(labsDir)
    .map((id) => loadLab(id, { labsDir }))
    .sort(
      (a, b) =>
        chapters.findIndex((chapter) => chapter.slug === a.chapter) -
        chapters.findIndex((chapter) => chapter.slug === b.chapter),
    );
  const [finished, next, untouched] = labs;
  if (!finished || !next || !untouched) throw new Error('this test needs three labs');

  // The learner finished the course's first lab and opened its second (as real Checks would leave
  // them, written straight into the e2e server's database), and never opened the third.
  const { user } = (await (await page.request.get('/api/auth/me')).json()) as { user: { id: string } };
  for (const lab of [finished, next]) {
    const opened = await page.request.post(`/api/labs/${lab.id}/progress`, {
      headers: account.mutationHeaders,
      data: { currentStep: lab.steps.at(lab === finished ? -1 : 0)!.id },
    });
    expect(opened.status()).toBe(204);
  }
  passSteps(
    user.id,
    finished.id,
    finished.steps.map((step) => step.id),
  );
  passSteps(user.id, next.id, [next.steps[0]!.id]);
  // The finished lab is the one opened last: still, the suggestion is the next one.
  const reopened = await page.request.post(`/api/labs/${finished.id}/progress`, {
    headers: account.mutationHeaders,
    data: { currentStep: finished.steps.at(-1)!.id },
  });
  expect(reopened.status()).toBe(204);

  await page.goto('/me');
  const suggestion = page.getByTestId('next-lab');
  await expect(suggestion.getByRole('link')).toHaveText(`Continue ${next.title}`);
  await expect(suggestion.getByRole('link')).toHaveAttribute('href', `/labs/${next.id}`);
  await expect(page.getByText(`You finished ${finished.title}.`)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto('/learn');
  const labOf = (lab: { id: string }) => page.getByTestId(`course-lab-${lab.id}`);
  await expect(labOf(finished).getByRole('link', { name: finished.title })).toHaveAttribute(
    'href',
    `/labs/${finished.id}`,
  );
  await expect(labOf(finished)).toContainText('Done');
  await expect(labOf(next)).toContainText('In progress');
  await expect(labOf(untouched)).toContainText('Not started');
  await expect(page.getByTestId('course-progress')).toContainText(`Continue ${next.title}`);
  expect(await seriousViolations(page)).toEqual([]);
});

/** A passing Check of each step, as the check route stores it, in the e2e server's database. */
function passSteps(userId: string, labId: string, stepIds: string[]) {
  const db = new Database('test-results/e2e/academy.db', { timeout: 5_000 });
  try {
    const insert = db.prepare(
      `INSERT INTO "LabStepResult" ("id", "userId", "labId", "stepId", "status", "message", "details", "durationMs", "createdAt")
       VALUES (?, ?, ?, ?, 'pass', 'Passed.', '[]', 1, ?)`,
    );
    for (const stepId of stepIds)
      insert.run(crypto.randomUUID(), userId, labId, stepId, new Date().toISOString().replace('Z', '+00:00'));
  } finally {
    db.close();
  }
}
