/**
 * The admin API's route wrapper: `apiRoute` with the admin role (CSRF, same origin, 401/403), and
 * the checks of the ids in an admin URL, made before anything is looked up.
 */
import 'server-only';
import { z } from 'zod';
import type { User } from '@/lib/generated/prisma/client';
import { ApiError } from '@/lib/http/api-error';
import { apiRoute } from '@/lib/http/api-route';
import { sandboxIdPattern } from './sandboxes';

export function adminRoute(
  request: Request,
  options: { mutation: boolean },
  handler: (context: { admin: User }) => Promise<Response>,
): Promise<Response> {
  return apiRoute(request, { mutation: options.mutation, role: 'admin' }, ({ user }) =>
    handler({ admin: user }),
  );
}

const userIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Throws a 400 when `id` cannot be a user id (ours are cuids). */
export function assertUserId(id: string): void {
  if (!userIdSchema.safeParse(id).success) throw new ApiError(400, 'BAD_REQUEST', 'This is not a user id.');
}

/** Throws a 400 when `id` cannot be a sandbox id. */
export function assertSandboxId(id: string): void {
  if (!sandboxIdPattern.test(id)) throw new ApiError(400, 'BAD_REQUEST', 'This is not a sandbox id.');
}
