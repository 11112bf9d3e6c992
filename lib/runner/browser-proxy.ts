/**
 * `/runner/*` on the web app's origin, proxied to the lab runner, so the browser reaches its
 * sandbox's terminal (WebSocket), files and services on one origin and one port. Only those
 * browser endpoints pass (each still needs the session's signed token, checked by the runner);
 * cookies and Authorization never pass, and a WebSocket must come from this origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { sessionIdSource } from '@/lab-runner/api/sessions';

export const browserProxyPrefix = '/runner';

/** Runner paths a browser may reach: a session's files, terminal and services. */
const browserPath = new RegExp(
  `^/v1/sessions/${sessionIdSource}/(files(/tree|/move)?|terminal|services/\\d{1,5}(/.*)?)$`,
);

/**
 * Whether a path means what it says: no segment is, or decodes to, `.` or `..`, and none hides a
 * slash or a backslash behind percent-encoding (`%2e%2e`, `%2F`, `%5C`) or is malformed. A URL
 * parser (the proxy library's, the runner's router) would otherwise resolve what the check saw as
 * `services/5000/%2e%2e/%2e%2e/exec` into another endpoint after the check.
 */
function isPlainPath(pathname: string): boolean {
  if (pathname.includes('\\')) return false;
  return pathname.split('/').every((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    return decoded !== '.' && decoded !== '..' && !/[/\\]/.test(decoded);
  });
}

/**
 * The runner path for a `/runner/…` URL, or null when it is not one a browser may use. The path is
 * checked as the runner will read it, and forwarded exactly as checked.
 */
export function runnerPathFor(url: string | undefined): string | null {
  if (!url?.startsWith(`${browserProxyPrefix}/`)) return null;
  const rest = url.slice(browserProxyPrefix.length);
  const pathname = rest.split('?')[0] ?? '';
  if (!isPlainPath(pathname) || !browserPath.test(pathname)) return null;
  return rest;
}

/** True when the request's Origin names the host it was sent to (or it has none: not a browser). */
export function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function stripCredentials(request: IncomingMessage): void {
  delete request.headers.cookie;
  delete request.headers.authorization;
}

function refuse(response: ServerResponse, status: number, error: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error, message }));
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export type BrowserProxy = {
  /** Whether this request is for `/runner/…` (handled here, allowed or not). */
  matches(request: IncomingMessage): boolean;
  web(request: IncomingMessage, response: ServerResponse): void;
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
};

export function createBrowserProxy(runnerUrl: string): BrowserProxy {
  const proxy = createProxyServer({ target: runnerUrl, xfwd: false, ws: true, proxyTimeout: 10 * 60_000 });
  proxy.on('error', (error, _request, target) => {
    console.error('runner proxy:', error.message);
    if (target && 'writeHead' in target && !target.headersSent) {
      refuse(
        target as ServerResponse,
        502,
        'RUNNER_UNAVAILABLE',
        'The lab runner cannot be reached right now; try again in a moment.',
      );
    } else if (target && 'destroy' in target) {
      (target as Duplex).destroy();
    }
  });

  return {
    matches: (request) =>
      request.url === browserProxyPrefix || Boolean(request.url?.startsWith(`${browserProxyPrefix}/`)),
    web(request, response) {
      const runnerPath = runnerPathFor(request.url);
      if (!runnerPath) return refuse(response, 404, 'NOT_FOUND', 'No such lab runner endpoint.');
      stripCredentials(request);
      request.url = runnerPath;
      proxy.web(request, response);
    },
    upgrade(request, socket, head) {
      const runnerPath = runnerPathFor(request.url);
      if (!runnerPath) return refuseUpgrade(socket, 404, 'Not Found');
      if (!isSameOrigin(request)) return refuseUpgrade(socket, 403, 'Forbidden');
      stripCredentials(request);
      // Checked above against this server's own host; the runner's own origin list is for browsers
      // that reach it directly.
      delete request.headers.origin;
      request.url = runnerPath;
      proxy.ws(request, socket, head);
    },
    close: () => proxy.close(),
  };
}
