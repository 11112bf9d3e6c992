/**
 * `ANY /v1/sessions/:id/services/:port/*`: HTTP to a service listening inside the sandbox (the
 * labkit UIs and APIs). Sandboxes have no network; the request goes over a unix socket in a
 * per-sandbox host folder that only the sandbox's `bridge` user can write, where `socat` forwards
 * it to 127.0.0.1:<port> inside.
 *
 * Headers pass an allow-list each way (service-headers.ts): the platform's credentials and the
 * browser's identity never reach the sandbox, and a service cannot set cookies, redirect, clear
 * site data or pin HSTS on the platform's origin, nor run script there.
 */
import http from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { RunnerError } from '../../errors';
import type { SessionManager } from '../../sessions/manager';
import type { ExecBudget } from '../exec-budget';
import { headersIntoSandbox, headersOutOfSandbox } from '../service-headers';

const portSchema = z.coerce.number().int().min(1024).max(65535);
const proxyTimeoutMs = 60_000;

/**
 * The service's own path as the browser sent it, still percent-encoded (the router's decoded
 * wildcard could hold characters a request line may not carry, or slashes that were %2F).
 */
export function servicePathOf(rawUrl: string, rawPort: string): string {
  const pathname = rawUrl.split('?')[0] ?? '';
  const marker = `/services/${rawPort}`;
  const at = pathname.indexOf(marker);
  const rest = at < 0 ? '' : pathname.slice(at + marker.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** In the session scope with `write` access: a read-only token never reaches a service. */
export const serviceRoutes: FastifyPluginAsync<{ sessions: SessionManager; execBudget: ExecBudget }> = async (
  app,
  { sessions, execBudget },
) => {
  // Bodies pass through untouched, whatever their type; this plugin's scope only.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.all('/v1/sessions/:id/services/:port/*', async (request, reply) => {
    const id = request.sessionAccess.session.id;
    const rawPort = (request.params as { port?: string }).port ?? '';
    const parsedPort = portSchema.safeParse(rawPort);
    if (!parsedPort.success) {
      throw new RunnerError('BAD_REQUEST', 'Services listen on ports 1024–65535 inside the sandbox.');
    }
    const port = parsedPort.data;
    sessions.requireReady(id);
    // A new port starts a bridge in the sandbox (an exec, and a process that stays): capped.
    if (request.sessionAccess.caller.kind === 'browser') execBudget.useServicePort(id, port);
    sessions.touch(id);
    const socketPath = await sessions.serviceSocket(id, port);

    const url = new URL(request.url, 'http://sandbox');
    url.searchParams.delete('token');
    const headers = headersIntoSandbox(request.headers);
    headers.host = `127.0.0.1:${port}`;
    headers['x-forwarded-prefix'] = `/v1/sessions/${id}/services/${port}`;

    reply.hijack();
    const upstream = http.request({
      socketPath,
      method: request.method,
      path: `${servicePathOf(request.url, rawPort)}${url.search}`,
      headers,
      timeout: proxyTimeoutMs,
    });
    const fail = (status: number, error: string, message: string) => {
      if (reply.raw.headersSent) return reply.raw.destroy();
      reply.raw.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      reply.raw.end(JSON.stringify({ error, message }));
    };
    upstream.on('response', (response) => {
      reply.raw.writeHead(response.statusCode ?? 502, headersOutOfSandbox(response.headers));
      response.pipe(reply.raw);
    });
    upstream.on('timeout', () => {
      upstream.destroy();
      fail(
        504,
        'SERVICE_UNAVAILABLE',
        `The service on port ${port} did not answer within ${proxyTimeoutMs / 1000} s.`,
      );
    });
    upstream.on('error', () =>
      fail(
        502,
        'SERVICE_UNAVAILABLE',
        `Nothing answered on port ${port} inside the sandbox. Is the service running and listening on 127.0.0.1:${port}?`,
      ),
    );
    request.raw.pipe(upstream);
  });
};
