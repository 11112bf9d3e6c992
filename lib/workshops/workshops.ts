/**
 * Workshops in the database and on the runner: an instructor creates one (labs, schedule, join
 * code), learners join with the code, the instructor watches the dashboard, ends it (stopping the
 * members' sandboxes) and exports grades. An instructor sees only their own workshops, an admin
 * all; anyone else asking for one gets "not found", so ids do not leak.
 */
import 'server-only';
import { hasRole } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { Prisma, type User, type Workshop } from '@/lib/generated/prisma/client';
import { ApiError } from '@/lib/http/api-error';
import { getLab } from '@/lib/labs/catalog';
import { getRunner } from '@/lib/runner/instance';
import { shapeDashboard, type DashboardView } from './dashboard';
import type { CreateWorkshopInput } from './input';
import { isJoinCode, newJoinCode, normalizeJoinCode } from './join-code';
import { labsOf } from './labs';
import { liveSessions, stopSandboxesAtEnd, stopSandboxesOfEnded } from './sandboxes';

export type WorkshopErrorCode =
  | 'WORKSHOP_NOT_FOUND'
  | 'WORKSHOP_ENDED'
  | 'BAD_SCHEDULE'
  | 'LAB_NOT_FOUND'
  | 'LEARNER_NOT_FOUND'
  | 'NO_SANDBOX'
  | 'SANDBOX_NOT_READY';

const statusOf: Record<WorkshopErrorCode, number> = {
  WORKSHOP_NOT_FOUND: 404,
  WORKSHOP_ENDED: 409,
  BAD_SCHEDULE: 400,
  LAB_NOT_FOUND: 400,
  LEARNER_NOT_FOUND: 404,
  NO_SANDBOX: 409,
  SANDBOX_NOT_READY: 409,
};

export class WorkshopError extends ApiError {
  override name = 'WorkshopError';
  constructor(code: WorkshopErrorCode, message: string) {
    super(statusOf[code], code, message);
  }
}

export type WorkshopStatus = 'upcoming' | 'live' | 'ended';

export type WorkshopSummary = {
  id: string;
  title: string;
  code: string;
  labs: { id: string; title: string }[];
  startsAt: string;
  endsAt: string;
  endedAt: string | null;
  /** After the end, learners may resume their sandboxes of its labs and keep working. */
  learnersMayContinue: boolean;
  createdAt: string;
  status: WorkshopStatus;
  members: number;
  instructor: { id: string; name: string };
};

const notFound = () =>
  new WorkshopError('WORKSHOP_NOT_FOUND', 'There is no such workshop, or it is not one of yours.');

export function statusOfWorkshop(
  workshop: Pick<Workshop, 'startsAt' | 'endsAt' | 'endedAt'>,
  now = new Date(),
): WorkshopStatus {
  if (workshop.endedAt || workshop.endsAt <= now) return 'ended';
  return workshop.startsAt > now ? 'upcoming' : 'live';
}

type WorkshopWithCounts = Workshop & { instructor: Pick<User, 'id' | 'name'>; _count: { members: number } };

function summaryOf(workshop: WorkshopWithCounts, now = new Date()): WorkshopSummary {
  return {
    id: workshop.id,
    title: workshop.title,
    code: workshop.code,
    labs: labsOf(workshop).map(({ id, title }) => ({ id, title })),
    startsAt: workshop.startsAt.toISOString(),
    endsAt: workshop.endsAt.toISOString(),
    endedAt: workshop.endedAt?.toISOString() ?? null,
    learnersMayContinue: workshop.learnersMayContinue,
    createdAt: workshop.createdAt.toISOString(),
    status: statusOfWorkshop(workshop, now),
    members: workshop._count.members,
    instructor: { id: workshop.instructor.id, name: workshop.instructor.name },
  };
}

