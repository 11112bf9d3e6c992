import type { z } from 'zod';

/** The first issue of a zod error as a field path and a message, e.g. `questions.2.choices`. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'invalid' };
  return { field: issue.path.join('.'), message: issue.message };
}
