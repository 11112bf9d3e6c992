/**
 * What the progress API accepts from a learner, checked against the course itself: a chapter must
 * exist, a quiz must be one of that chapter's, and a quiz is graded here from its correct answers.
 * Each function answers a typed result; the routes turn it into HTTP.
 */
import 'server-only';
import { z } from 'zod';
import { getChapters, getCompiledChapter } from '@/lib/content/course';
import { RateLimiter } from '@/lib/labs/rate-limit';
import { gradeQuiz, QuizAnswerError, quizAnswersSchema, type QuizGrade } from './quiz-score';
import { bestQuizAttempt, recordChapterRead, recordQuizAttempt } from './store';

export type Refusal = { ok: false; status: 400 | 404 | 429; error: string; message: string };

const chapterSlug = z.string().min(1).max(120);

export const quizSubmissionSchema = z.strictObject({
  chapter: chapterSlug,
  quizId: z.string().min(1).max(64),
  answers: quizAnswersSchema,
});

export type QuizSubmission = z.infer<typeof quizSubmissionSchema>;

export type QuizResult = { ok: true; score: number; total: number; best: QuizGrade };

function chapterNotFound(slug: string): Refusal {
  return {
    ok: false,
    status: 404,
    error: 'CHAPTER_NOT_FOUND',
    message: `There is no chapter "${slug.slice(0, 120)}".`,
  };
}

function isChapter(slug: string): boolean {
  return getChapters().some((chapter) => chapter.slug === slug);
}

/** Attempts are cheap rows, but each one is kept: a burst of 20, then one every 3 s per learner. */
const quizAttemptLimiter = new RateLimiter(20, 3_000);

export async function submitQuiz(userId: string, submission: QuizSubmission): Promise<QuizResult | Refusal> {
  const { chapter, quizId, answers } = submission;
  if (!isChapter(chapter)) return chapterNotFound(chapter);
  // The chapter's compiled MDX is the one place quizzes are defined (and validated).
  const quiz = (await getCompiledChapter(chapter)).quizzes.find((candidate) => candidate.id === quizId);
  if (!quiz) {
    return {
      ok: false,
      status: 404,
      error: 'QUIZ_NOT_FOUND',
      message: `Chapter "${chapter}" has no quiz "${quizId}".`,
    };
  }
  let grade: QuizGrade;
  try {
    grade = gradeQuiz(quiz, answers);
  } catch (error) {
    if (!(error instanceof QuizAnswerError)) throw error;
    return { ok: false, status: 400, error: 'BAD_ANSWERS', message: error.message };
  }
  const allowed = quizAttemptLimiter.take(userId);
  if (!allowed.ok) {
    return {
      ok: false,
      status: 429,
      error: 'TOO_MANY_ATTEMPTS',
      message: `Too many quiz attempts in a short time; try again in ${Math.ceil(allowed.retryAfterMs / 1000)} s.`,
    };
  }
  await recordQuizAttempt(userId, chapter, quizId, answers, grade);
  const best = (await bestQuizAttempt(userId, chapter, quizId)) ?? grade;
  return { ok: true, ...grade, best };
}

export type ChapterReadResult = { ok: true; chapter: string; firstReadAt: string; lastReadAt: string };

export async function markChapterRead(userId: string, slug: string): Promise<ChapterReadResult | Refusal> {
  if (!chapterSlug.safeParse(slug).success || !isChapter(slug)) return chapterNotFound(slug);
  const read = await recordChapterRead(userId, slug);
  return {
    ok: true,
    chapter: read.chapter,
    firstReadAt: read.firstReadAt.toISOString(),
    lastReadAt: read.lastReadAt.toISOString(),
  };
}
