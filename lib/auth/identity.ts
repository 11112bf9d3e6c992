/**
 * Who is asking. Accounts (sign-up and log-in) arrive with the classrooms issue; until then, and
 * for anyone who has not signed up, the first lab action makes a *guest* learner whose session
 * lives in an HTTP-only, SameSite=Lax cookie. Everything a guest does is saved against that user,
 * so signing up later can keep it.
 */
import 'server-only';
import { cookies, headers } from 'next/headers';
import { getDb } from '@/lib/db/client';
import type { User } from '@/lib/generated/prisma/client';
import {
  hashSessionToken,
  isWellFormedToken,
  newSessionToken,
  sessionCookieName,
  sessionLifetimeMs,
} from './tokens';

/** The signed-in (or guest) user of this request, or null. Read-only: safe in server components. */
export async function currentUser(): Promise<User | null> {
  const token = (await cookies()).get(sessionCookieName)?.value;
  if (!isWellFormedToken(token)) return null;
  const session = await getDb().session.findUnique({
    where: { id: hashSessionToken(token) },
    include: { user: true },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  return session.user;
}

async function isSecureRequest(): Promise<boolean> {
  const h = await headers();
  return h.get('x-forwarded-proto') === 'https';
}

/**
 * The current user, or a new guest learner with a session cookie. Only in route handlers and
 * server actions (it may set a cookie).
 */
export async function requireLearner(): Promise<User> {
  const existing = await currentUser();
  if (existing) return existing;
  const db = getDb();
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  const userAgent = (await headers()).get('user-agent')?.slice(0, 300) ?? null;
  const user = await db.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: {
        email: `pending-${token.slice(0, 16)}@guest.invalid`,
        name: 'Guest learner',
        passwordHash: '',
        guest: true,
      },
    });
    await tx.session.create({
      data: { id: hashSessionToken(token), userId: created.id, expiresAt, userAgent },
    });
    return tx.user.update({ where: { id: created.id }, data: { email: `${created.id}@guest.invalid` } });
  });
  (await cookies()).set(sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: await isSecureRequest(),
    path: '/',
    expires: expiresAt,
  });
  return user;
}
