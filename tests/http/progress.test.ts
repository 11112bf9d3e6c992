import { beforeAll, describe, expect, it } from 'vitest';
import { loadChapters } from '@/lib/content/chapters';
import { compileMdx } from '@/lib/content/compile';
import type { Quiz } from '@/lib/content/quiz-schema';
import type { ProgressSummary } from '@/lib/progress/summary';
import { HttpClient, signUp } from './support';

type ErrorBody = { error: string; message: string };

/** A chapter with a quiz, read from the content as the server reads it. */
let chapter: string;
let quiz: Quiz;

const allRight = () =>
  Object.fromEntries(quiz.questions.map((q) => [q.id, q.choices.findIndex((choice) => choice.correct)]));
const allWrong = () =>
  Object.fromEntries(quiz.questions.map((q) => [q.id, q.choices.findIndex((choice) => !choice.correct)]));

beforeAll(async () => {
  const first = loadChapters()[0]!;
  const compiled = await compileMdx(first);
  chapter = first.slug;
  quiz = compiled.quizzes[0]!;
  expect(quiz.questions.length).toBeGreaterThan(1);
});

async function summaryOf(client: HttpClient): Promise<ProgressSummary> {
  const response = await client.get('/api/progress/summary');
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toContain('no-store');
  return (await response.json()) as ProgressSummary;
}

const chapterIn = (summary: ProgressSummary, slug: string) => summary.chapters.find((c) => c.slug === slug);

describe('progress API: signed out', () => {
  it('answers 401 to reading the summary, saving a quiz or marking a chapter read', async () => {
    const visitor = new HttpClient();
    const responses = [
      await visitor.get('/api/progress/summary'),
      await visitor.post('/api/progress/quiz', { chapter, quizId: quiz.id, answers: allRight() }),
      await visitor.post(`/api/progress/chapters/${chapter}`),
    ];
    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(((await response.json()) as ErrorBody).error).toBe('NOT_SIGNED_IN');
    }
  });

  it('sends a visitor of /me to the log-in page, and back afterwards', async () => {
    const response = await new HttpClient().get('/me');
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
    expect(response.headers.get('location')).toMatch(/\/login\?next=%2Fme$/);
  });
});

