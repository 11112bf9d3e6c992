import { resetWorkshopLearnerPassword, workshopMemberIds } from '@/lib/auth/password-resets';
import { apiRoute } from '@/lib/http/api-route';

export const dynamic = 'force-dynamic';

/**
 * The workshop's instructor (or an admin) resets a member learner's password to a temporary one
 * and logs them out everywhere. The answer carries the password, once; nothing caches it.
 */
export async function POST(
  request: Request,
  context: RouteContext<'/api/workshops/[id]/learners/[userId]/password'>,
) {
  const params = await context.params;
  return apiRoute(request, { mutation: true, role: 'instructor' }, async ({ user }) => {
    const { workshopId, userId } = workshopMemberIds(params);
    const { password } = await resetWorkshopLearnerPassword(user, workshopId, userId);
    return Response.json({ password }, { headers: { 'cache-control': 'no-store' } });
  });
}
