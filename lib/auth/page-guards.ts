/**
 * Guards for server-rendered pages (a page that calls one renders per request).
 *
 * Signed out → a redirect to `/login?next=<this page>`; the page's path comes from the
 * `x-academy-pathname` header that proxy.ts sets (Next.js does not tell a page its own URL).
 * Signed in without the role → Next.js's `forbidden()`: HTTP 403 and app/forbidden.tsx. It needs
 * `experimental.authInterrupts` (next.config.mjs), which we enable: it is the framework's own way to
 * answer 403 from a page, where a hand-made 403 component would answer 200.
 */
import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import type { User } from '@/lib/generated/prisma/client';
import { currentUser, hasRole } from './identity';
import type { Role } from './roles';
import { pathnameHeader, safeNextPath } from './next-path';

/** The signed-in user (with `role` or higher, when given); otherwise never returns. */
export async function requirePageUser(role?: Role): Promise<User> {
  const user = await currentUser();
  if (!user) {
    const here = safeNextPath((await headers()).get(pathnameHeader));
    redirect(here && here !== '/' ? `/login?next=${encodeURIComponent(here)}` : '/login');
  }
  if (role && !hasRole(user, role)) forbidden();
  return user;
}
