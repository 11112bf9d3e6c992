/**
 * `ANY /v1/sessions/:id/services/:port/*`: HTTP to a service listening inside the sandbox (the
 * labkit UIs and APIs). Sandboxes have no network; the request goes over a unix socket in a
 * per-sandbox host folder that only the sandbox's `bridge` user can write, where `socat` forwards
 * it to 127.0.0.1:<port> inside.
 *
 * The platform's credentials never reach the sandbox (cookies, Authorization and the token are
 * stripped), a sandbox cannot set cookies on the platform's origin (Set-Cookie is dropped), and
 * what it answers cannot run script there (see `inertResponseHeaders`).
 */
import http from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { RunnerError } from '../../errors';
import type { SessionManager } from '../../sessions/manager';

const portSchema = z.coerce.number().int().min(1024).max(65535);
const proxyTimeoutMs = 60_000;
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);
const neverForwarded = new Set(['cookie', 'authorization', 'x-academy-token']);
/**
 * What a sandbox answers reaches the browser on the platform's origin, and a learner controls it
 * (they can run any server on any port). So it is made inert: opened as a page it runs no script
 * and has an opaque origin (CSP `sandbox`), it is never sniffed into HTML, and other sites cannot
 * embed it. The workspace's service pages only fetch JSON and files, which these do not affect.
 */
const inertResponseHeaders = {
  'content-security-policy': "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

/** In the session scope with `write` access: a read-only token never reaches a service. */
export const serviceRoutes: FastifyPluginAsync<{ sessions: SessionManager }> = async (app, { sessions }) => {
  // Bodies pass through untouched, whatever their type; this plugin's scope only.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.all('/v1/sessions/:id/services/:port/*', async (request, reply) => {
    const id = request.sessionAccess.session.id;
    const parsedPort = portSchema.safeParse((request.params as { port?: string }).port);
    if (!parsedPort.success) {
      throw new RunnerError('BAD_REQUEST', 'Services listen on ports 1024–65535 inside the sandbox.');
    }
    const port = parsedPort.data;
    sessions.requireReady(id);
    sessions.touch(id);
    const socketPath = await sessions.serviceSocket(id, port);

    const url = new URL(request.url, 'http://sandbox');
    url.searchParams.delete('token');
    const rest = (request.params as { '*': string })['*'];
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (!hopByHop.has(name) && !neverForwarded.has(name) && value !== undefined) headers[name] = value;
    }
    headers.host = `127.0.0.1:${port}`;
    headers['x-forwarded-prefix'] = `/v1/sessions/${id}/services/${port}`;

    reply.hijack();
    const upstream = http.request({
      socketPath,
      method: request.method,
      path: `/${rest}${url.search}`,
      headers,
      timeout: proxyTimeoutMs,
    });
    const fail = (status: number, error: string, message: string) => {
      if (reply.raw.headersSent) return reply.raw.destroy();
      reply.raw.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      reply.raw.end(JSON.stringify({ error, message }));
    };
    upstream.on('response', (response) => {
      const responseHeaders = { ...response.headers };
      delete responseHeaders['set-cookie'];
      for (const name of hopByHop) delete responseHeaders[name];
      Object.assign(responseHeaders, inertResponseHeaders);
      reply.raw.writeHead(response.statusCode ?? 502, responseHeaders);
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
