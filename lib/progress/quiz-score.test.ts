import { describe, expect, it } from 'vitest';
import { quizSchema, type Quiz } from '@/lib/content/quiz-schema';
import { gradeQuiz, isBetterGrade, QuizAnswerError, quizAnswersSchema } from './quiz-score';

const quiz: Quiz = quizSchema.parse({
  id: 'basics',
  questions: [
    {
      id: 'first',
      prompt: 'Which one is right?',
      choices: [{ text: 'this', correct: true }, { text: 'that' }],
      explanation: 'Because it is the first one.',
    },
    {
      id: 'second',
      prompt: 'And which one here?',
      choices: [{ text: 'a' }, { text: 'b' }, { text: 'c', correct: true }],
      explanation: 'Because it is the last one.',
    },
  ],
});

describe('gradeQuiz', () => {
  it('counts the questions answered with their correct choice', () => {
    expect(gradeQuiz(quiz, { first: 0, second: 2 })).toEqual({ score: 2, total: 2 });
    expect(gradeQuiz(quiz, { first: 1, second: 2 })).toEqual({ score: 1, total: 2 });
    expect(gradeQuiz(quiz, { first: 1, second: 0 })).toEqual({ score: 0, total: 2 });
  });

  it('counts an unanswered question as wrong', () => {
    expect(gradeQuiz(quiz, { second: 2 })).toEqual({ score: 1, total: 2 });
    expect(gradeQuiz(quiz, {})).toEqual({ score: 0, total: 2 });
  });

  it('refuses an answer to a question the quiz does not have, as a 400 BAD_ANSWERS', () => {
    expect(() => gradeQuiz(quiz, { first: 0, third: 0 })).toThrow(QuizAnswerError);
    expect(() => gradeQuiz(quiz, { first: 0, third: 0 })).toThrow(
      expect.objectContaining({ status: 400, code: 'BAD_ANSWERS' }),
    );
    expect(() => gradeQuiz(quiz, { first: 0, third: 0 })).toThrow(/no question "third"/);
  });

  it('refuses a choice past the end of the question', () => {
    expect(() => gradeQuiz(quiz, { first: 2 })).toThrow(/has 2 choices; there is no choice 2/);
  });
});

describe('quizAnswersSchema', () => {
  it('accepts question ids mapped to choice indexes', () => {
    expect(quizAnswersSchema.safeParse({ first: 0, second: 5 }).success).toBe(true);
  });

  it('refuses a score smuggled in as an answer, negative or fractional indexes and strings', () => {
    for (const answers of [
      { score: 'all' },
      { first: -1 },
      { first: 0.5 },
      { first: '0' },
      { first: 6 },
      [],
    ]) {
      expect(quizAnswersSchema.safeParse(answers).success, JSON.stringify(answers)).toBe(false);
    }
  });
});

describe('isBetterGrade', () => {
  it('prefers a higher share of right answers, then the attempt at more questions', () => {
    expect(isBetterGrade({ score: 1, total: 4 }, null)).toBe(true);
    expect(isBetterGrade({ score: 3, total: 4 }, { score: 2, total: 4 })).toBe(true);
    expect(isBetterGrade({ score: 2, total: 4 }, { score: 3, total: 4 })).toBe(false);
    expect(isBetterGrade({ score: 2, total: 4 }, { score: 2, total: 4 })).toBe(false);
    expect(isBetterGrade({ score: 2, total: 2 }, { score: 1, total: 1 })).toBe(true);
    expect(isBetterGrade({ score: 3, total: 4 }, { score: 2, total: 2 })).toBe(false);
  });
});
