/**
 * The browser's side of the progress API (app/api/progress/…). Pages ask for the summary only
 * when someone is signed in (components/ui/current-user.ts); a 401 (the session ended meanwhile)
 * reads as nobody. Other failures throw the server's ApiError.
 */
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import type { QuizGrade } from '@/lib/progress/quiz-score';
import type { ProgressSummary } from '@/lib/progress/summary';

export type { ChapterSummary, LabSummary, ProgressSummary } from '@/lib/progress/summary';

/** The signed-in learner's summary, or null when nobody is signed in. */
export async function fetchProgressSummary(): Promise<ProgressSummary | null> {
  const response = await apiFetch('/api/progress/summary');
  if (response.status === 401) return null;
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as ProgressSummary;
}

export type SavedQuizAttempt = QuizGrade & { best: QuizGrade };

export async function saveQuizAttempt(
  chapter: string,
  quizId: string,
  answers: Record<string, number>,
): Promise<SavedQuizAttempt> {
  const response = await apiFetch('/api/progress/quiz', {
    method: 'POST',
    body: JSON.stringify({ chapter, quizId, answers }),
  });
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as SavedQuizAttempt;
}

export async function saveChapterRead(chapter: string): Promise<{ lastReadAt: string }> {
  const response = await apiFetch(`/api/progress/chapters/${encodeURIComponent(chapter)}`, {
    method: 'POST',
  });
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as { lastReadAt: string };
}
