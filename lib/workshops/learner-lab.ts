/**
 * A learner's workshop as their lab page sees it: the workshop of theirs that has the lab (named
 * on the page), and, once it has ended, whether it holds the lab's sandbox stopped. A workshop's
 * end holds the sandboxes made before it, unless it lets learners keep working after the end
 * (then only until its end has stopped them). The lab routes refuse to resume, reset or open a
 * held sandbox (`refuseWhileWorkshopEnded`); the learner can still download a copy of the files.
 */
import 'server-only';
import { getDb } from '@/lib/db/client';
import type { Workshop } from '@/lib/generated/prisma/client';
import type { RunnerSession } from '@/lib/runner/client';
import { getRunner } from '@/lib/runner/instance';
import { labIdsOf } from './labs';
import { endOf, madeBefore, stopSandboxesOfEnded } from './sandboxes';
import { statusOfWorkshop, WorkshopError, type WorkshopStatus } from './workshops';

export type LearnerLabWorkshop = {
  id: string;
  title: string;
  status: WorkshopStatus;
  endsAt: string;
  endedAt: string | null;
  /** Who ended it: its instructor, or its end time; null while it has not ended. */
  endedBy: 'instructor' | 'schedule' | null;
  learnersMayContinue: boolean;
  /** Its end stopped its members' sandboxes (the lab page stops asking so often then). */
  sandboxesStopped: boolean;
  /**
   * The lab's sandbox is held stopped by this ended workshop: no resume, reset or terminal, only a
   * download of the files. For a workshop that lets learners keep working, only until its end has
   * stopped the sandboxes.
   */
  isLocked: boolean;
};

export type LabMembership = {
  joinedAt: Date;
  workshop: Pick<
    Workshop,
    'id' | 'title' | 'labs' | 'startsAt' | 'endsAt' | 'endedAt' | 'learnersMayContinue' | 'sandboxesStoppedAt'
  >;
};

type MembershipWorkshop = LabMembership['workshop'];

function viewOf(workshop: MembershipWorkshop, now: Date, isLocked: boolean): LearnerLabWorkshop {
  const status = statusOfWorkshop(workshop, now);
  return {
    id: workshop.id,
    title: workshop.title,
    status,
    endsAt: workshop.endsAt.toISOString(),
    endedAt: workshop.endedAt?.toISOString() ?? null,
    endedBy:
      status !== 'ended'
        ? null
        : workshop.endedAt && workshop.endedAt <= workshop.endsAt
          ? 'instructor'
          : 'schedule',
    learnersMayContinue: workshop.learnersMayContinue,
    sandboxesStopped: workshop.sandboxesStoppedAt !== null,
    isLocked,
  };
}

/**
 * The workshop to show on a lab page, from the learner's memberships of workshops with that lab
 * and their sandbox of it: one that has not ended (a live one first, then the latest joined), so
 * the lab is open; else the ended one that holds the sandbox, if any; else the latest ended.
 */
export function learnerLabState(
  memberships: readonly LabMembership[],
  session: Pick<RunnerSession, 'createdAt'> | null,
  now: Date,
): LearnerLabWorkshop | null {
  const byJoined = [...memberships].sort((a, b) => b.joinedAt.getTime() - a.joinedAt.getTime());
  const open = byJoined.filter((m) => statusOfWorkshop(m.workshop, now) !== 'ended');
  const chosen = open.find((m) => statusOfWorkshop(m.workshop, now) === 'live') ?? open[0];
  if (chosen) return viewOf(chosen.workshop, now, false);
  const holds = (workshop: MembershipWorkshop) =>
    session !== null &&
    madeBefore(session, endOf(workshop)) &&
    (!workshop.learnersMayContinue || workshop.sandboxesStoppedAt === null);
  const ended = byJoined.map((m) => m.workshop).sort((a, b) => endOf(b).getTime() - endOf(a).getTime());
  const holding = ended.find(holds);
  const shown = holding ?? ended[0];
  return shown ? viewOf(shown, now, holding !== undefined) : null;
}

async function membershipsWithLab(userId: string, labId: string): Promise<LabMembership[]> {
  const memberships = await getDb().workshopMember.findMany({
    where: { userId },
    include: { workshop: true },
  });
  return memberships.filter((m) => labIdsOf(m.workshop).includes(labId));
}

/**
 * The learner's workshop for the lab, or null when none of theirs has it. Asking also notices a
 * workshop whose end time has passed: its sandboxes stop now.
 */
export async function learnerLabWorkshop(userId: string, labId: string): Promise<LearnerLabWorkshop | null> {
  const memberships = await membershipsWithLab(userId, labId);
  if (memberships.length === 0) return null;
  const now = new Date();
  stopSandboxesOfEnded(
    memberships.map((m) => m.workshop),
    now,
  );
  // The sandbox matters only once every one of these workshops has ended.
  const hasOpen = memberships.some((m) => statusOfWorkshop(m.workshop, now) !== 'ended');
  const session = hasOpen ? null : ((await getRunner().findSession(userId, labId)) ?? null);
  return learnerLabState(memberships, session, now);
}

/** What a learner is told when their workshop's end holds the sandbox. */
export function heldMessage(workshop: LearnerLabWorkshop): string {
  const ended =
    workshop.endedBy === 'instructor'
      ? `Your instructor ended the workshop “${workshop.title}”`
      : `The workshop “${workshop.title}” has ended`;
  return workshop.learnersMayContinue
    ? `${ended}; its sandboxes are being stopped. Then you may resume this lab and keep working on your own.`
    : `${ended}: this lab’s sandbox stays stopped. You can download a copy of your files on the lab page.`;
}

/**
 * Refuses (409 WORKSHOP_ENDED) to resume, reset or open the learner's sandbox of the lab while an
 * ended workshop of theirs holds it.
 */
export async function refuseWhileWorkshopEnded(
  userId: string,
  labId: string,
  session: Pick<RunnerSession, 'createdAt'> | null | undefined,
): Promise<void> {
  if (!session) return;
  const memberships = await membershipsWithLab(userId, labId);
  if (memberships.length === 0) return;
  const workshop = learnerLabState(memberships, session, new Date());
  if (workshop?.isLocked) throw new WorkshopError('WORKSHOP_ENDED', heldMessage(workshop));
}
