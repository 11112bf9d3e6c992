/**
 * The instructor's live grid, shaped from plain rows: every learner × every step of the workshop's
 * labs (passed, skipped, failed so far, or not tried), their sandboxes, last activity, and whether
 * they look stuck. No database or runner here, so the rules are tested on their own
 * (dashboard.test.ts). A step's status follows the learner's own (lib/labs/step-status.ts): a
 * background check that did not pass counts nowhere, a skipped step is never a pass.
 */
import { isCounted, stepStatusOf } from '@/lib/labs/step-status';

/** A learner looks stuck after this many failed checks in a row on the step they are on. */
export const stuckAfterFailures = 3;

export type WorkshopLabInfo = { id: string; title: string; steps: { id: string; title: string }[] };

export type MemberRow = { userId: string; email: string; name: string; joinedAt: Date };
export type ResultRow = {
  userId: string;
  labId: string;
  stepId: string;
  status: string;
  /** A background check of an `autoCheck` step. */
  automatic: boolean;
  createdAt: Date;
};
export type RevealRow = { userId: string; labId: string; stepId: string };
/** A step the learner skipped (started a later one from the reference state). */
export type SkipRow = { userId: string; labId: string; stepId: string };
export type ProgressRow = { userId: string; labId: string; lastOpenedAt: Date };
export type SandboxRow = {
  userId: string;
  labId: string;
  state: string;
  lastActivityAt: string | null;
  viewers?: number;
};

export type CellStatus = 'passed' | 'skipped' | 'failed' | 'not-tried';

export type DashboardColumn = { labId: string; labTitle: string; stepId: string; stepTitle: string };

export type DashboardCell = {
  labId: string;
  stepId: string;
  status: CellStatus;
  /** Checks of this step that count (passed or not). */
  attempts: number;
  /** Checks that count and did not pass. */
  failedAttempts: number;
  revealed: boolean;
  passedAt: string | null;
};

/** `none`: no sandbox for the lab; `unknown`: the runner could not be asked. */
export type SandboxState = 'creating' | 'ready' | 'stopped' | 'error' | 'none' | 'unknown';

export type DashboardLearner = {
  userId: string;
  email: string;
  name: string;
  joinedAt: string;
  /** One per column, in the columns' order. */
  cells: DashboardCell[];
  stepsPassed: number;
  reveals: number;
  lastActivityAt: string | null;
  sandboxes: { labId: string; state: SandboxState; viewers: number }[];
  /** The step they keep failing, when they failed it `stuckAfterFailures` times in a row. */
  stuck: { labId: string; stepId: string; failures: number } | null;
};

export type DashboardView = {
  columns: DashboardColumn[];
  learners: DashboardLearner[];
  /** False when the runner did not answer: sandbox states are then `unknown`. */
  runnerAvailable: boolean;
  generatedAt: string;
};

export type DashboardInput = {
  labs: WorkshopLabInfo[];
  members: MemberRow[];
  /** Check results of the members in the workshop's labs, any order. */
  results: ResultRow[];
  reveals: RevealRow[];
  skips: SkipRow[];
  progress: ProgressRow[];
  /** The runner's live sessions, or null when it could not be asked. */
  sandboxes: SandboxRow[] | null;
  now: Date;
};

const isPass = (result: Pick<ResultRow, 'status'>) => result.status === 'pass';
const stepKey = (labId: string, stepId: string) => `${labId}\u0000${stepId}`;

/**
 * Where a learner is stuck: the step of their most recent check, when its last `threshold` or more
 * checks all failed (no pass since the first of them). Results must be oldest first and count
 * (lib/labs/step-status.ts `isCounted`).
 */
export function stuckStep(
  results: readonly Pick<ResultRow, 'labId' | 'stepId' | 'status'>[],
  threshold = stuckAfterFailures,
): { labId: string; stepId: string; failures: number } | null {
  const latest = results.at(-1);
  if (!latest || isPass(latest)) return null;
  let failures = 0;
  for (let i = results.length - 1; i >= 0; i -= 1) {
    const result = results[i]!;
    if (result.labId !== latest.labId || result.stepId !== latest.stepId) continue;
    if (isPass(result)) break;
    failures += 1;
  }
  return failures >= threshold ? { labId: latest.labId, stepId: latest.stepId, failures } : null;
}

