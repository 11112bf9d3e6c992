/**
 * How a zod error becomes words, the same everywhere: content files, HTTP request bodies and the
 * environment. Paths are dotted (`steps.2.check`); only the first issue is told where one sentence
 * is wanted, every issue where a person fixes them all at once (configuration).
 */
import type { z } from 'zod';

/** The first issue of a zod error as a field path and a message, e.g. `questions.2.choices`. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'invalid' };
  return { field: issue.path.map(String).join('.'), message: issue.message };
}

/** One sentence for a 400 answer: `Invalid request body: steps.0.id: must be a kebab-case id.` */
export function describeInvalid(what: string, error: z.ZodError): string {
  const { field, message } = firstIssue(error);
  return `Invalid ${what}: ${field ? `${field}: ` : ''}${message}.`;
}

/** Every issue, `NAME: message; OTHER: message`: each names the setting (variable) at fault. */
export function listIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`).join('; ');
}
