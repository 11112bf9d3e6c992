/**
 * A learner's progress in labs, in the database: every graded Check (pressed or in the background),
 * solution reveals, skipped steps, and where they are. A step is complete once one of its checks
 * passed, unless it was skipped; a lab once all its steps are (step-status.ts has the rule).
 */
import 'server-only';
import { getDb } from '@/lib/db/client';
import type { CheckDetail, CheckResult } from '@/lib/runner/client';
import { isCounted, stepStatusOf, type StepStatus } from './step-status';

export type { StepStatus } from './step-status';

export type StoredResult = {
  status: CheckResult['status'];
  message: string;
  details: CheckDetail[];
  createdAt: string;
  /** A background check of an `autoCheck` step (only a passed one is ever shown). */
  automatic: boolean;
};

export type StepProgress = {
  status: StepStatus;
  /** Checks that count (pressed, or passed in the background). */
  attempts: number;
  passedAt: string | null;
  /** The latest check that counts. */
  last: StoredResult | null;
  revealed: boolean;
};

/** The last time a later step was started from the reference state (by the learner or instructor). */
export type LabJumpView = { stepId: string; at: string; byInstructor: boolean };

export type LabProgressView = {
  steps: Record<string, StepProgress>;
  currentStep: string | null;
  startedAt: string | null;
  lastOpenedAt: string | null;
  completedAt: string | null;
  jump: LabJumpView | null;
};

function parseDetails(json: string): CheckDetail[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as CheckDetail[]) : [];
  } catch {
    return [];
  }
}

/** Stores a graded check (`automatic` for a background one) and notes when the lab is complete. */
export async function recordCheck(
  userId: string,
  labId: string,
  stepIds: string[],
  result: CheckResult,
  automatic = false,
): Promise<void> {
  const db = getDb();
  await db.labStepResult.create({
    data: {
      userId,
      labId,
      stepId: result.stepId,
      status: result.status,
      message: result.message,
      details: JSON.stringify(result.details),
      durationMs: Math.round(result.durationMs),
      automatic,
    },
  });
  if (result.status !== 'pass') return;
  const done = (await passedStepsByLab(userId, labId)).get(labId) ?? new Set<string>();
  if (stepIds.every((id) => done.has(id))) {
    await db.labProgress.upsert({
      where: { userId_labId: { userId, labId } },
      create: { userId, labId, completedAt: new Date() },
      update: { completedAt: new Date() },
    });
  }
}

export async function recordReveal(userId: string, labId: string, stepId: string): Promise<void> {
  await getDb().solutionReveal.upsert({
    where: { userId_labId_stepId: { userId, labId, stepId } },
    create: { userId, labId, stepId },
    update: {},
  });
}

/** Notes that the learner opened the lab (and which step they are on, when given). */
export async function touchLab(userId: string, labId: string, currentStep?: string): Promise<void> {
  const now = new Date();
  await getDb().labProgress.upsert({
    where: { userId_labId: { userId, labId } },
    create: { userId, labId, currentStep, startedAt: now, lastOpenedAt: now },
    update: { lastOpenedAt: now, ...(currentStep ? { currentStep } : {}) },
  });
}

export async function labProgress(
  userId: string,
  labId: string,
  stepIds: string[],
): Promise<LabProgressView> {
  const db = getDb();
  const [results, reveals, skips, progress] = await Promise.all([
    db.labStepResult.findMany({ where: { userId, labId }, orderBy: { createdAt: 'asc' } }),
    db.solutionReveal.findMany({ where: { userId, labId } }),
    db.labStepSkip.findMany({ where: { userId, labId }, select: { stepId: true } }),
    db.labProgress.findUnique({ where: { userId_labId: { userId, labId } } }),
  ]);
  const revealed = new Set(reveals.map((r) => r.stepId));
  const skipped = new Set(skips.map((s) => s.stepId));
  const steps: Record<string, StepProgress> = {};
  for (const stepId of stepIds) {
    const mine = results.filter((r) => r.stepId === stepId);
    const counted = mine.filter(isCounted);
    const firstPass = counted.find((r) => r.status === 'pass');
    const last = counted.at(-1);
    steps[stepId] = {
      status: stepStatusOf(mine, skipped.has(stepId)),
      attempts: counted.length,
      passedAt: firstPass?.createdAt.toISOString() ?? null,
      last: last
        ? {
            status: last.status as StoredResult['status'],
            message: last.message,
            details: parseDetails(last.details),
            createdAt: last.createdAt.toISOString(),
            automatic: last.automatic,
          }
        : null,
      revealed: revealed.has(stepId),
    };
  }
  return {
    steps,
    currentStep: progress?.currentStep ?? null,
    startedAt: progress?.startedAt.toISOString() ?? null,
    lastOpenedAt: progress?.lastOpenedAt.toISOString() ?? null,
    completedAt: progress?.completedAt?.toISOString() ?? null,
    jump:
      progress?.jumpStep && progress.jumpedAt
        ? {
            stepId: progress.jumpStep,
            at: progress.jumpedAt.toISOString(),
            byInstructor: progress.jumpWorkshopId !== null,
          }
        : null,
  };
}

/** Steps passed and not skipped, per lab (of one lab when given), for the catalog and completion. */
export async function passedStepsByLab(userId: string, labId?: string): Promise<Map<string, Set<string>>> {
  const db = getDb();
  const [passed, skips] = await Promise.all([
    db.labStepResult.findMany({
      where: { userId, labId, status: 'pass' },
      distinct: ['labId', 'stepId'],
      select: { labId: true, stepId: true },
    }),
    db.labStepSkip.findMany({ where: { userId, labId }, select: { labId: true, stepId: true } }),
  ]);
  const skipped = new Set(skips.map((s) => `${s.labId}\u0000${s.stepId}`));
  const byLab = new Map<string, Set<string>>();
  for (const { labId: lab, stepId } of passed) {
    if (skipped.has(`${lab}\u0000${stepId}`)) continue;
    if (!byLab.has(lab)) byLab.set(lab, new Set());
    byLab.get(lab)?.add(stepId);
  }
  return byLab;
}

export type LabRecords = {
  /** One row per lab the learner opened. */
  progress: {
    labId: string;
    currentStep: string | null;
    startedAt: Date;
    lastOpenedAt: Date;
    completedAt: Date | null;
  }[];
  /** Steps with a passed check, per lab. */
  passed: Map<string, Set<string>>;
  /** Steps whose solution the learner revealed, per lab. */
  revealed: Map<string, Set<string>>;
};

/** Everything the learner did in every lab, for their progress page. */
export async function labRecords(userId: string): Promise<LabRecords> {
  const db = getDb();
  const [progress, passed, reveals] = await Promise.all([
    db.labProgress.findMany({ where: { userId } }),
    passedStepsByLab(userId),
    db.solutionReveal.findMany({ where: { userId }, select: { labId: true, stepId: true } }),
  ]);
  const revealed = new Map<string, Set<string>>();
  for (const { labId, stepId } of reveals) {
    if (!revealed.has(labId)) revealed.set(labId, new Set());
    revealed.get(labId)?.add(stepId);
  }
  return { progress, passed, revealed };
}
