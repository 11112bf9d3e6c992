/**
 * The admin's table of sandboxes: the runner's sessions joined with who owns them, which lab they
 * run and what they use. Pure, so the shaping is tested without a runner or a database.
 */
import type { RunnerSandboxStats, RunnerSession, RunnerSessionState } from '@/lib/runner/client';

export type SandboxOwner = { id: string; email: string; name: string; guest: boolean };

export type SandboxUsage = { memoryMb: number; cpuPercent: number; pids: number; diskMb: number };

export type SandboxRow = {
  id: string;
  state: RunnerSessionState;
  labId: string;
  /** The lab's title, or its id when the lab is no longer in the catalog. */
  labTitle: string;
  userId: string;
  /** Null when the user is gone from the database (the sandbox outlived the account). */
  owner: SandboxOwner | null;
  createdAt: string | null;
  lastActivityAt: string | null;
  idleStopAt: string | null;
  expiresAt: string | null;
  error: string | null;
  /** Only a ready sandbox is measured; null otherwise, or when measuring it failed. */
  usage: SandboxUsage | null;
};

const mebibyte = 1024 * 1024;

export function usageOf(stats: RunnerSandboxStats): SandboxUsage {
  return {
    memoryMb: Math.round((stats.memoryBytes / mebibyte) * 10) / 10,
    cpuPercent: Math.round(stats.cpuPercent * 10) / 10,
    pids: stats.pids,
    diskMb: Math.round((stats.diskUsedBytes / mebibyte) * 10) / 10,
  };
}

/** Running first, then stopped, then the rest; the most recently active first within each. */
const stateOrder: Record<RunnerSessionState, number> = {
  ready: 0,
  creating: 1,
  stopped: 2,
  error: 3,
  destroyed: 4,
};

export function sandboxRows(
  sessions: RunnerSession[],
  owners: ReadonlyMap<string, SandboxOwner>,
  labTitle: (labId: string) => string | undefined,
  stats: ReadonlyMap<string, RunnerSandboxStats>,
): SandboxRow[] {
  return sessions
    .filter((s) => s.state !== 'destroyed')
    .map((s) => {
      const measured = stats.get(s.id);
      return {
        id: s.id,
        state: s.state,
        labId: s.labId,
        labTitle: labTitle(s.labId) ?? s.labId,
        userId: s.userId,
        owner: owners.get(s.userId) ?? null,
        createdAt: s.createdAt,
        lastActivityAt: s.lastActivityAt,
        idleStopAt: s.idleStopAt,
        expiresAt: s.expiresAt,
        error: s.error,
        usage: measured ? usageOf(measured) : null,
      };
    })
    .sort(
      (a, b) =>
        stateOrder[a.state] - stateOrder[b.state] ||
        (b.lastActivityAt ?? '').localeCompare(a.lastActivityAt ?? '') ||
        a.id.localeCompare(b.id),
    );
}

/** Totals over the table: what the running sandboxes use together. */
export function sandboxTotals(rows: SandboxRow[]) {
  const measured = rows.flatMap((r) => (r.usage ? [r.usage] : []));
  const sum = (pick: (u: SandboxUsage) => number) =>
    Math.round(measured.reduce((total, u) => total + pick(u), 0) * 10) / 10;
  return {
    running: rows.filter((r) => r.state === 'ready' || r.state === 'creating').length,
    stopped: rows.filter((r) => r.state === 'stopped').length,
    failed: rows.filter((r) => r.state === 'error').length,
    memoryMb: sum((u) => u.memoryMb),
    cpuPercent: sum((u) => u.cpuPercent),
    diskMb: sum((u) => u.diskMb),
  };
}
