/**
 * A learner's course progress in the database: chapters read and quiz attempts. Lab progress
 * (checks, reveals, where they are) lives in lib/labs/progress.ts.
 */
import 'server-only';
import { getDb } from '@/lib/db/client';
import { isBetterGrade, type QuizAnswers, type QuizGrade } from './quiz-score';

export type ChapterReadRecord = { chapter: string; firstReadAt: Date; lastReadAt: Date };
export type QuizAttemptRecord = {
  chapter: string;
  quizId: string;
  score: number;
  total: number;
  createdAt: Date;
};

/** Notes that the learner reached the end of the chapter (again). */
export async function recordChapterRead(userId: string, chapter: string): Promise<ChapterReadRecord> {
  const now = new Date();
  return getDb().chapterRead.upsert({
    where: { userId_chapter: { userId, chapter } },
    create: { userId, chapter, firstReadAt: now, lastReadAt: now },
    update: { lastReadAt: now },
    select: { chapter: true, firstReadAt: true, lastReadAt: true },
  });
}

/** Stores a graded attempt; every attempt is kept, the summary shows the best. */
export async function recordQuizAttempt(
  userId: string,
  chapter: string,
  quizId: string,
  answers: QuizAnswers,
  grade: QuizGrade,
): Promise<void> {
  await getDb().quizAttempt.create({
    data: {
      userId,
      chapter,
      quizId,
      answers: JSON.stringify(answers),
      score: grade.score,
      total: grade.total,
    },
  });
}

/** The learner's best attempt at one quiz, or null before the first. */
export async function bestQuizAttempt(
  userId: string,
  chapter: string,
  quizId: string,
): Promise<QuizGrade | null> {
  const attempts = await getDb().quizAttempt.findMany({
    where: { userId, chapter, quizId },
    select: { score: true, total: true },
  });
  return attempts.reduce<QuizGrade | null>(
    (best, attempt) => (isBetterGrade(attempt, best) ? attempt : best),
    null,
  );
}

export async function courseRecords(
  userId: string,
): Promise<{ chapterReads: ChapterReadRecord[]; quizAttempts: QuizAttemptRecord[] }> {
  const db = getDb();
  const [chapterReads, quizAttempts] = await Promise.all([
    db.chapterRead.findMany({
      where: { userId },
      select: { chapter: true, firstReadAt: true, lastReadAt: true },
    }),
    db.quizAttempt.findMany({
      where: { userId },
      select: { chapter: true, quizId: true, score: true, total: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    }),
  ]);
  return { chapterReads, quizAttempts };
}
