import { apiRoute } from '@/lib/http/api-route';
import { readJson } from '@/lib/http/responses';
import { viewTokenSchema } from '@/lib/workshops/input';
import { viewerToken } from '@/lib/workshops/workshops';

export const dynamic = 'force-dynamic';

/**
 * A short-lived read-only token for a member's sandbox (`{labId}`): the workshop's instructor or
 * an admin watches the learner's terminal and reads their files; nothing can be changed with it.
 */
export async function POST(
  request: Request,
  context: RouteContext<'/api/workshops/[id]/learners/[userId]/view-token'>,
) {
  const { id, userId } = await context.params;
  return apiRoute(request, { mutation: true, role: 'instructor' }, async ({ user }) => {
    const body = await readJson(request, viewTokenSchema);
    return Response.json(await viewerToken(user, id, userId, body.labId));
  });
}
