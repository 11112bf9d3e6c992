/**
 * Grading a step for a learner: through the per-learner gate (check-gate.ts), in their ready
 * sandbox, stored like every check (progress.ts). A pressed Check waits for a running background
 * check and is refused (429) only by its own limits; a background check of an `autoCheck` step
 * gives way to everything and is simply skipped when the gate says no.
 */
import 'server-only';
import { ApiError } from '@/lib/http/api-error';
import type { CheckResult } from '@/lib/runner/client';
import { checkGate, type GateEntry } from './check-gate';
import { readySession, type LabContext } from './lab-route';
import { labProgress, recordCheck } from './progress';

/** What the learner sees of a result: everything but the author's diagnostics. */
export type StepCheckResult = Omit<CheckResult, 'diagnostics'>;

export type AutoCheckAnswer =
  { ran: true; result: StepCheckResult } | { ran: false; reason: 'busy' | 'done' };

function stepOf(context: LabContext, stepId: string) {
  const step = context.lab.steps.find((s) => s.id === stepId);
  if (!step) {
    throw new ApiError(
      404,
      'STEP_NOT_FOUND',
      `Lab "${context.lab.id}" has no step "${stepId.slice(0, 64)}".`,
    );
  }
  return step;
}

async function gradeInside(
  context: LabContext,
  sessionId: string,
  stepId: string,
  gate: Extract<GateEntry, { ok: true }>,
  automatic: boolean,
): Promise<StepCheckResult> {
  const { lab, user, runner } = context;
  try {
    const { diagnostics, ...result } = await runner.check(sessionId, stepId);
    if (result.status === 'error') console.warn(`check ${lab.id}/${stepId} gave error: ${diagnostics ?? ''}`);
    await recordCheck(
      user.id,
      lab.id,
      lab.steps.map((s) => s.id),
      result,
      automatic,
    );
    return result;
  } finally {
    gate.leave();
  }
}

/**
 * The learner pressed Check: grade the step and store the result, or the gate's refusal (one check
 * at a time, and not too many) for a 429.
 */
export async function pressedCheck(
  context: LabContext,
  stepId: string,
): Promise<{ ok: true; result: StepCheckResult } | Extract<GateEntry, { ok: false }>> {
  stepOf(context, stepId);
  const session = await readySession(context);
  const gate = await checkGate.enterAfterBackground(context.user.id);
  if (!gate.ok) return gate;
  return { ok: true, result: await gradeInside(context, session.id, stepId, gate, false) };
}

/**
 * A background check of an `autoCheck` step, after the learner saved a file or a command ended:
 * skipped when the step is already passed or skipped, or when the gate is busy or low.
 */
export async function backgroundCheck(context: LabContext, stepId: string): Promise<AutoCheckAnswer> {
  const step = stepOf(context, stepId);
  if (!step.autoCheck) {
    throw new ApiError(
      409,
      'NOT_AUTO_CHECKED',
      `Step "${step.id}" is not checked in the background; press Check.`,
    );
  }
  const session = await readySession(context);
  const { lab, user } = context;
  const progress = await labProgress(user.id, lab.id, [step.id]);
  const status = progress.steps[step.id]?.status;
  if (status === 'passed' || status === 'skipped') return { ran: false, reason: 'done' };
  const gate = checkGate.enter(user.id, Date.now(), { background: true });
  if (!gate.ok) return { ran: false, reason: 'busy' };
  return { ran: true, result: await gradeInside(context, session.id, stepId, gate, true) };
}
