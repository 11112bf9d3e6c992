/**
 * Tells server-rendered pages their own path (header `x-academy-pathname`), so a page guard can
 * send a signed-out visitor to `/login?next=<that page>` (lib/auth/page-guards.ts). Whatever a
 * client sends in that header is replaced. Static pages (chapters, labs), assets and the API are
 * left out of the matcher: they never need it, and stay as fast as they were.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { pathnameHeader } from '@/lib/auth/next-path';

export function proxy(request: NextRequest) {
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(pathnameHeader, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers: requestHeaders } });
}

export const config = {
  matcher: ['/((?!_next/|api/|runner/|learn|labs/|monaco/|.*\\.).*)'],
};
