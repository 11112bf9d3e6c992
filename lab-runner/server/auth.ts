/**
 * Who may call what:
 * - server-to-server (the web app): `Authorization: Bearer <RUNNER_SECRET>`, everything;
 * - a browser: a short-lived token bound to one session and its user (header `X-Academy-Token`, or
 *   `?token=` where headers cannot be set, as on WebSockets), only that session's terminal, files
 *   and services. A read-only token (`readOnly`, an instructor watching a learner) passes only where
 *   a route asks for `read` access: reading files and watching the terminal.
 */
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Session, SessionManager } from '../sessions/manager';
import { RunnerError } from '../errors';
import { verifyBrowserToken, type BrowserToken } from '../api/tokens';

export type Caller = { kind: 'server' } | { kind: 'browser'; token: BrowserToken };

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function secretMatches(secret: string, candidate: string): boolean {
  const a = crypto.createHash('sha256').update(secret).digest();
  const b = crypto.createHash('sha256').update(candidate).digest();
  return crypto.timingSafeEqual(a, b);
}

export function requireServer(request: FastifyRequest, secret: string): void {
  const given = bearer(request);
  if (!given)
    throw new RunnerError('UNAUTHORIZED', 'This endpoint needs the runner secret (Authorization: Bearer …).');
  if (!secretMatches(secret, given)) throw new RunnerError('UNAUTHORIZED', 'The runner secret is wrong.');
}

export function browserTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-academy-token'];
  if (typeof header === 'string' && header) return header;
  const query = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof query === 'string' && query ? query : undefined;
}

/** What a route does with the session: only `read` routes accept a read-only token. */
export type SessionAccessKind = 'read' | 'write';

/** The server, or a browser whose token names this session and its owner. */
export function requireSessionAccess(
  request: FastifyRequest,
  secret: string,
  sessions: SessionManager,
  sessionId: string,
  access: SessionAccessKind = 'write',
): { caller: Caller; session: Session } {
  const given = bearer(request);
  if (given !== undefined) {
    requireServer(request, secret);
    return { caller: { kind: 'server' }, session: sessions.get(sessionId) };
  }
  const raw = browserTokenOf(request);
  if (!raw) throw new RunnerError('UNAUTHORIZED', 'A session token is required.');
  const verified = verifyBrowserToken(secret, raw);
  if (!verified.ok) {
    const why = {
      malformed: 'is malformed',
      'bad-signature': 'has an invalid signature',
      expired: 'has expired',
    };
    throw new RunnerError('UNAUTHORIZED', `The session token ${why[verified.problem]}; reload the page.`);
  }
  const { token } = verified;
  if (token.sessionId !== sessionId) {
    throw new RunnerError('FORBIDDEN', 'This token belongs to another session.');
  }
  const session = sessions.get(sessionId);
  if (session.userId !== token.userId)
    throw new RunnerError('FORBIDDEN', 'This session belongs to another user.');
  if (token.readOnly && access !== 'read') {
    throw new RunnerError('FORBIDDEN', 'This is a read-only view: it cannot change the workspace.');
  }
  return { caller: { kind: 'browser', token }, session };
}
