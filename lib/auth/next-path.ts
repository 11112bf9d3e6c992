/**
 * Where to go after logging in (`?next=`): only a path on this site. Browser-safe.
 */

/** Request header with the page's path and query, set by proxy.ts for server-rendered pages. */
export const pathnameHeader = 'x-academy-pathname';

/**
 * `value` when it is a path on this site (`/labs/x?y`), else null: no scheme, no `//host`, no
 * backslash (browsers read `/\host` as `//host`), no control characters, and not the auth pages.
 */
export function safeNextPath(value: string | null | undefined): string | null {
  if (!value || value.length > 2000) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, 'http://academy.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://academy.invalid') return null;
  if (url.pathname === '/login' || url.pathname === '/signup') return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
