/**
 * Starting a step from the reference state of the steps before it ("jump to step N"): the
 * reference solutions of every earlier step are written into the learner's workspace through the
 * runner (as "Copy the solution into my workspace" does), the earlier steps not passed yet are
 * recorded as skipped, and the step becomes the current one. A learner does it for themselves; a
 * workshop's instructor for every member who is behind (lib/workshops/jump.ts), now for a ready
 * sandbox, else as a pending jump applied when the learner next starts the lab.
 */
import 'server-only';
import { getDb } from '@/lib/db/client';
import { ApiError } from '@/lib/http/api-error';
import type { RunnerClient } from '@/lib/runner/client';
import type { Lab } from '@/lab-runner/api/lab-loader';
import { referenceFilesBefore } from './catalog';

export type JumpOutcome = {
  stepId: string;
  /** The workspace files written (replaced or created), sorted. */
  files: string[];
  /** The earlier steps recorded as skipped now (those not passed nor skipped before). */
  skipped: string[];
};

/** The position of a step one can start from the reference state: not unknown, not the first. */
export function jumpTargetIndex(lab: Lab, stepId: string): number {
  const index = lab.steps.findIndex((s) => s.id === stepId);
  if (index === -1) {
    throw new ApiError(404, 'STEP_NOT_FOUND', `Lab "${lab.id}" has no step "${stepId.slice(0, 64)}".`);
  }
  if (index === 0) {
    throw new ApiError(
      400,
      'FIRST_STEP',
      'The first step starts from the starter files: there is no earlier step to skip.',
    );
  }
  return index;
}

/** The steps before `stepId` the learner has neither passed nor skipped, in order. */
export async function stepsLeftBefore(userId: string, lab: Lab, stepId: string): Promise<string[]> {
  const earlier = lab.steps.slice(0, jumpTargetIndex(lab, stepId)).map((s) => s.id);
  const db = getDb();
  const where = { userId, labId: lab.id, stepId: { in: earlier } };
  const [passes, skips] = await Promise.all([
    db.labStepResult.findMany({ where: { ...where, status: 'pass' }, select: { stepId: true } }),
    db.labStepSkip.findMany({ where, select: { stepId: true } }),
  ]);
  const done = new Set([...passes, ...skips].map((row) => row.stepId));
  return earlier.filter((id) => !done.has(id));
}

/**
 * Starts `stepId` in the learner's ready sandbox `sessionId`: writes the earlier steps' reference
 * files, records the earlier steps left as skipped, and makes the step current. `workshopId` when
 * the learner's instructor did it. The files are written first: a write that fails records nothing.
 */
export async function jumpToStep(
  runner: RunnerClient,
  sessionId: string,
  userId: string,
  lab: Lab,
  stepId: string,
  workshopId: string | null = null,
): Promise<JumpOutcome> {
  jumpTargetIndex(lab, stepId);
  const files = referenceFilesBefore(lab, stepId);
  for (const file of files) await runner.writeFile(sessionId, file.path, file.content);
  const skipped = await stepsLeftBefore(userId, lab, stepId);
  const db = getDb();
  const now = new Date();
  const jump = { currentStep: stepId, jumpStep: stepId, jumpedAt: now, jumpWorkshopId: workshopId };
  await db.$transaction([
    ...skipped.map((skippedStep) =>
      db.labStepSkip.upsert({
        where: { userId_labId_stepId: { userId, labId: lab.id, stepId: skippedStep } },
        create: { userId, labId: lab.id, stepId: skippedStep, workshopId, createdAt: now },
        update: {},
      }),
    ),
    db.labProgress.upsert({
      where: { userId_labId: { userId, labId: lab.id } },
      create: { userId, labId: lab.id, ...jump },
      update: jump,
    }),
    db.pendingStepJump.deleteMany({ where: { userId, labId: lab.id } }),
  ]);
  return { stepId, files: files.map((file) => file.path), skipped };
}

/**
 * Applies the learner's pending workshop jump for the lab now that their sandbox is ready. Null
 * when there was none, or when they had done every earlier step meanwhile (it is dropped then), or
 * when it failed (it stays pending for the next start: starting the lab must not fail for it).
 */
export async function applyPendingJump(
  runner: RunnerClient,
  sessionId: string,
  userId: string,
  lab: Lab,
): Promise<JumpOutcome | null> {
  const db = getDb();
  const pending = await db.pendingStepJump.findUnique({ where: { userId_labId: { userId, labId: lab.id } } });
  if (!pending) return null;
  const isKnown = lab.steps.slice(1).some((s) => s.id === pending.stepId);
  if (!isKnown || (await stepsLeftBefore(userId, lab, pending.stepId)).length === 0) {
    await db.pendingStepJump.deleteMany({ where: { userId, labId: lab.id } });
    return null;
  }
  try {
    return await jumpToStep(runner, sessionId, userId, lab, pending.stepId, pending.workshopId);
  } catch (error) {
    console.error(`labs: the pending jump to ${lab.id}/${pending.stepId} could not be applied`, error);
    return null;
  }
}
