/**
 * A learner's progress through the course, in one shape for /me, the course map on /learn and the
 * chapter pages: per chapter whether it was read and the best quiz score, per lab the steps passed
 * and where the learner is, and the lab to do next. `summariseProgress` is pure; `progressSummary`
 * loads the records.
 */
import 'server-only';
import type { Chapter } from '@/lib/content/chapters';
import { getChapters } from '@/lib/content/course';
import { getLabs } from '@/lib/labs/catalog';
import type { Lab } from '@/lab-runner/api/lab-loader';
import { labRecords, type LabRecords } from '@/lib/labs/progress';
import { inCourseOrder, suggestLab, type LabSuggestion } from './next-lab';
import { isBetterGrade } from './quiz-score';
import { courseRecords, type ChapterReadRecord, type QuizAttemptRecord } from './store';

export type QuizScore = { bestScore: number; total: number; attempts: number };

export type ChapterSummary = {
  slug: string;
  order: number;
  title: string;
  /** When the learner last reached the end of the chapter; null if never. */
  readAt: string | null;
  /** Best attempt per quiz, added up over the chapter's quizzes; null before the first attempt. */
  quiz: QuizScore | null;
};

export type LabSummary = {
  id: string;
  title: string;
  chapter: string;
  stepsTotal: number;
  stepsPassed: number;
  isCompleted: boolean;
  solutionsRevealed: number;
  startedAt: string | null;
  lastOpenedAt: string | null;
  /** The step the learner was on when they left. */
  currentStep: { id: string; title: string } | null;
};

export type ProgressSummary = {
  chapters: ChapterSummary[];
  /** In the course's order (by chapter). */
  labs: LabSummary[];
  /** The lab to do next (next-lab.ts): the one to resume, or the next after one just finished. */
  next: LabSuggestion | null;
};

export type ProgressRecords = {
  chapterReads: ChapterReadRecord[];
  quizAttempts: Omit<QuizAttemptRecord, 'createdAt'>[];
  labs: LabRecords;
};

function chapterQuizScore(attempts: ProgressRecords['quizAttempts']): QuizScore | null {
  if (attempts.length === 0) return null;
  const bestPerQuiz = new Map<string, { score: number; total: number }>();
  for (const attempt of attempts) {
    if (isBetterGrade(attempt, bestPerQuiz.get(attempt.quizId) ?? null))
      bestPerQuiz.set(attempt.quizId, attempt);
  }
  let bestScore = 0;
  let total = 0;
  for (const best of bestPerQuiz.values()) {
    bestScore += best.score;
    total += best.total;
  }
  return { bestScore, total, attempts: attempts.length };
}

export function summariseProgress(
  chapters: Pick<Chapter, 'slug' | 'order' | 'title'>[],
  labs: Pick<Lab, 'id' | 'title' | 'chapter' | 'steps'>[],
  records: ProgressRecords,
): ProgressSummary {
  const reads = new Map(records.chapterReads.map((read) => [read.chapter, read]));
  const chapterSummaries = chapters.map((chapter) => ({
    slug: chapter.slug,
    order: chapter.order,
    title: chapter.title,
    readAt: reads.get(chapter.slug)?.lastReadAt.toISOString() ?? null,
    quiz: chapterQuizScore(records.quizAttempts.filter((attempt) => attempt.chapter === chapter.slug)),
  }));

  const opened = new Map(records.labs.progress.map((row) => [row.labId, row]));
  const labSummaries = inCourseOrder(labs, chapters).map((lab): LabSummary => {
    const row = opened.get(lab.id);
    const passed = records.labs.passed.get(lab.id) ?? new Set<string>();
    const revealed = records.labs.revealed.get(lab.id) ?? new Set<string>();
    // Only steps the lab still has count: a step removed since keeps no weight.
    const stepsPassed = lab.steps.filter((step) => passed.has(step.id)).length;
    const current = lab.steps.find((step) => step.id === row?.currentStep);
    return {
      id: lab.id,
      title: lab.title,
      chapter: lab.chapter,
      stepsTotal: lab.steps.length,
      stepsPassed,
      isCompleted: stepsPassed === lab.steps.length,
      solutionsRevealed: lab.steps.filter((step) => revealed.has(step.id)).length,
      startedAt: row?.startedAt.toISOString() ?? null,
      lastOpenedAt: row?.lastOpenedAt.toISOString() ?? null,
      currentStep: current ? { id: current.id, title: current.title } : null,
    };
  });

  return { chapters: chapterSummaries, labs: labSummaries, next: suggestLab(labSummaries) };
}

export async function progressSummary(userId: string): Promise<ProgressSummary> {
  const [course, labs] = await Promise.all([courseRecords(userId), labRecords(userId)]);
  return summariseProgress(getChapters(), getLabs(), { ...course, labs });
}
