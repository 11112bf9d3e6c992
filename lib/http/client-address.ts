/**
 * The address a request came from, for rate limits. Only scripts/web-server.ts sees the socket, so
 * it writes the address into a request header (replacing anything a client sent under that name)
 * and route handlers read it back. Behind a reverse proxy (TRUST_PROXY) it is the last
 * X-Forwarded-For entry: the one our proxy appended, not whatever the client claimed before it.
 */
import type { IncomingMessage } from 'node:http';

export const clientAddressHeader = 'x-academy-client-address';

export function addressOfIncoming(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',');
    const last = list
      .map((entry) => entry.trim())
      .filter(Boolean)
      .at(-1);
    if (last) return last.slice(0, 64);
  }
  return request.socket.remoteAddress ?? 'unknown';
}

/** The address scripts/web-server.ts recorded; "unknown" when the app runs some other way. */
export function clientAddress(request: Request): string {
  return request.headers.get(clientAddressHeader) ?? 'unknown';
}
