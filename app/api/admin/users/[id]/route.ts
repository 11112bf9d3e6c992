import { z } from 'zod';
import { roles } from '@/lib/auth/roles';
import { adminRoute, assertUserId } from '@/lib/admin/admin-route';
import { changeRole } from '@/lib/admin/users';
import { readJson } from '@/lib/http/responses';

export const dynamic = 'force-dynamic';

const roleChange = z.strictObject({
  role: z.enum(roles, { error: `Choose one of the roles: ${roles.join(', ')}` }),
});

/** Changes an account's role: `{role}`. Refused (409) for the last admin. */
export async function PATCH(request: Request, context: RouteContext<'/api/admin/users/[id]'>) {
  const { id } = await context.params;
  return adminRoute(request, { mutation: true }, async () => {
    assertUserId(id);
    const body = await readJson(request, roleChange);
    return Response.json({ user: await changeRole(id, body.role) });
  });
}
