import { adminRoute, assertUserId } from '@/lib/admin/admin-route';
import { resetPassword } from '@/lib/admin/users';

export const dynamic = 'force-dynamic';

/**
 * Resets an account's password to a new temporary one and logs the account out everywhere. The
 * answer carries the password, once; nothing caches it.
 */
export async function POST(request: Request, context: RouteContext<'/api/admin/users/[id]/password'>) {
  const { id } = await context.params;
  return adminRoute(request, { mutation: true }, async ({ admin }) => {
    assertUserId(id);
    const { password } = await resetPassword(admin, id);
    return Response.json({ password }, { headers: { 'cache-control': 'no-store' } });
  });
}
