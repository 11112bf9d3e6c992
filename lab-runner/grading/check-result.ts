/**
 * Turns what a check printed into a result. The contract (docs/authoring-labs.md): one JSON object
 * on stdout, `{"status": "pass"|"fail"|"error", "message", "details": [{name, status, message}]}`.
 * Anything else (no output, garbage, a crash, a timeout) is an `error` result whose message is for
 * the learner; what went wrong inside the check stays in `diagnostics`, for logs and the lab
 * self-test, because a traceback would show the check's source.
 */
import { z } from 'zod';
import { checkStatuses, type CheckDetail, type CheckResult } from '../api/grading';
import type { ExecResult } from '../drivers/driver';

export type { CheckDetail, CheckResult };

const text = (max: number) =>
  z
    .string()
    .transform((value) => value.trim())
    .pipe(z.string().min(1))
    .transform((value) => (value.length > max ? `${value.slice(0, max - 1)}…` : value));

/** Details are forgiving (an empty message is no message; extra details are cut), the result is not. */
const optionalText = (max: number) =>
  z
    .string()
    .optional()
    .transform((value) => {
      const trimmed = value?.trim();
      if (!trimmed) return undefined;
      return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
    });

const detailSchema = z.object({
  name: optionalText(200).transform((name) => name ?? 'check'),
  status: z.enum(checkStatuses),
  message: optionalText(1000),
});

export const maxDetails = 50;

const outputSchema = z.object({
  status: z.enum(checkStatuses),
  message: text(1000),
  details: z
    .array(detailSchema)
    .default([])
    .transform((details) => details.slice(0, maxDetails)),
});

const labProblem =
  'That is a problem with the lab, not with your work: try again, and tell your instructor if it keeps happening.';

function tail(value: string, lines = 12): string {
  return value.trim().split('\n').slice(-lines).join('\n');
}

function diagnosticsOf(exec: ExecResult, why: string): string {
  const parts = [why];
  if (exec.stdout.trim()) parts.push(`stdout:\n${tail(exec.stdout)}`);
  if (exec.stderr.trim()) parts.push(`stderr:\n${tail(exec.stderr)}`);
  return parts.join('\n');
}

/** The JSON object the check printed: the whole of stdout, or else its last non-empty line. */
function findOutput(stdout: string): unknown {
  const whole = stdout.trim();
  if (!whole) return undefined;
  const candidates = [whole, whole.split('\n').pop()?.trim() ?? ''];
  for (const candidate of candidates) {
    if (!candidate.startsWith('{')) continue;
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

export function parseCheckOutput(exec: ExecResult, limits: { timeoutSeconds: number }): CheckResult {
  if (exec.timedOut) {
    return {
      status: 'error',
      message: `The check did not finish within ${limits.timeoutSeconds} seconds and was stopped. Try again; if it keeps happening, tell your instructor.`,
      details: [],
      diagnostics: diagnosticsOf(exec, `timed out after ${limits.timeoutSeconds} s`),
    };
  }
  if (exec.truncated) {
    return {
      status: 'error',
      message: `The check printed far more than a result. ${labProblem}`,
      details: [],
      diagnostics: diagnosticsOf(exec, 'output truncated'),
    };
  }
  const parsed = outputSchema.safeParse(findOutput(exec.stdout));
  if (parsed.success) {
    const result: CheckResult = { ...parsed.data };
    // A check that caught its own crash (academy_check does) reports `error` and leaves the
    // traceback on stderr: keep it for the author.
    if (result.status === 'error' && exec.stderr.trim()) {
      result.diagnostics = diagnosticsOf({ ...exec, stdout: '' }, 'the check reported an error');
    }
    return result;
  }
  const why =
    exec.exitCode !== 0
      ? `the check exited with status ${exec.exitCode} without printing a result`
      : exec.stdout.trim()
        ? 'the check printed something that is not a result object'
        : 'the check printed nothing';
  return {
    status: 'error',
    message: `The check could not finish (${why}). ${labProblem}`,
    details: [],
    diagnostics: diagnosticsOf(exec, why),
  };
}
