/**
 * The members' sandboxes at a workshop's end. Ending a workshop, or its end time passing, stops
 * every member's sandbox of its labs that was made before the end, a starting one too (the stop
 * waits until it is made); `sandboxesStoppedAt` records that it was done. The end time passing is
 * noticed by the next request that looks at the workshop (its dashboard, a member's lab page), so
 * nothing is lost when the web server restarts: the database says what is left to do.
 */
import 'server-only';
import { getDb } from '@/lib/db/client';
import type { Workshop } from '@/lib/generated/prisma/client';
import { RunnerRequestError, type RunnerSession } from '@/lib/runner/client';
import { getRunner } from '@/lib/runner/instance';
import { labIdsOf } from './labs';

export type StopOutcome = { stopped: number; notStopped: number };

export type EndingWorkshop = Pick<Workshop, 'id' | 'labs' | 'endsAt' | 'endedAt' | 'sandboxesStoppedAt'>;

/** After a stop that failed (the runner down), how long a request waits before trying again. */
const retryAfterMs = 30_000;
const inFlight = new Map<string, Promise<StopOutcome>>();
const lastFailureAt = new Map<string, number>();

/** The runner's live sessions, or null when it cannot be asked (the dashboard then says so). */
export async function liveSessions(): Promise<RunnerSession[] | null> {
  try {
    return await getRunner().listSessions();
  } catch (error) {
    if (error instanceof RunnerRequestError) return null;
    throw error;
  }
}

/** When the workshop ended or ends: its instructor's end, or its end time if that came first. */
export function endOf(workshop: Pick<Workshop, 'endsAt' | 'endedAt'>): Date {
  return workshop.endedAt && workshop.endedAt < workshop.endsAt ? workshop.endedAt : workshop.endsAt;
}

/** Made before `end`: a sandbox of the workshop's time (one made after its end is the learner's own). */
export function madeBefore(session: Pick<RunnerSession, 'createdAt'>, end: Date): boolean {
  return session.createdAt === null || Date.parse(session.createdAt) <= end.getTime();
}

/** A session that failed to start, or is gone, has nothing to stop. */
function hasNothingToStop(error: unknown): boolean {
  return (
    error instanceof RunnerRequestError &&
    (error.code === 'INVALID_STATE' || error.code === 'SESSION_NOT_FOUND')
  );
}

async function stopNow(workshop: EndingWorkshop): Promise<StopOutcome> {
  const db = getDb();
  // Done meanwhile (the caller read the workshop before): a learner who may keep working after
  // the end could have resumed since.
  const current = await db.workshop.findUnique({
    where: { id: workshop.id },
    select: { sandboxesStoppedAt: true },
  });
  if (!current || current.sandboxesStoppedAt) return { stopped: 0, notStopped: 0 };
  const members = await db.workshopMember.findMany({
    where: { workshopId: workshop.id },
    select: { userId: true },
  });
  const memberIds = new Set(members.map((m) => m.userId));
  const labIds = new Set(labIdsOf(workshop));
  const end = endOf(workshop);
  const sessions = await liveSessions();
  if (sessions === null) return { stopped: 0, notStopped: memberIds.size };
  const due = sessions.filter(
    (s) =>
      memberIds.has(s.userId) &&
      labIds.has(s.labId) &&
      (s.state === 'ready' || s.state === 'creating') &&
      madeBefore(s, end),
  );
  const runner = getRunner();
  const outcomes = await Promise.allSettled(due.map((s) => runner.stop(s.id)));
  const outcome: StopOutcome = { stopped: 0, notStopped: 0 };
  for (const result of outcomes) {
    if (result.status === 'fulfilled') outcome.stopped += 1;
    else if (!hasNothingToStop(result.reason)) {
      outcome.notStopped += 1;
      console.error('workshops: a sandbox did not stop', result.reason);
    }
  }
  return outcome;
}

/**
 * Stops the workshop's sandboxes for its end, once: a caller while it runs shares its outcome, and
 * a stop that was done is not repeated. After a failure, a caller that is not `urgent` (the
 * instructor pressing End is) leaves it for `retryAfterMs` before trying again.
 */
export function stopSandboxesAtEnd(workshop: EndingWorkshop, urgent = false): Promise<StopOutcome> {
  const nothing = Promise.resolve({ stopped: 0, notStopped: 0 });
  if (workshop.sandboxesStoppedAt) return nothing;
  const running = inFlight.get(workshop.id);
  if (running) return running;
  if (!urgent && Date.now() - (lastFailureAt.get(workshop.id) ?? 0) < retryAfterMs) return nothing;
  const stop = stopNow(workshop)
    .then(async (outcome) => {
      if (outcome.notStopped > 0) {
        lastFailureAt.set(workshop.id, Date.now());
        return outcome;
      }
      lastFailureAt.delete(workshop.id);
      await getDb().workshop.updateMany({
        where: { id: workshop.id, sandboxesStoppedAt: null },
        data: { sandboxesStoppedAt: new Date() },
      });
      return outcome;
    })
    .finally(() => inFlight.delete(workshop.id));
  inFlight.set(workshop.id, stop);
  return stop;
}

/** Starts the end's stop, without waiting, for those of `workshops` that ended and did not have it. */
export function stopSandboxesOfEnded(workshops: EndingWorkshop[], now = new Date()): void {
  for (const workshop of workshops) {
    if (workshop.sandboxesStoppedAt || endOf(workshop) > now) continue;
    stopSandboxesAtEnd(workshop).catch((error: unknown) => {
      console.error(`workshops: the sandboxes of workshop ${workshop.id} could not be stopped`, error);
    });
  }
}