const withCounts = {
  instructor: { select: { id: true, name: true } },
  _count: { select: { members: true } },
} as const;

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Creates a workshop owned by `instructor`, with a fresh join code. */
export async function createWorkshop(
  instructor: Pick<User, 'id'>,
  input: CreateWorkshopInput,
): Promise<WorkshopSummary> {
  const unknown = input.labs.find((id) => !getLab(id));
  if (unknown) throw new WorkshopError('LAB_NOT_FOUND', `There is no lab "${unknown}".`);
  if (input.endsAt <= new Date()) {
    throw new WorkshopError('BAD_SCHEDULE', 'The end is in the past: choose an end still to come.');
  }
  // 31^6 ≈ 887 million codes: a clash is rare, and a few tries make it vanishingly so.
  for (let attempt = 0; ; attempt += 1) {
    try {
      const workshop = await getDb().workshop.create({
        data: {
          title: input.title,
          code: newJoinCode(),
          instructorId: instructor.id,
          labs: JSON.stringify(input.labs),
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          learnersMayContinue: input.learnersMayContinue,
        },
        include: withCounts,
      });
      return summaryOf(workshop);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 9) throw error;
    }
  }
}

/** The workshops `user` runs (an admin: everyone's), newest first. */
export async function listWorkshops(user: Pick<User, 'id' | 'role'>): Promise<WorkshopSummary[]> {
  const workshops = await getDb().workshop.findMany({
    where: hasRole(user, 'admin') ? {} : { instructorId: user.id },
    include: withCounts,
    orderBy: { createdAt: 'desc' },
  });
  const now = new Date();
  return workshops.map((w) => summaryOf(w, now));
}

async function findManaged(user: Pick<User, 'id' | 'role'>, workshopId: string): Promise<WorkshopWithCounts> {
  const workshop = await getDb().workshop.findUnique({ where: { id: workshopId }, include: withCounts });
  if (!workshop || !canManage(user, workshop)) throw notFound();
  return workshop;
}

/** A workshop its instructor (or an admin) may manage; WORKSHOP_NOT_FOUND for anyone else. */
export async function workshopForStaff(
  user: Pick<User, 'id' | 'role'>,
  workshopId: string,
): Promise<WorkshopSummary> {
  return summaryOf(await findManaged(user, workshopId));
}

function canManage(user: Pick<User, 'id' | 'role'>, workshop: Pick<Workshop, 'instructorId'>): boolean {
  return hasRole(user, 'admin') || (hasRole(user, 'instructor') && workshop.instructorId === user.id);
}

/** A workshop by its join code (any case, spaces and dashes ignored), for the join page. */
export async function workshopByCode(input: string): Promise<WorkshopSummary | null> {
  const code = normalizeJoinCode(input.trim());
  if (!isJoinCode(code)) return null;
  const workshop = await getDb().workshop.findUnique({ where: { code }, include: withCounts });
  return workshop ? summaryOf(workshop) : null;
}

const noWorkshopWithCode = () =>
  new WorkshopError(
    'WORKSHOP_NOT_FOUND',
    'No workshop has this code. Check it with your instructor: it is six letters and digits.',
  );

const takesNobodyNew = (workshop: Pick<WorkshopSummary, 'title'>) =>
  new WorkshopError(
    'WORKSHOP_ENDED',
    `The workshop “${workshop.title}” has ended: it takes no new learners.`,
  );

/** Refuses (404, or 409 once it has ended) a code whose workshop would take nobody new. */
export async function assertJoinable(input: string): Promise<WorkshopSummary> {
  const workshop = await workshopByCode(input);
  if (!workshop) throw noWorkshopWithCode();
  if (workshop.status === 'ended') throw takesNobodyNew(workshop);
  return workshop;
}

/**
 * Makes `user` a member of the workshop with this code. Joining twice changes nothing; a workshop
 * that has ended (or passed its end time) takes nobody new.
 */
export async function joinWorkshop(user: Pick<User, 'id'>, input: string): Promise<WorkshopSummary> {
  const workshop = await workshopByCode(input);
  if (!workshop) throw noWorkshopWithCode();
  const db = getDb();
  const already = await db.workshopMember.findUnique({
    where: { workshopId_userId: { workshopId: workshop.id, userId: user.id } },
  });
  if (already) return workshop;
  if (workshop.status === 'ended') throw takesNobodyNew(workshop);
  await db.workshopMember.upsert({
    where: { workshopId_userId: { workshopId: workshop.id, userId: user.id } },
    create: { workshopId: workshop.id, userId: user.id },
    update: {},
  });
  return { ...workshop, members: workshop.members + 1 };
}

