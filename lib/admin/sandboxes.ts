/**
 * Every sandbox the runner holds, as the admin sees it: owner, lab, state and what it uses.
 * Stats are read for running sandboxes only, a few at a time, and one that cannot be measured
 * (it stopped meanwhile) just shows no figures.
 */
import 'server-only';
import pLimit from 'p-limit';
import { sessionIdPattern } from '@/lab-runner/api/sessions';
import { getDb } from '@/lib/db/client';
import { getLab } from '@/lib/labs/catalog';
import type { RunnerSandboxStats } from '@/lib/runner/client';
import { getRunner } from '@/lib/runner/instance';
import { sandboxRows, type SandboxOwner, type SandboxRow } from './sandbox-rows';

/** Docker answers a one-shot stats call in about a second (it samples CPU twice): a few at once. */
const concurrentStatsCalls = 6;

export type SandboxSnapshot = { rows: SandboxRow[]; takenAt: string };

export async function listSandboxes(): Promise<SandboxSnapshot> {
  const runner = getRunner();
  const sessions = await runner.listSessions();
  const userIds = [...new Set(sessions.map((s) => s.userId))];
  const limit = pLimit(concurrentStatsCalls);
  const [users, measured] = await Promise.all([
    getDb().user.findMany({
      where: { id: { in: userIds } },
      select: { id: true, email: true, name: true, guest: true },
    }),
    Promise.all(
      sessions
        .filter((s) => s.state === 'ready')
        .map((s) =>
          limit(async (): Promise<[string, RunnerSandboxStats] | null> => {
            try {
              return [s.id, await runner.stats(s.id)];
            } catch {
              return null;
            }
          }),
        ),
    ),
  ]);
  const owners = new Map<string, SandboxOwner>(users.map((u) => [u.id, u]));
  const stats = new Map(measured.filter((entry) => entry !== null));
  return {
    rows: sandboxRows(sessions, owners, (labId) => getLab(labId)?.title, stats),
    takenAt: new Date().toISOString(),
  };
}

/** Runner session ids are 20 lower-case hex digits; anything else is refused before asking it. */
export const sandboxIdPattern = sessionIdPattern;
