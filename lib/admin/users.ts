/**
 * What the admin pages do with accounts: list and search them, count them by role, change a role
 * (never leaving the platform without an admin), reset a password to a temporary one and lift a
 * log-in lock-out (both recorded).
 */
import 'server-only';
import { AccountError, setRole } from '@/lib/auth/accounts';
import { recordAudit } from '@/lib/auth/audit';
import { getLoginLimiter } from '@/lib/auth/login-limiter';
import { resetToTemporaryPassword } from '@/lib/auth/password-resets';
import { roles, type Role } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import type { Prisma, User } from '@/lib/generated/prisma/client';
import { ApiError } from '@/lib/http/api-error';
import { pageCount, usersPageSize, type UserQuery } from './user-query';

export type AdminUserRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  /** When they last logged in or made a request (to the minute), whether logged in now or not. */
  lastSeenAt: string | null;
  /** Wrong passwords lock log-ins to this account out from somewhere now (login-limiter.ts). */
  isLockedOut: boolean;
};

/** An admin action refused: the account is gone (404), or it is the last admin (409). */
export class AdminActionError extends ApiError {
  override name = 'AdminActionError';
  constructor(status: 404 | 409, code: 'USER_NOT_FOUND' | 'LAST_ADMIN', message: string) {
    super(status, code, message);
  }
}

/** Accounts only: guest learners from before accounts existed have no email or password to manage. */
const accountsOnly = { guest: false } satisfies Prisma.UserWhereInput;

export async function listUsers(query: UserQuery) {
  const where: Prisma.UserWhereInput = query.search
    ? { ...accountsOnly, OR: [{ email: { contains: query.search } }, { name: { contains: query.search } }] }
    : accountsOnly;
  const db = getDb();
  const total = await db.user.count({ where });
  const pages = pageCount(total);
  const page = Math.min(query.page, pages);
  const users = await db.user.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    skip: (page - 1) * usersPageSize,
    take: usersPageSize,
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      createdAt: true,
      lastSeenAt: true,
    },
  });
  const rows: AdminUserRow[] = users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: (roles as readonly string[]).includes(u.role) ? (u.role as Role) : 'learner',
    createdAt: u.createdAt.toISOString(),
    lastSeenAt: u.lastSeenAt?.toISOString() ?? null,
    isLockedOut: getLoginLimiter().isLockedOut(u.email.toLowerCase()),
  }));
  return { users: rows, total, page, pages };
}

/** Accounts per role (every role present, zero included) and the old guest learners. */
export async function countUsersByRole(): Promise<{ byRole: Record<Role, number>; guests: number }> {
  const db = getDb();
  const [groups, guests] = await Promise.all([
    db.user.groupBy({ by: ['role'], where: accountsOnly, _count: { _all: true } }),
    db.user.count({ where: { guest: true } }),
  ]);
  const byRole = Object.fromEntries(roles.map((r) => [r, 0])) as Record<Role, number>;
  for (const group of groups) {
    if ((roles as readonly string[]).includes(group.role)) byRole[group.role as Role] = group._count._all;
  }
  return { byRole, guests };
}

async function findAccount(userId: string) {
  const user = await getDb().user.findFirst({ where: { id: userId, ...accountsOnly } });
  if (!user) throw new AdminActionError(404, 'USER_NOT_FOUND', 'There is no account with this id.');
  return user;
}

/**
 * Role changes run one at a time in this process (the web server is one process), so two admins
 * demoting each other at the same moment cannot both pass the last-admin check.
 */
let roleChanges: Promise<unknown> = Promise.resolve();

/** Gives the account `role`; refuses (409 LAST_ADMIN) to take the role from the last admin. */
export function changeRole(userId: string, role: Role) {
  const change = roleChanges.then(async () => {
    const user = await findAccount(userId);
    if (user.role === 'admin' && role !== 'admin') {
      const admins = await getDb().user.count({ where: { ...accountsOnly, role: 'admin' } });
      if (admins <= 1) {
        throw new AdminActionError(
          409,
          'LAST_ADMIN',
          'This is the only admin account. Make someone else an admin first, so the platform keeps one.',
        );
      }
    }
    const updated = await setRole(user.id, role).catch((error: unknown) => {
      if (error instanceof AccountError && error.code === 'USER_NOT_FOUND') {
        throw new AdminActionError(404, 'USER_NOT_FOUND', 'There is no account with this id.');
      }
      throw error;
    });
    return { id: updated.id, role: updated.role as Role };
  });
  roleChanges = change.catch(() => undefined);
  return change;
}

/**
 * Gives the account a new, random temporary password and logs it out everywhere, recording which
 * admin did it. The password is returned once, for the admin to pass on; only its hash is kept.
 */
export async function resetPassword(admin: Pick<User, 'id'>, userId: string): Promise<{ password: string }> {
  const user = await findAccount(userId);
  try {
    return await resetToTemporaryPassword(admin, user.id, 'password-reset:admin');
  } catch (error) {
    if (error instanceof AccountError && error.code === 'USER_NOT_FOUND') {
      throw new AdminActionError(404, 'USER_NOT_FOUND', 'There is no account with this id.');
    }
    throw error;
  }
}

/**
 * Lifts a log-in lock-out: every failed log-in counted against the account's email, from every
 * address, is forgotten (recorded in the audit log).
 */
export async function unlockLogIn(admin: Pick<User, 'id'>, userId: string): Promise<void> {
  const user = await findAccount(userId);
  getLoginLimiter().unlock(user.email.toLowerCase());
  await recordAudit(getDb(), { action: 'login-unlock:admin', actorId: admin.id, targetId: user.id });
}