/**
 * `user` leaves a workshop they joined: its instructor no longer sees them (dashboard, grades,
 * read-only view). Their sandboxes, files and progress stay their own. Not a member: 404.
 */
export async function leaveWorkshop(user: Pick<User, 'id'>, workshopId: string): Promise<void> {
  const { count } = await getDb().workshopMember.deleteMany({ where: { workshopId, userId: user.id } });
  if (count === 0) throw new WorkshopError('WORKSHOP_NOT_FOUND', 'You are not in this workshop.');
}

/** Whether the user joined the workshop. */
export async function isMember(workshopId: string, userId: string): Promise<boolean> {
  const member = await getDb().workshopMember.findUnique({
    where: { workshopId_userId: { workshopId, userId } },
  });
  return member !== null;
}

export type MyWorkshop = Pick<WorkshopSummary, 'id' | 'title' | 'labs' | 'startsAt' | 'endsAt' | 'status'> & {
  joinedAt: string;
};

/** The workshops a learner joined, newest first. */
export async function myWorkshops(userId: string): Promise<MyWorkshop[]> {
  const memberships = await getDb().workshopMember.findMany({
    where: { userId },
    include: { workshop: true },
    orderBy: { joinedAt: 'desc' },
  });
  const now = new Date();
  return memberships.map(({ workshop, joinedAt }) => ({
    id: workshop.id,
    title: workshop.title,
    labs: labsOf(workshop).map(({ id, title }) => ({ id, title })),
    startsAt: workshop.startsAt.toISOString(),
    endsAt: workshop.endsAt.toISOString(),
    status: statusOfWorkshop(workshop, now),
    joinedAt: joinedAt.toISOString(),
  }));
}