function knownSandboxState(state: string): SandboxState {
  return state === 'creating' || state === 'ready' || state === 'stopped' || state === 'error'
    ? state
    : 'none';
}

function latest(dates: (Date | string | null | undefined)[]): string | null {
  let best: number | null = null;
  for (const date of dates) {
    if (!date) continue;
    const ms = typeof date === 'string' ? Date.parse(date) : date.getTime();
    if (Number.isFinite(ms) && (best === null || ms > best)) best = ms;
  }
  return best === null ? null : new Date(best).toISOString();
}

function groupByUser<T extends { userId: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.userId);
    if (list) list.push(row);
    else map.set(row.userId, [row]);
  }
  return map;
}

export function shapeDashboard(input: DashboardInput): DashboardView {
  const columns = input.labs.flatMap((lab) =>
    lab.steps.map((step) => ({ labId: lab.id, labTitle: lab.title, stepId: step.id, stepTitle: step.title })),
  );
  const labIds = new Set(input.labs.map((lab) => lab.id));
  const inLabs = <T extends { labId: string }>(rows: readonly T[]) => rows.filter((r) => labIds.has(r.labId));
  const oldestFirst = inLabs(input.results)
    .filter(isCounted)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const resultsByUser = groupByUser(oldestFirst);
  const revealsByUser = groupByUser(inLabs(input.reveals));
  const skipsByUser = groupByUser(inLabs(input.skips));
  const progressByUser = groupByUser(inLabs(input.progress));
  const sandboxesByUser = groupByUser(inLabs(input.sandboxes ?? []));

  const learners = input.members.map((member): DashboardLearner => {
    const results = resultsByUser.get(member.userId) ?? [];
    const revealed = new Set((revealsByUser.get(member.userId) ?? []).map((r) => stepKey(r.labId, r.stepId)));
    const skipped = new Set((skipsByUser.get(member.userId) ?? []).map((r) => stepKey(r.labId, r.stepId)));
    const perStep = new Map<string, ResultRow[]>();
    for (const result of results) {
      const key = stepKey(result.labId, result.stepId);
      perStep.set(key, [...(perStep.get(key) ?? []), result]);
    }
    const cells = columns.map((column): DashboardCell => {
      const key = stepKey(column.labId, column.stepId);
      const mine = perStep.get(key) ?? [];
      const firstPass = mine.find(isPass);
      const status = stepStatusOf(mine, skipped.has(key));
      return {
        labId: column.labId,
        stepId: column.stepId,
        status: status === 'not-started' ? 'not-tried' : status,
        attempts: mine.length,
        failedAttempts: mine.filter((r) => !isPass(r)).length,
        revealed: revealed.has(key),
        passedAt: status === 'passed' ? (firstPass?.createdAt.toISOString() ?? null) : null,
      };
    });
    const stuck = stuckStep(results);
    const sandboxRows = sandboxesByUser.get(member.userId) ?? [];
    const sandboxes = input.labs.map((lab) => {
      const live = sandboxRows.filter((s) => s.labId === lab.id && s.state !== 'destroyed');
      const row = live.at(-1);
      return {
        labId: lab.id,
        state: input.sandboxes === null ? ('unknown' as const) : row ? knownSandboxState(row.state) : 'none',
        viewers: row?.viewers ?? 0,
      };
    });
    return {
      userId: member.userId,
      email: member.email,
      name: member.name,
      joinedAt: member.joinedAt.toISOString(),
      cells,
      stepsPassed: cells.filter((c) => c.status === 'passed').length,
      reveals: cells.filter((c) => c.revealed).length,
      lastActivityAt: latest([
        results.at(-1)?.createdAt,
        ...(progressByUser.get(member.userId) ?? []).map((p) => p.lastOpenedAt),
        ...sandboxRows.map((s) => s.lastActivityAt),
      ]),
      sandboxes,
      // Skipping the step they were stuck on moves them on.
      stuck: stuck && !skipped.has(stepKey(stuck.labId, stuck.stepId)) ? stuck : null,
    };
  });
  learners.sort(
    (a, b) =>
      a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.email.localeCompare(b.email, 'en'),
  );
  return {
    columns,
    learners,
    runnerAvailable: input.sandboxes !== null,
    generatedAt: input.now.toISOString(),
  };
}
