import { adminRoute, assertUserId } from '@/lib/admin/admin-route';
import { unlockLogIn } from '@/lib/admin/users';

export const dynamic = 'force-dynamic';

/** Lifts the account's log-in lock-out after wrong passwords, from every address (204). */
export async function POST(request: Request, context: RouteContext<'/api/admin/users/[id]/unlock'>) {
  const { id } = await context.params;
  return adminRoute(request, { mutation: true }, async ({ admin }) => {
    assertUserId(id);
    await unlockLogIn(admin, id);
    return new Response(null, { status: 204 });
  });
}
