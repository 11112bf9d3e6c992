/** Session tokens: random, given to the browser once; only their SHA-256 is stored. */
import crypto from 'node:crypto';

export const sessionCookieName = 'academy_session';
export const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000;

export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** A cookie value we could have issued (43 base64url characters), before any database lookup. */
export function isWellFormedToken(value: string | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