describe('progress API: quizzes', () => {
  it('grades the answers on the server and keeps the best attempt', async () => {
    const { client } = await signUp();
    const wrong = await client.post('/api/progress/quiz', { chapter, quizId: quiz.id, answers: allWrong() });
    expect(wrong.status).toBe(201);
    expect(await wrong.json()).toEqual({
      score: 0,
      total: quiz.questions.length,
      best: { score: 0, total: quiz.questions.length },
    });
    const right = await client.post('/api/progress/quiz', { chapter, quizId: quiz.id, answers: allRight() });
    expect(await right.json()).toMatchObject({
      score: quiz.questions.length,
      best: { score: quiz.questions.length },
    });
    const again = await client.post('/api/progress/quiz', { chapter, quizId: quiz.id, answers: {} });
    expect(await again.json()).toMatchObject({ score: 0, best: { score: quiz.questions.length } });

    expect(chapterIn(await summaryOf(client), chapter)?.quiz).toEqual({
      bestScore: quiz.questions.length,
      total: quiz.questions.length,
      attempts: 3,
    });
  });

  it('cannot be told a score: a score in the body is refused, and one posing as an answer too', async () => {
    const { client } = await signUp();
    const total = quiz.questions.length;
    const forged = await client.post('/api/progress/quiz', {
      chapter,
      quizId: quiz.id,
      answers: allWrong(),
      score: total,
      total,
    });
    expect(forged.status).toBe(400);
    const smuggled = await client.post('/api/progress/quiz', {
      chapter,
      quizId: quiz.id,
      answers: { ...allWrong(), score: total },
    });
    expect(smuggled.status).toBe(400);
    expect(((await smuggled.json()) as ErrorBody).error).toBe('BAD_ANSWERS');
    expect(chapterIn(await summaryOf(client), chapter)?.quiz).toBeNull();
  });

  it('answers 404 for a chapter or quiz that does not exist, and 400 for answers that do not fit', async () => {
    const { client } = await signUp();
    const question = quiz.questions[0]!;
    const cases: [unknown, number, string][] = [
      [{ chapter: '99-no-such-chapter', quizId: quiz.id, answers: {} }, 404, 'CHAPTER_NOT_FOUND'],
      [{ chapter: '../../etc/passwd', quizId: quiz.id, answers: {} }, 404, 'CHAPTER_NOT_FOUND'],
      [{ chapter, quizId: 'no-such-quiz', answers: {} }, 404, 'QUIZ_NOT_FOUND'],
      [{ chapter, quizId: quiz.id, answers: { [question.id]: question.choices.length } }, 400, 'BAD_ANSWERS'],
      [{ chapter, quizId: quiz.id, answers: { [question.id]: -1 } }, 400, 'BAD_REQUEST'],
      [{ chapter, quizId: quiz.id, answers: { [question.id]: '0' } }, 400, 'BAD_REQUEST'],
      [{ chapter, quizId: quiz.id }, 400, 'BAD_REQUEST'],
    ];
    for (const [body, status, error] of cases) {
      const response = await client.post('/api/progress/quiz', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      const answer = (await response.json()) as ErrorBody;
      expect(answer.error, JSON.stringify(body)).toBe(error);
      expect(answer.message).not.toMatch(/at .*\.ts|Error:/);
    }
    const notJson = await client.request('/api/progress/quiz', {
      method: 'POST',
      body: '{"chapter":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
  });

  it('refuses a quiz attempt without the CSRF token or from another site', async () => {
    const { client } = await signUp();
    const body = { chapter, quizId: quiz.id, answers: allRight() };
    expect((await client.post('/api/progress/quiz', body, { csrf: false })).status).toBe(403);
    expect((await client.post('/api/progress/quiz', body, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect(chapterIn(await summaryOf(client), chapter)?.quiz).toBeNull();
  });
});

describe('progress API: chapters read', () => {
  it('marks a chapter read and shows it in the summary', async () => {
    const { client } = await signUp();
    expect(chapterIn(await summaryOf(client), chapter)?.readAt).toBeNull();
    const response = await client.post(`/api/progress/chapters/${chapter}`);
    expect(response.status).toBe(200);
    const read = (await response.json()) as { chapter: string; firstReadAt: string; lastReadAt: string };
    expect(read.chapter).toBe(chapter);
    expect(chapterIn(await summaryOf(client), chapter)?.readAt).toBe(read.lastReadAt);

    const again = (await (await client.post(`/api/progress/chapters/${chapter}`)).json()) as typeof read;
    expect(again.firstReadAt).toBe(read.firstReadAt);
    expect(Date.parse(again.lastReadAt)).toBeGreaterThanOrEqual(Date.parse(read.lastReadAt));
  });

  it('answers 404 for a chapter that does not exist', async () => {
    const { client } = await signUp();
    for (const slug of ['99-no-such-chapter', '..%2F..%2Fpackage.json', 'glossary']) {
      const response = await client.post(`/api/progress/chapters/${slug}`);
      expect(response.status, slug).toBe(404);
      expect(((await response.json()) as ErrorBody).error).toBe('CHAPTER_NOT_FOUND');
    }
  });
});

describe("progress: one learner never sees another's", () => {
  it('takes the learner from the session only: a user id in the query or the body is ignored', async () => {
    const ada = await signUp('learner', { name: 'Ada' });
    const bob = await signUp('learner', { name: 'Bob' });
    await ada.client.post(`/api/progress/chapters/${chapter}`);
    await ada.client.post('/api/progress/quiz', { chapter, quizId: quiz.id, answers: allRight() });

    for (const path of [
      `/api/progress/summary?userId=${ada.user.id}`,
      `/api/progress/summary?user=${ada.user.id}`,
      `/api/progress/summary/${ada.user.id}`,
    ]) {
      const response = await bob.client.get(path);
      if (response.status === 200) {
        const summary = (await response.json()) as ProgressSummary;
        expect(chapterIn(summary, chapter), path).toMatchObject({ readAt: null, quiz: null });
      } else {
        expect(response.status, path).toBe(404);
      }
    }

    // A quiz body naming Ada is refused; marking a chapter read with her id in the body marks Bob's.
    const asAda = await bob.client.post('/api/progress/quiz', {
      chapter,
      quizId: quiz.id,
      answers: allWrong(),
      userId: ada.user.id,
    });
    expect(asAda.status).toBe(400);
    await bob.client.request(`/api/progress/chapters/${chapter}`, {
      method: 'POST',
      json: { userId: ada.user.id },
    });
    expect(chapterIn(await summaryOf(bob.client), chapter)?.readAt).not.toBeNull();
    expect(chapterIn(await summaryOf(ada.client), chapter)?.quiz).toMatchObject({
      bestScore: quiz.questions.length,
    });

    const page = await (await bob.client.get('/me')).text();
    expect(page).toContain('Bob');
    expect(page).not.toContain('>Ada<');
  });
});
