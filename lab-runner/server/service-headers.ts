/**
 * Which headers cross the service proxy, each way. A sandbox's service is the learner's program
 * (they can run any server on any port), and what it answers reaches the browser on the
 * platform's origin; what the browser sends reaches the learner. So both directions pass an
 * allow-list, never a deny-list: a header nobody thought of stays out.
 *
 * - Into the sandbox: what a service needs to understand the request (its body's type and length,
 *   content negotiation, conditional and range requests). Never the platform's credentials, the
 *   browser's identity (user agent, client address, referrer, origin) or proxy headers.
 * - Out of it: what the browser needs to read the answer and cache it. Never headers the browser
 *   acts on for the whole origin or the tab: Set-Cookie, Location, Refresh, Clear-Site-Data,
 *   Content-Disposition, Strict-Transport-Security, Link, CSP of the service's choosing… The
 *   answer is then made inert (`inertResponseHeaders`).
 */
import type http from 'node:http';

const requestAllowList = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-encoding',
  'content-length',
  'content-type',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'pragma',
  'range',
]);

const responseAllowList = new Set([
  'accept-ranges',
  'age',
  'cache-control',
  'content-encoding',
  'content-language',
  'content-length',
  'content-range',
  'content-type',
  'date',
  'etag',
  'expires',
  'last-modified',
  'vary',
]);

/**
 * What a sandbox answers can run no script on the platform's origin and has an opaque origin when
 * opened as a page (CSP `sandbox`), is never sniffed into HTML, and other sites cannot embed it.
 * The workspace's service pages only fetch JSON and files, which these do not affect.
 */
export const inertResponseHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

/** The browser's request headers a service inside the sandbox may see (names in lower case). */
export function headersIntoSandbox(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const passed: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && requestAllowList.has(name.toLowerCase())) passed[name.toLowerCase()] = value;
  }
  return passed;
}

/** A service's response headers as the browser gets them: the allowed ones, then made inert. */
export function headersOutOfSandbox(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const passed: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && responseAllowList.has(name.toLowerCase())) passed[name.toLowerCase()] = value;
  }
  return { ...passed, ...inertResponseHeaders };
}
