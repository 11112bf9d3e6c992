/**
 * What the progress API accepts from a learner, checked against the course itself: a chapter must
 * exist, a quiz must be one of that chapter's, and a quiz is graded here from its correct answers.
 * A submission that does not fit throws an ApiError, which the route answers as it is.
 */
import 'server-only';
import { z } from 'zod';
import { getChapters, getCompiledChapter } from '@/lib/content/course';
import { ApiError } from '@/lib/http/api-error';
import { RateLimiter } from '@/lib/labs/rate-limit';
import { gradeQuiz, quizAnswersSchema, type QuizGrade } from './quiz-score';
import { bestQuizAttempt, recordChapterRead, recordQuizAttempt } from './store';

const chapterSlug = z.string().min(1).max(120);

export const quizSubmissionSchema = z.strictObject({
  chapter: chapterSlug,
  quizId: z.string().min(1).max(64),
  answers: quizAnswersSchema,
});

export type QuizSubmission = z.infer<typeof quizSubmissionSchema>;

export type QuizResult = QuizGrade & { best: QuizGrade };

const chapterNotFound = (slug: string) =>
  new ApiError(404, 'CHAPTER_NOT_FOUND', `There is no chapter "${slug.slice(0, 120)}".`);

function isChapter(slug: string): boolean {
  return getChapters().some((chapter) => chapter.slug === slug);
}

/** Attempts are cheap rows, but each one is kept: a burst of 20, then one every 3 s per learner. */
const quizAttemptLimiter = new RateLimiter(20, 3_000);

/** Grades and keeps an attempt: 404 for an unknown chapter or quiz, 400 for bad answers, 429 when too fast. */
export async function submitQuiz(userId: string, submission: QuizSubmission): Promise<QuizResult> {
  const { chapter, quizId, answers } = submission;
  if (!isChapter(chapter)) throw chapterNotFound(chapter);
  // The chapter's compiled MDX is the one place quizzes are defined (and validated).
  const quiz = (await getCompiledChapter(chapter)).quizzes.find((candidate) => candidate.id === quizId);
  if (!quiz) throw new ApiError(404, 'QUIZ_NOT_FOUND', `Chapter "${chapter}" has no quiz "${quizId}".`);
  const grade = gradeQuiz(quiz, answers);
  const allowed = quizAttemptLimiter.take(userId);
  if (!allowed.ok) {
    throw new ApiError(
      429,
      'TOO_MANY_ATTEMPTS',
      `Too many quiz attempts in a short time; try again in ${Math.ceil(allowed.retryAfterMs / 1000)} s.`,
    );
  }
  await recordQuizAttempt(userId, chapter, quizId, answers, grade);
  const best = (await bestQuizAttempt(userId, chapter, quizId)) ?? grade;
  return { ...grade, best };
}

export type ChapterRead = { chapter: string; firstReadAt: string; lastReadAt: string };

/** Records that the learner read the chapter to its end; 404 for a chapter that does not exist. */
export async function markChapterRead(userId: string, slug: string): Promise<ChapterRead> {
  if (!chapterSlug.safeParse(slug).success || !isChapter(slug)) throw chapterNotFound(slug);
  const read = await recordChapterRead(userId, slug);
  return {
    chapter: read.chapter,
    firstReadAt: read.firstReadAt.toISOString(),
    lastReadAt: read.lastReadAt.toISOString(),
  };
}
