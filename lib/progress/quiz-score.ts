/**
 * Grades a quiz on the server from the answers alone: the client sends which choice it picked per
 * question, never a score. Answers that name an unknown question or choice are refused, so a
 * stored attempt always means what it says.
 */
import { z } from 'zod';
import type { Quiz } from '@/lib/content/quiz-schema';
import { ApiError } from '@/lib/http/api-error';

/** `{ [questionId]: choiceIndex }`, as the quiz component keeps them. */
export const quizAnswersSchema = z.record(z.string().min(1).max(64), z.number().int().min(0).max(5), {
  error: 'answers must map question ids to choice indexes',
});

export type QuizAnswers = z.infer<typeof quizAnswersSchema>;

export type QuizGrade = { score: number; total: number };

/** Answers that do not fit the quiz: a 400 BAD_ANSWERS. */
export class QuizAnswerError extends ApiError {
  override name = 'QuizAnswerError';
  constructor(message: string) {
    super(400, 'BAD_ANSWERS', message);
  }
}

/** The number of questions answered with their correct choice; unanswered questions count as wrong. */
export function gradeQuiz(quiz: Quiz, answers: QuizAnswers): QuizGrade {
  const questions = new Map(quiz.questions.map((question) => [question.id, question]));
  for (const [questionId, choiceIndex] of Object.entries(answers)) {
    const question = questions.get(questionId);
    if (!question) throw new QuizAnswerError(`Quiz "${quiz.id}" has no question "${questionId}".`);
    if (choiceIndex >= question.choices.length) {
      throw new QuizAnswerError(
        `Question "${questionId}" has ${question.choices.length} choices; there is no choice ${choiceIndex}.`,
      );
    }
  }
  const score = quiz.questions.filter((question) => {
    const chosen = answers[question.id];
    return chosen !== undefined && question.choices[chosen]?.correct === true;
  }).length;
  return { score, total: quiz.questions.length };
}

/** A higher share of right answers; on a tie, the attempt at more questions. */
export function isBetterGrade(candidate: QuizGrade, best: QuizGrade | null): boolean {
  if (!best) return true;
  const difference = candidate.score * best.total - best.score * candidate.total;
  return difference > 0 || (difference === 0 && candidate.total > best.total);
}
