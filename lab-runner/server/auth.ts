/**
 * Who may call what. The API has two scopes, each guarded by one `onRequest` hook of its own
 * encapsulated Fastify scope, so no route can forget to check:
 * - the server scope (the web app only): `Authorization: Bearer <RUNNER_SECRET>`;
 * - the session scope (one session's terminal, files and services): the server's bearer, or a
 *   browser's short-lived token bound to the session and its user (header `X-Academy-Token`, or
 *   `?token=` on the routes that declare `tokenInQuery`: the terminal's WebSocket, where a browser
 *   cannot set headers). A read-only token (`readOnly`, an
 *   instructor watching a learner) passes only routes that declare `config: { access: 'read' }`.
 */
import crypto from 'node:crypto';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Session, SessionManager } from '../sessions/manager';
import { RunnerError } from '../errors';
import { verifyBrowserToken, type BrowserToken } from '../api/tokens';
import { sessionIdOf } from './request-input';

export type Caller = { kind: 'server' } | { kind: 'browser'; token: BrowserToken };

/** What a route does with the session: only `read` routes accept a read-only token. */
export type SessionAccessKind = 'read' | 'write';

/** Who called a session-scope route, and the session the route's `:id` names. */
export type SessionAccess = { caller: Caller; session: Session };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Session scope: `read` lets a read-only token through; routes default to `write`. */
    access?: SessionAccessKind;
    /**
     * Session scope: refuse a page on an origin outside RUNNER_ALLOWED_ORIGINS, before anything
     * else. For WebSockets: a browser opens them from any site, and CORS does not apply.
     */
    allowedOriginsOnly?: boolean;
    /**
     * Session scope: accept the browser token as `?token=` too. Only where a browser cannot send
     * a header (the terminal's WebSocket): a token in a URL ends up in logs and histories, and a
     * service page could be linked with one.
     */
    tokenInQuery?: boolean;
  }
  interface FastifyRequest {
    /** Set by the session scope's hook before any of its handlers runs; absent elsewhere. */
    sessionAccess: SessionAccess;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

/** Hashing first gives equal lengths, so the comparison takes the same time whatever is sent. */
function secretMatches(secret: string, candidate: string): boolean {
  const a = crypto.createHash('sha256').update(secret).digest();
  const b = crypto.createHash('sha256').update(candidate).digest();
  return crypto.timingSafeEqual(a, b);
}

function requireServer(request: FastifyRequest, secret: string): void {
  const given = bearer(request);
  if (!given)
    throw new RunnerError('UNAUTHORIZED', 'This endpoint needs the runner secret (Authorization: Bearer …).');
  if (!secretMatches(secret, given)) throw new RunnerError('UNAUTHORIZED', 'The runner secret is wrong.');
}

function browserTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-academy-token'];
  if (typeof header === 'string' && header) return header;
  if (!request.routeOptions.config.tokenInQuery) return undefined;
  const query = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof query === 'string' && query ? query : undefined;
}

const tokenProblems = {
  malformed: 'is malformed',
  'bad-signature': 'has an invalid signature',
  expired: 'has expired',
};

/**
 * The server (any bearer must be the secret: a wrong one is refused even beside a valid token), or
 * a browser whose token names this session and its owner.
 */
function requireSessionAccess(
  request: FastifyRequest,
  secret: string,
  sessions: SessionManager,
  sessionId: string,
  access: SessionAccessKind,
): SessionAccess {
  if (bearer(request) !== undefined) {
    requireServer(request, secret);
    return { caller: { kind: 'server' }, session: sessions.get(sessionId) };
  }
  const raw = browserTokenOf(request);
  if (!raw) throw new RunnerError('UNAUTHORIZED', 'A session token is required.');
  const verified = verifyBrowserToken(secret, raw);
  if (!verified.ok) {
    throw new RunnerError(
      'UNAUTHORIZED',
      `The session token ${tokenProblems[verified.problem]}; reload the page.`,
    );
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

/** The server scope's hook: only the web app, with the runner secret. */
export function serverScopeGuard(secret: string): onRequestAsyncHookHandler {
  return async (request) => requireServer(request, secret);
}

/**
 * The session scope's hook: checks the origin where the route asks, parses `:id` (a malformed id
 * is a 400 whoever calls), checks the caller against the route's declared access, and leaves the
 * result on `request.sessionAccess`.
 */
export function sessionScopeGuard(options: {
  secret: string;
  sessions: SessionManager;
  allowedOrigins: readonly string[];
}): onRequestAsyncHookHandler {
  const { secret, sessions, allowedOrigins } = options;
  return async (request) => {
    const config = request.routeOptions.config;
    const origin = request.headers.origin;
    if (config.allowedOriginsOnly && origin && !allowedOrigins.includes(origin)) {
      throw new RunnerError('FORBIDDEN', `WebSocket connections from ${origin} are not allowed.`);
    }
    const id = sessionIdOf(request);
    request.sessionAccess = requireSessionAccess(request, secret, sessions, id, config.access ?? 'write');
  };
}
