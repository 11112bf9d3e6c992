/**
 * "Start everyone at step N": the workshop's instructor (or an admin) moves every member who is
 * behind to a step of one of its labs. A member with a ready sandbox gets the earlier steps'
 * reference solutions now and those steps recorded as skipped (lib/labs/jump.ts); for a member
 * without one it is recorded and applied when they next start the lab. Members who already passed
 * or skipped every earlier step are left as they are, so nobody's further work is overwritten.
 */
import 'server-only';
import { z } from 'zod';
import type { User } from '@/lib/generated/prisma/client';
import { getDb } from '@/lib/db/client';
import { ApiError } from '@/lib/http/api-error';
import { getLab } from '@/lib/labs/catalog';
import { jumpTargetIndex, jumpToStep, stepsLeftBefore } from '@/lib/labs/jump';
import { RunnerRequestError, type RunnerSession } from '@/lib/runner/client';
import { getRunner } from '@/lib/runner/instance';
import { labIdSchema } from '@/lab-runner/api/lab-schema';
import { WorkshopError, workshopForStaff } from './workshops';

export const startEveryoneSchema = z.strictObject({
  labId: z.string().refine((id) => labIdSchema.safeParse(id).success, 'is not a lab id'),
  stepId: z.string().min(1).max(64),
});

export type StartEveryoneInput = z.infer<typeof startEveryoneSchema>;

export type StartEveryoneOutcome = {
  /** Members moved now (their sandbox was ready). */
  moved: number;
  /** Members who will be moved when they next start the lab. */
  pending: number;
  /** Members who had already passed or skipped every earlier step. */
  alreadyThere: number;
  /** Members whose ready sandbox could not take the files (try again). */
  failed: number;
};

/** How many members are moved at once (each move writes a few files through the runner). */
const concurrency = 4;

async function readySessions(): Promise<Map<string, RunnerSession> | null> {
  try {
    const sessions = await getRunner().listSessions({ state: 'ready' });
    return new Map(sessions.map((session) => [`${session.userId}\u0000${session.labId}`, session]));
  } catch (error) {
    if (error instanceof RunnerRequestError) return null;
    throw error;
  }
}

export async function startEveryoneAt(
  user: Pick<User, 'id' | 'role'>,
  workshopId: string,
  input: StartEveryoneInput,
): Promise<StartEveryoneOutcome> {
  const workshop = await workshopForStaff(user, workshopId);
  const lab = workshop.labs.some((l) => l.id === input.labId) ? getLab(input.labId) : undefined;
  if (!lab) throw new WorkshopError('LAB_NOT_FOUND', 'This lab is not part of the workshop.');
  if (workshop.status === 'ended') {
    throw new WorkshopError('WORKSHOP_ENDED', `The workshop “${workshop.title}” has ended.`);
  }
  try {
    jumpTargetIndex(lab, input.stepId);
  } catch (error) {
    // A step that is not in the lab is a bad request here, not a missing page.
    if (error instanceof ApiError) throw new ApiError(400, error.code, error.message);
    throw error;
  }

  const db = getDb();
  const members = await db.workshopMember.findMany({ where: { workshopId }, select: { userId: true } });
  const sessions = await readySessions();
  const outcome: StartEveryoneOutcome = { moved: 0, pending: 0, alreadyThere: 0, failed: 0 };
  const moveOne = async (userId: string) => {
    if ((await stepsLeftBefore(userId, lab, input.stepId)).length === 0) {
      await db.pendingStepJump.deleteMany({ where: { userId, labId: lab.id } });
      outcome.alreadyThere += 1;
      return;
    }
    const session = sessions?.get(`${userId}\u0000${lab.id}`);
    if (!session) {
      const pending = { stepId: input.stepId, workshopId, createdAt: new Date() };
      await db.pendingStepJump.upsert({
        where: { userId_labId: { userId, labId: lab.id } },
        create: { userId, labId: lab.id, ...pending },
        update: pending,
      });
      outcome.pending += 1;
      return;
    }
    try {
      await jumpToStep(getRunner(), session.id, userId, lab, input.stepId, workshopId);
      outcome.moved += 1;
    } catch (error) {
      console.error(`workshops: could not start a learner at ${lab.id}/${input.stepId}`, error);
      outcome.failed += 1;
    }
  };
  for (let start = 0; start < members.length; start += concurrency) {
    await Promise.all(members.slice(start, start + concurrency).map((member) => moveOne(member.userId)));
  }
  return outcome;
}
