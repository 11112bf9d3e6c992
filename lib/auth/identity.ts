/**
 * Who is asking. A browser that logged in holds a session cookie (`academy_session`, HTTP-only,
 * SameSite=Lax) with a random token; the database keeps only its SHA-256. Sessions end 30 days
 * after log-in, or at log-out. Log-in and using a session (at most once a minute) note the time on
 * the session and on the account (`lastSeenAt`), which outlives the session.
 *
 * Before accounts existed, the first lab action made a *guest* learner with such a session. Guests
 * are no longer made, and a guest session does not count as signed in; signing up in that browser
 * turns the guest into the new account, logging in merges its progress (lib/auth/guest-merge.ts).
 */
import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { getDb } from '@/lib/db/client';
import type { User } from '@/lib/generated/prisma/client';
import { hasRole, type Role } from './roles';
import {
  csrfCookieName,
  hashSessionToken,
  isWellFormedToken,
  newCsrfToken,
  newSessionToken,
  sessionCookieName,
  sessionLifetimeMs,
  sessionTouchIntervalMs,
} from './tokens';

export { hasRole, type Role };

type SessionWithUser = { id: string; lastSeenAt: Date; expiresAt: Date; user: User };

/** The session row this browser's cookie names, if it is still valid (guest or not). */
const sessionOfThisBrowser = cache(async (): Promise<SessionWithUser | null> => {
  const token = (await cookies()).get(sessionCookieName)?.value;
  if (!isWellFormedToken(token)) return null;
  const session = await getDb().session.findUnique({
    where: { id: hashSessionToken(token) },
    include: { user: true },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  if (Date.now() - session.lastSeenAt.getTime() >= sessionTouchIntervalMs) {
    // Best effort: a lost race with log-out (the row is gone) must not fail the request. The
    // account keeps the time too, for after its sessions are gone (log-out, a new password).
    const db = getDb();
    const now = new Date();
    await db
      .$transaction([
        db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } }),
        db.user.updateMany({ where: { id: session.user.id }, data: { lastSeenAt: now } }),
      ])
      .catch(() => undefined);
  }
  return session;
});

/**
 * The signed-in user of this request, or null. Never sets a cookie, so it is safe in server
 * components; a guest session (from before accounts) is not signed in.
 */
export async function currentUser(): Promise<User | null> {
  const session = await sessionOfThisBrowser();
  if (!session || session.user.guest) return null;
  return session.user;
}

/** The guest learner of an old guest session in this browser, whose progress an account can take over. */
export async function guestOfThisBrowser(): Promise<User | null> {
  const session = await sessionOfThisBrowser();
  return session?.user.guest ? session.user : null;
}

async function isSecureRequest(): Promise<boolean> {
  return (await headers()).get('x-forwarded-proto') === 'https';
}

/**
 * Logs this browser in as `userId`: a new session (the one the browser had, if any, is ended, so a
 * token planted before log-in is worthless after it), the session cookie and a new CSRF cookie.
 * Only in route handlers and server actions (it sets cookies).
 */
export async function signIn(userId: string): Promise<void> {
  const db = getDb();
  const jar = await cookies();
  const previous = jar.get(sessionCookieName)?.value;
  const token = newSessionToken();
  const now = Date.now();
  const expiresAt = new Date(now + sessionLifetimeMs);
  const userAgent = (await headers()).get('user-agent')?.slice(0, 300) ?? null;
  await db.$transaction([
    ...(isWellFormedToken(previous)
      ? [db.session.deleteMany({ where: { id: hashSessionToken(previous) } })]
      : []),
    db.session.deleteMany({ where: { userId, expiresAt: { lte: new Date(now) } } }),
    db.session.create({ data: { id: hashSessionToken(token), userId, expiresAt, userAgent } }),
    db.user.update({ where: { id: userId }, data: { lastSeenAt: new Date(now) } }),
  ]);
  const secure = await isSecureRequest();
  jar.set(sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: expiresAt,
  });
  jar.set(csrfCookieName, newCsrfToken(), {
    httpOnly: false,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: expiresAt,
  });
}

/** Logs this browser out: its session row is deleted and both cookies are cleared. */
export async function signOut(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(sessionCookieName)?.value;
  if (isWellFormedToken(token)) {
    await getDb().session.deleteMany({ where: { id: hashSessionToken(token) } });
  }
  jar.delete({ name: sessionCookieName, path: '/' });
  jar.delete({ name: csrfCookieName, path: '/' });
}

/**
 * Makes sure this browser has a CSRF cookie (a visitor who never logged in needs one to sign up
 * or log in). Returns the token. Only in route handlers.
 */
export async function ensureCsrfCookie(): Promise<string> {
  const jar = await cookies();
  const existing = jar.get(csrfCookieName)?.value;
  if (isWellFormedToken(existing)) return existing;
  const token = newCsrfToken();
  jar.set(csrfCookieName, token, {
    httpOnly: false,
    sameSite: 'strict',
    secure: await isSecureRequest(),
    path: '/',
    maxAge: sessionLifetimeMs / 1000,
  });
  return token;
}
