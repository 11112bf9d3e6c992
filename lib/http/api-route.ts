/**
 * What every API route handler does first: refuse a cross-site mutation (Origin / Sec-Fetch-Site
 * and the CSRF double-submit token), know the user, check their role, and turn a thrown error into
 * a JSON answer without a stack trace.
 */
import 'server-only';
import { currentUser } from '@/lib/auth/identity';
import { hasRole, type Role } from '@/lib/auth/roles';
import { csrfCookieName, csrfHeaderName, tokensMatch } from '@/lib/auth/tokens';
import type { User } from '@/lib/generated/prisma/client';
import { errorResponse, jsonError, refuseCrossSite } from './responses';

export type ApiRouteOptions = {
  /** A request that changes something: needs the same origin and the CSRF token. */
  mutation: boolean;
  /** The least role the user needs. */
  role?: Role;
  /** Signed-out visitors are let through (the handler gets `user: null`). */
  public?: boolean;
};

/** The value of cookie `name` in the request's Cookie header. */
export function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator !== -1 && part.slice(0, separator).trim() === name) {
      return part.slice(separator + 1).trim();
    }
  }
  return undefined;
}

/**
 * Refuses a mutation that is not from our own pages: another origin, or no matching CSRF token
 * (header `x-csrf-token` equal to cookie `academy_csrf`). A 403 response, or null when fine.
 */
export function refuseForgedMutation(request: Request): Response | null {
  const crossSite = refuseCrossSite(request);
  if (crossSite) return crossSite;
  const header = request.headers.get(csrfHeaderName);
  if (!header) {
    return jsonError(403, 'CSRF', 'The request has no CSRF token. Reload the page and try again.');
  }
  if (!tokensMatch(header, cookieOf(request, csrfCookieName))) {
    return jsonError(403, 'CSRF', 'The CSRF token does not match. Reload the page and try again.');
  }
  return null;
}

export function apiRoute(
  request: Request,
  options: ApiRouteOptions & { public: true },
  handler: (context: { user: User | null }) => Promise<Response>,
): Promise<Response>;
export function apiRoute(
  request: Request,
  options: ApiRouteOptions,
  handler: (context: { user: User }) => Promise<Response>,
): Promise<Response>;
export async function apiRoute(
  request: Request,
  options: ApiRouteOptions,
  handler: (context: { user: User }) => Promise<Response>,
): Promise<Response> {
  try {
    if (options.mutation) {
      const refused = refuseForgedMutation(request);
      if (refused) return refused;
    }
    const user = await currentUser();
    if (!user && !options.public) {
      return jsonError(401, 'NOT_SIGNED_IN', 'Log in to do this.');
    }
    if (options.role && (!user || !hasRole(user, options.role))) {
      return user
        ? jsonError(
            403,
            'FORBIDDEN',
            `This needs the ${options.role} role, which your account does not have.`,
          )
        : jsonError(401, 'NOT_SIGNED_IN', 'Log in to do this.');
    }
    return await handler({ user: user as User });
  } catch (error) {
    return errorResponse(error, `API ${request.method} ${new URL(request.url).pathname}`);
  }
}
