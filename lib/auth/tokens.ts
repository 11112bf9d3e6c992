/** Session tokens: random, given to the browser once; only their SHA-256 is stored. */
import crypto from 'node:crypto';

export { csrfCookieName, csrfHeaderName, sessionCookieName } from './cookie-names';

/** A session ends 30 days after log-in, however active it is. */
export const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000;
/** `lastSeenAt` is written at most this often per session. */
export const sessionTouchIntervalMs = 60 * 1000;

export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** A CSRF token has the same shape as a session token, and is compared as one. */
export const newCsrfToken = newSessionToken;

export function hashSessionToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** A cookie value we could have issued (43 base64url characters), before any database lookup. */
export function isWellFormedToken(value: string | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** Constant-time equality of two tokens (false when either is missing or malformed). */
export function tokensMatch(a: string | undefined | null, b: string | undefined | null): boolean {
  if (!isWellFormedToken(a ?? undefined) || !isWellFormedToken(b ?? undefined)) return false;
  return crypto.timingSafeEqual(Buffer.from(a as string), Buffer.from(b as string));
}
