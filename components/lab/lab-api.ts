/**
 * The browser's side of the lab API (app/api/labs/…): small typed fetch helpers. Failures throw
 * the server's ApiError (status, code and a message written for people); status 0 when offline.
 */
import { z } from 'zod';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import { ApiError } from '@/lib/http/api-error';
import type { AutoCheckAnswer, StepCheckResult } from '@/lib/labs/grading';
import type { JumpOutcome } from '@/lib/labs/jump';
import type { LabProgressView } from '@/lib/labs/progress';
import type { RunningLab } from '@/lib/labs/running-labs';
import type { RunnerSession } from '@/lib/runner/client';

export type { AutoCheckAnswer, StepCheckResult } from '@/lib/labs/grading';
export type { JumpOutcome } from '@/lib/labs/jump';
export type { LabProgressView, StepProgress, StepStatus } from '@/lib/labs/progress';
export type { RunnerSession } from '@/lib/runner/client';
export type { RunningLab } from '@/lib/labs/running-labs';

/** A start refused because the learner has as many sandboxes running as they may: which labs. */
export class TooManySessionsError extends ApiError {
  constructor(
    message: string,
    readonly runningLabs: readonly RunningLab[],
  ) {
    super(409, 'TOO_MANY_SESSIONS', message);
  }
}

const runningLabsBody = z.object({
  runningLabs: z.array(z.object({ id: z.string(), title: z.string() })).catch([]),
});

/** A failed answer as an ApiError; a refused start keeps the labs the server named. */
async function failureOf(response: Response): Promise<ApiError> {
  const error = await apiErrorOf(response.clone());
  if (error.code !== 'TOO_MANY_SESSIONS') return error;
  const body = runningLabsBody.safeParse(await response.json().catch(() => null));
  return new TooManySessionsError(error.message, body.success ? body.data.runningLabs : []);
}

async function call<T>(
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown } = { method: 'GET' },
): Promise<T> {
  let response: Response;
  try {
    response = await apiFetch(url, {
      method: init.method,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(
      0,
      'OFFLINE',
      'The platform cannot be reached. Check your network connection and try again.',
    );
  }
  if (!response.ok) throw await failureOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const base = (labId: string) => `/api/labs/${encodeURIComponent(labId)}`;

export const labApi = {
  state: (labId: string) =>
    call<{ session: RunnerSession | null; progress: LabProgressView }>(`${base(labId)}/session`),
  start: (labId: string) =>
    call<{ session: RunnerSession; jump: JumpOutcome | null }>(`${base(labId)}/session`, { method: 'POST' }),
  stop: (labId: string) =>
    call<{ session: RunnerSession }>(`${base(labId)}/session/stop`, { method: 'POST' }),
  reset: (labId: string) =>
    call<{ session: RunnerSession }>(`${base(labId)}/session/reset`, { method: 'POST' }),
  token: (labId: string) =>
    call<{ sessionId: string; token: string; expiresAt: number; runnerBase: string }>(
      `${base(labId)}/token`,
      {
        method: 'POST',
      },
    ),
  check: (labId: string, stepId: string) =>
    call<StepCheckResult>(`${base(labId)}/steps/${encodeURIComponent(stepId)}/check`, { method: 'POST' }),
  autoCheck: (labId: string, stepId: string) =>
    call<AutoCheckAnswer>(`${base(labId)}/steps/${encodeURIComponent(stepId)}/auto-check`, {
      method: 'POST',
    }),
  jump: (labId: string, stepId: string) =>
    call<JumpOutcome>(`${base(labId)}/steps/${encodeURIComponent(stepId)}/jump`, {
      method: 'POST',
      body: {},
    }),
  solution: (labId: string, stepId: string, apply: boolean) =>
    call<{ stepId: string; files: { path: string; content: string }[]; applied: boolean }>(
      `${base(labId)}/steps/${encodeURIComponent(stepId)}/solution`,
      { method: 'POST', body: { apply } },
    ),
  setCurrentStep: (labId: string, stepId: string) =>
    call<void>(`${base(labId)}/progress`, { method: 'POST', body: { currentStep: stepId } }),
};
