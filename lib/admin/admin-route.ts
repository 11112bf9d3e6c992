/**
 * The admin API's route wrapper: `apiRoute` with the admin role (CSRF, same origin, 401/403), ids
 * checked before anything else, and the admin actions' refusals answered with their own status.
 */
import 'server-only';
import { z } from 'zod';
import type { User } from '@/lib/generated/prisma/client';
import { apiRoute } from '@/lib/http/api-route';
import { jsonError } from '@/lib/http/responses';
import { sandboxIdPattern } from './sandboxes';
import { AdminActionError } from './users';

export function adminRoute(
  request: Request,
  options: { mutation: boolean },
  handler: (context: { admin: User }) => Promise<Response>,
): Promise<Response> {
  return apiRoute(request, { mutation: options.mutation, role: 'admin' }, async ({ user }) => {
    try {
      return await handler({ admin: user });
    } catch (error) {
      if (error instanceof AdminActionError) return jsonError(error.status, error.code, error.message);
      throw error;
    }
  });
}

const userIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A 400 answer when `id` cannot be a user id (ours are cuids), or null when it can. */
export function refuseBadUserId(id: string): Response | null {
  return userIdSchema.safeParse(id).success ? null : jsonError(400, 'BAD_REQUEST', 'This is not a user id.');
}

/** A 400 answer when `id` cannot be a sandbox id, or null when it can. */
export function refuseBadSandboxId(id: string): Response | null {
  return sandboxIdPattern.test(id) ? null : jsonError(400, 'BAD_REQUEST', 'This is not a sandbox id.');
}
