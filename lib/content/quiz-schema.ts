import { z } from 'zod';

const choiceSchema = z.strictObject({
  text: z.string().trim().min(1),
  correct: z.boolean().default(false),
  /** Shown when a learner picks this choice: why it is (not) right. */
  why: z.string().trim().min(1).optional(),
});

const questionSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case id'),
    prompt: z.string().trim().min(5),
    choices: z.array(choiceSchema).min(2).max(6),
    explanation: z.string().trim().min(10),
  })
  .refine((question) => question.choices.filter((choice) => choice.correct).length === 1, {
    message: 'needs exactly one choice marked correct: true',
    path: ['choices'],
  });

/** A chapter quiz, written in a fenced ```quiz block as YAML. */
export const quizSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case id'),
    title: z.string().trim().min(1).default('Check your understanding'),
    questions: z.array(questionSchema).min(1).max(10),
  })
  .refine((quiz) => new Set(quiz.questions.map((q) => q.id)).size === quiz.questions.length, {
    message: 'question ids must be unique',
    path: ['questions'],
  });

export type Quiz = z.infer<typeof quizSchema>;
export type QuizQuestion = Quiz['questions'][number];