/** The live grid: every member × every step of the workshop's labs, with sandboxes and activity. */
export async function workshopDashboard(
  user: Pick<User, 'id' | 'role'>,
  workshopId: string,
): Promise<{ workshop: WorkshopSummary; view: DashboardView }> {
  const row = await findManaged(user, workshopId);
  // Past its end time, its sandboxes stop now (once), whoever looks first.
  stopSandboxesOfEnded([row]);
  const workshop = summaryOf(row);
  const db = getDb();
  const labs = labsOf(row);
  const labIds = labs.map((l) => l.id);
  const members = await db.workshopMember.findMany({
    where: { workshopId },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  const userIds = members.map((m) => m.userId);
  const scope = { userId: { in: userIds }, labId: { in: labIds } };
  const [results, reveals, skips, progress, sessions] = await Promise.all([
    db.labStepResult.findMany({
      where: scope,
      select: { userId: true, labId: true, stepId: true, status: true, automatic: true, createdAt: true },
    }),
    db.solutionReveal.findMany({ where: scope, select: { userId: true, labId: true, stepId: true } }),
    db.labStepSkip.findMany({ where: scope, select: { userId: true, labId: true, stepId: true } }),
    db.labProgress.findMany({ where: scope, select: { userId: true, labId: true, lastOpenedAt: true } }),
    liveSessions(),
  ]);
  const memberIds = new Set(userIds);
  const view = shapeDashboard({
    labs,
    members: members.map((m) => ({
      userId: m.userId,
      email: m.user.email,
      name: m.user.name,
      joinedAt: m.joinedAt,
    })),
    results,
    reveals,
    skips,
    progress,
    sandboxes: sessions?.filter((s) => memberIds.has(s.userId)) ?? null,
    now: new Date(),
  });
  return { workshop, view };
}

/**
 * Ends the workshop (nobody joins any more) and stops the members' sandboxes of its labs, waiting
 * for those still starting; their files are kept. Ending twice is harmless. Says how many
 * sandboxes stopped and how many could not.
 */
export async function endWorkshop(
  user: Pick<User, 'id' | 'role'>,
  workshopId: string,
): Promise<{ workshop: WorkshopSummary; stopped: number; notStopped: number }> {
  const before = await findManaged(user, workshopId);
  const db = getDb();
  if (!before.endedAt) {
    await db.workshop.updateMany({ where: { id: workshopId, endedAt: null }, data: { endedAt: new Date() } });
  }
  const ended = await db.workshop.findUniqueOrThrow({ where: { id: workshopId } });
  const { stopped, notStopped } = await stopSandboxesAtEnd(ended, true);
  return { workshop: await workshopForStaff(user, workshopId), stopped, notStopped };
}

export type LearnerInWorkshop = {
  workshop: WorkshopSummary;
  learner: { id: string; name: string; email: string };
  sandboxes: { labId: string; labTitle: string; state: string | null }[];
};

/** A member of a workshop the user manages, with their sandboxes for its labs. */
export async function learnerInWorkshop(
  user: Pick<User, 'id' | 'role'>,
  workshopId: string,
  learnerId: string,
): Promise<LearnerInWorkshop> {
  const workshop = await workshopForStaff(user, workshopId);
  const member = await getDb().workshopMember.findUnique({
    where: { workshopId_userId: { workshopId, userId: learnerId } },
    include: { user: { select: { id: true, name: true, email: true } } },
  });
  if (!member) throw new WorkshopError('LEARNER_NOT_FOUND', 'This learner is not in this workshop.');
  const sessions = (await liveSessions()) ?? [];
  return {
    workshop,
    learner: member.user,
    sandboxes: workshop.labs.map((lab) => ({
      labId: lab.id,
      labTitle: lab.title,
      state: sessions.find((s) => s.userId === learnerId && s.labId === lab.id)?.state ?? null,
    })),
  };
}

/** How long after a workshop's end its instructor may still watch a learner. */
export const viewGraceAfterEndMs = 5 * 60_000;

/**
 * A read-only token for a member's sandbox of one of the workshop's labs: for the workshop's
 * instructor or an admin only, only while that sandbox is ready, and until shortly after the
 * workshop's end.
 */
export async function viewerToken(
  user: Pick<User, 'id' | 'role'>,
  workshopId: string,
  learnerId: string,
  labId: string,
): Promise<{ sessionId: string; token: string; expiresAt: number; runnerBase: string }> {
  const { workshop } = await learnerInWorkshop(user, workshopId, learnerId);
  if (!workshop.labs.some((lab) => lab.id === labId)) {
    throw new WorkshopError('LAB_NOT_FOUND', 'This lab is not part of the workshop.');
  }
  // The view ends with the workshop, after a short grace: a learner who keeps working afterwards
  // does so on their own. No token outlives that moment (the runner ends a view with its token).
  const end = Math.min(
    Date.parse(workshop.endsAt),
    workshop.endedAt ? Date.parse(workshop.endedAt) : Infinity,
  );
  const viewableUntil = end + viewGraceAfterEndMs;
  if (Date.now() >= viewableUntil) {
    throw new WorkshopError(
      'WORKSHOP_ENDED',
      'The workshop has ended: its learners can no longer be watched, whether they keep working or not.',
    );
  }
  const runner = getRunner();
  const session = await runner.findSession(learnerId, labId);
  if (!session) throw new WorkshopError('NO_SANDBOX', 'This learner has no sandbox for this lab yet.');
  if (session.state !== 'ready') {
    throw new WorkshopError(
      'SANDBOX_NOT_READY',
      session.state === 'stopped'
        ? 'This learner’s sandbox is stopped: it can be watched again once they resume the lab.'
        : `This learner’s sandbox is ${session.state}; try again in a moment.`,
    );
  }
  const ttlSeconds = Math.max(1, Math.min(300, Math.floor((viewableUntil - Date.now()) / 1000)));
  return {
    sessionId: session.id,
    runnerBase: '/runner',
    ...runner.viewerToken(session.id, learnerId, ttlSeconds),
  };
}
