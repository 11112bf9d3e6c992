/**
 * Resetting someone else's password to a temporary one that a person hands over (no mail needed):
 * an admin for any account (lib/admin/users.ts), an instructor for a learner who is a member of one
 * of their workshops. Either way the account is logged out everywhere and the reset is recorded
 * (audit.ts).
 */
import 'server-only';
import { z } from 'zod';
import { generateTemporaryPassword } from '@/lib/admin/temporary-password';
import { getDb } from '@/lib/db/client';
import type { User } from '@/lib/generated/prisma/client';
import { ApiError } from '@/lib/http/api-error';
import { setPassword } from './accounts';
import { recordAudit, type AuditAction } from './audit';
import { getLoginLimiter } from './login-limiter';
import { hasRole } from './roles';

/**
 * Gives the account a new random temporary password, returned once (only its hash is kept), ends
 * its sessions and records who did it. Throws AccountError USER_NOT_FOUND for no such account.
 */
export async function resetToTemporaryPassword(
  actor: Pick<User, 'id'>,
  targetId: string,
  action: Extract<AuditAction, 'password-reset:admin' | 'password-reset:instructor'>,
  detail?: Record<string, string>,
): Promise<{ password: string }> {
  const password = generateTemporaryPassword();
  await setPassword(targetId, password);
  await recordAudit(getDb(), { action, actorId: actor.id, targetId, detail });
  // The new password works at once, even where wrong guesses had locked the account out.
  const target = await getDb().user.findUnique({ where: { id: targetId }, select: { email: true } });
  if (target?.email) getLoginLimiter().unlock(target.email.toLowerCase());
  return { password };
}

/** Our ids are cuids: anything else in the URL is refused before a lookup. */
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The route's `[id]` and `[userId]`, checked; a 400 when either cannot be an id. */
export function workshopMemberIds(params: { id: string; userId: string }): {
  workshopId: string;
  userId: string;
} {
  if (!idSchema.safeParse(params.id).success || !idSchema.safeParse(params.userId).success) {
    throw new ApiError(400, 'BAD_REQUEST', 'This is not a workshop and member id.');
  }
  return { workshopId: params.id, userId: params.userId };
}

/**
 * An instructor resets the password of a learner who is a member of one of their workshops (an
 * admin: of any workshop). Learners only: an admin resets an instructor's or an admin's password.
 * Someone else's workshop is "not found", like the workshop pages answer, so ids do not leak.
 */
export async function resetWorkshopLearnerPassword(
  actor: Pick<User, 'id' | 'role'>,
  workshopId: string,
  userId: string,
): Promise<{ password: string }> {
  const db = getDb();
  const workshop = await db.workshop.findUnique({
    where: { id: workshopId },
    select: { instructorId: true },
  });
  if (!workshop || (workshop.instructorId !== actor.id && !hasRole(actor, 'admin'))) {
    throw new ApiError(404, 'WORKSHOP_NOT_FOUND', 'There is no such workshop, or it is not one of yours.');
  }
  const member = await db.workshopMember.findUnique({
    where: { workshopId_userId: { workshopId, userId } },
    select: { user: { select: { role: true, guest: true } } },
  });
  if (!member || member.user.guest) {
    throw new ApiError(404, 'LEARNER_NOT_FOUND', 'This person is not a member of this workshop.');
  }
  if (member.user.role !== 'learner') {
    throw new ApiError(
      403,
      'NOT_A_LEARNER',
      "Only a learner's password can be reset here. An admin resets the password of an instructor or an admin.",
    );
  }
  return resetToTemporaryPassword(actor, userId, 'password-reset:instructor', { workshopId });
}
