/**
 * A learner's progress in labs, in the database: every graded Check, solution reveals, and where
 * they are. A step is complete once one of its checks passed; a lab once all its steps are.
 */
import 'server-only';
import { getDb } from '@/lib/db/client';
import type { CheckDetail, CheckResult } from '@/lib/runner/client';

export type StepStatus = 'passed' | 'failed' | 'not-started';

export type StoredResult = {
  status: CheckResult['status'];
  message: string;
  details: CheckDetail[];
  createdAt: string;
};

export type StepProgress = {
  status: StepStatus;
  attempts: number;
  passedAt: string | null;
  last: StoredResult | null;
  revealed: boolean;
};

export type LabProgressView = {
  steps: Record<string, StepProgress>;
  currentStep: string | null;
  startedAt: string | null;
  lastOpenedAt: string | null;
  completedAt: string | null;
};

function parseDetails(json: string): CheckDetail[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as CheckDetail[]) : [];
  } catch {
    return [];
  }
}

export async function recordCheck(
  userId: string,
  labId: string,
  stepIds: string[],
  result: CheckResult,
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
    },
  });
  if (result.status !== 'pass') return;
  const passed = await db.labStepResult.findMany({
    where: { userId, labId, status: 'pass' },
    distinct: ['stepId'],
    select: { stepId: true },
  });
  const done = new Set(passed.map((p) => p.stepId));
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

/** Progress of someone who has not started the lab. */
export function emptyProgress(stepIds: string[]): LabProgressView {
  const steps: Record<string, StepProgress> = {};
  for (const stepId of stepIds) {
    steps[stepId] = { status: 'not-started', attempts: 0, passedAt: null, last: null, revealed: false };
  }
  return { steps, currentStep: null, startedAt: null, lastOpenedAt: null, completedAt: null };
}

export async function labProgress(
  userId: string,
  labId: string,
  stepIds: string[],
): Promise<LabProgressView> {
  const db = getDb();
  const [results, reveals, progress] = await Promise.all([
    db.labStepResult.findMany({ where: { userId, labId }, orderBy: { createdAt: 'asc' } }),
    db.solutionReveal.findMany({ where: { userId, labId } }),
    db.labProgress.findUnique({ where: { userId_labId: { userId, labId } } }),
  ]);
  const revealed = new Set(reveals.map((r) => r.stepId));
  const steps: Record<string, StepProgress> = {};
  for (const stepId of stepIds) {
    const mine = results.filter((r) => r.stepId === stepId);
    const firstPass = mine.find((r) => r.status === 'pass');
    const last = mine.at(-1);
    steps[stepId] = {
      status: firstPass ? 'passed' : mine.length ? 'failed' : 'not-started',
      attempts: mine.length,
      passedAt: firstPass?.createdAt.toISOString() ?? null,
      last: last
        ? {
            status: last.status as StoredResult['status'],
            message: last.message,
            details: parseDetails(last.details),
            createdAt: last.createdAt.toISOString(),
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
  };
}

/** Steps passed per lab, for the catalog. */
export async function passedStepsByLab(userId: string): Promise<Map<string, Set<string>>> {
  const passed = await getDb().labStepResult.findMany({
    where: { userId, status: 'pass' },
    distinct: ['labId', 'stepId'],
    select: { labId: true, stepId: true },
  });
  const byLab = new Map<string, Set<string>>();
  for (const { labId, stepId } of passed) {
    if (!byLab.has(labId)) byLab.set(labId, new Set());
    byLab.get(labId)?.add(stepId);
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
