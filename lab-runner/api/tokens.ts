/**
 * Short-lived tokens that let a browser reach one session's terminal, files and services. Part of
 * the contract between the web app and the runner: the web app mints them (it shares RUNNER_SECRET
 * with the runner) after checking who the user is; the runner checks the signature, the expiry and
 * that the token's session and user match.
 * A read-only token (an instructor watching a learner) reads files and watches the terminal, and
 * nothing else: no input, no writes, no services.
 *
 * Format: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, payload part)).
 */
import crypto from 'node:crypto';
import { z } from 'zod';

export const defaultTokenTtlSeconds = 300;

const payloadSchema = z.object({
  /** session id */
  s: z.string().min(1),
  /** user id */
  u: z.string().min(1),
  /** expiry, epoch seconds */
  exp: z.number().int(),
  /** nonce, lets single-use endpoints (the terminal) refuse a replay */
  n: z.string().min(8),
  /** read-only: present (and true) only on an instructor's viewing token */
  ro: z.literal(true).optional(),
});

export type BrowserToken = {
  sessionId: string;
  userId: string;
  expiresAt: number;
  nonce: string;
  readOnly: boolean;
};

export type TokenProblem = 'malformed' | 'bad-signature' | 'expired';

function sign(secret: string, payloadPart: string): string {
  return crypto.createHmac('sha256', secret).update(payloadPart).digest('base64url');
}

export function mintBrowserToken(
  secret: string,
  claims: { sessionId: string; userId: string; ttlSeconds?: number; readOnly?: boolean },
  now = Date.now(),
): string {
  const payload = {
    s: claims.sessionId,
    u: claims.userId,
    exp: Math.floor(now / 1000) + (claims.ttlSeconds ?? defaultTokenTtlSeconds),
    n: crypto.randomBytes(12).toString('base64url'),
    ...(claims.readOnly ? { ro: true as const } : {}),
  };
  const payloadPart = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${payloadPart}.${sign(secret, payloadPart)}`;
}

export function verifyBrowserToken(
  secret: string,
  token: string,
  now = Date.now(),
): { ok: true; token: BrowserToken } | { ok: false; problem: TokenProblem } {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, problem: 'malformed' };
  const [payloadPart, signature] = parts as [string, string];
  const expected = Buffer.from(sign(secret, payloadPart));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
    return { ok: false, problem: 'bad-signature' };
  }
  let payload: z.infer<typeof payloadSchema>;
  try {
    payload = payloadSchema.parse(JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (payload.exp * 1000 <= now) return { ok: false, problem: 'expired' };
  return {
    ok: true,
    token: {
      sessionId: payload.s,
      userId: payload.u,
      expiresAt: payload.exp * 1000,
      nonce: payload.n,
      readOnly: payload.ro === true,
    },
  };
}
