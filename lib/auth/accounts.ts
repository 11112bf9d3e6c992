/**
 * Accounts in the database: making one, checking a password, changing a password or a role. The
 * sign-up and log-in routes, `npm run admin:create`, the first-start admin and the admin pages all
 * go through here, so the rules (normalised email, password policy, roles) live in one place.
 */
import 'server-only';
import { z } from 'zod';
import { getDb } from '@/lib/db/client';
import { Prisma, type User } from '@/lib/generated/prisma/client';
import { ApiError } from '@/lib/http/api-error';
import {
  hashPassword,
  needsRehash,
  passwordMaxLength,
  passwordProblem,
  verifyAgainstDummy,
  verifyPassword,
} from './password';
import type { Role } from './roles';

/** Emails are compared and stored trimmed and in lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'Use an email address of at most 254 characters.')
  .pipe(z.email('Enter a valid email address, such as ada@example.com.'))
  .transform(normaliseEmail);

/** A display name: shown to instructors and in the header, always as text. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, 'Enter your name.')
  .max(80, 'Use a name of at most 80 characters.')
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'A name cannot contain control characters.');

/** A new password: the rules of lib/auth/password.ts, with their messages. */
export const newPasswordSchema = z
  .string()
  .max(passwordMaxLength * 4, `Use at most ${passwordMaxLength} characters for your password.`)
  .superRefine((password, context) => {
    const problem = passwordProblem(password);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

type AccountErrorCode = 'EMAIL_TAKEN' | 'WEAK_PASSWORD' | 'USER_NOT_FOUND';

const statusOf: Record<AccountErrorCode, number> = {
  EMAIL_TAKEN: 409,
  WEAK_PASSWORD: 400,
  USER_NOT_FOUND: 404,
};

export class AccountError extends ApiError {
  override name = 'AccountError';
  constructor(code: AccountErrorCode, message: string) {
    super(statusOf[code], code, message);
  }
}

function assertPasswordAllowed(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new AccountError('WEAK_PASSWORD', problem);
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

const emailTaken = () =>
  new AccountError('EMAIL_TAKEN', 'An account with this email already exists. Log in instead.');

export type NewAccount = { email: string; name: string; password: string; role?: Role };

/**
 * Makes an account. With `fromGuestId` (an old guest learner of the same browser) the guest itself
 * becomes the account, so its lab progress and sandbox stay its own. Throws AccountError.
 */
export async function createUser(account: NewAccount, options: { fromGuestId?: string } = {}): Promise<User> {
  assertPasswordAllowed(account.password);
  // A taken email is refused before the (deliberately slow) hash, so refused sign-ups cost little;
  // the unique index still decides a race between two sign-ups.
  if (await findUserByEmail(account.email)) throw emailTaken();
  const data = {
    email: normaliseEmail(account.email),
    name: account.name.trim(),
    passwordHash: await hashPassword(account.password),
    role: account.role ?? 'learner',
    guest: false,
  };
  const db = getDb();
  try {
    if (options.fromGuestId) {
      const converted = await db.$transaction(async (tx) => {
        const guest = await tx.user.findFirst({ where: { id: options.fromGuestId, guest: true } });
        if (!guest) return null;
        // The guest's own session is replaced by the one signIn makes.
        await tx.session.deleteMany({ where: { userId: guest.id } });
        return tx.user.update({ where: { id: guest.id }, data });
      });
      if (converted) return converted;
    }
    return await db.user.create({ data });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

export async function findUserByEmail(email: string): Promise<User | null> {
  return getDb().user.findUnique({ where: { email: normaliseEmail(email) } });
}

/**
 * The account with this email and password, or null. Takes about as long either way (an unknown
 * email still runs a hash), and upgrades a hash made with older parameters.
 */
export async function authenticate(email: string, password: string): Promise<User | null> {
  const user = await findUserByEmail(email);
  if (!user || user.guest || !user.passwordHash) {
    await verifyAgainstDummy(password);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  if (needsRehash(user.passwordHash)) {
    await getDb().user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword(password) },
    });
  }
  return user;
}

/** Sets a new password and ends every session of that user (they log in again with it). */
export async function setPassword(userId: string, password: string): Promise<void> {
  assertPasswordAllowed(password);
  const passwordHash = await hashPassword(password);
  const db = getDb();
  const [updated] = await db.$transaction([
    db.user.updateMany({ where: { id: userId }, data: { passwordHash } }),
    db.session.deleteMany({ where: { userId } }),
  ]);
  if (updated.count === 0) throw new AccountError('USER_NOT_FOUND', 'There is no such user.');
}

/** Gives the user `role`. Their sessions stay: every request reads the role afresh. */
export async function setRole(userId: string, role: Role): Promise<User> {
  try {
    return await getDb().user.update({ where: { id: userId }, data: { role } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') {
      throw new AccountError('USER_NOT_FOUND', 'There is no such user.');
    }
    throw error;
  }
}

/** Whether any admin exists yet (the first start makes one from ADMIN_EMAIL/ADMIN_PASSWORD if not). */
export async function hasAdmin(): Promise<boolean> {
  return (await getDb().user.count({ where: { role: 'admin', guest: false } })) > 0;
}

/**
 * Makes `email` an admin: a new account with this name and password, or an existing one promoted
 * (its password is changed only when one is given). Used by `npm run admin:create` and first start.
 */
export async function ensureAdmin(input: {
  email: string;
  name: string;
  password?: string;
}): Promise<{ user: User; created: boolean }> {
  const existing = await findUserByEmail(input.email);
  if (existing && !existing.guest) {
    if (input.password !== undefined) await setPassword(existing.id, input.password);
    return { user: await setRole(existing.id, 'admin'), created: false };
  }
  if (input.password === undefined) {
    throw new AccountError('WEAK_PASSWORD', 'A new admin account needs a password.');
  }
  const user = await createUser({
    email: input.email,
    name: input.name,
    password: input.password,
    role: 'admin',
  });
  return { user, created: true };
}
