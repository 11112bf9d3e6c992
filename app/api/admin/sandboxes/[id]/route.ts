import { adminRoute, assertSandboxId } from '@/lib/admin/admin-route';
import { getRunner } from '@/lib/runner/instance';

export const dynamic = 'force-dynamic';

/** Destroys a sandbox, the learner's workspace included. */
export async function DELETE(request: Request, context: RouteContext<'/api/admin/sandboxes/[id]'>) {
  const { id } = await context.params;
  return adminRoute(request, { mutation: true }, async () => {
    assertSandboxId(id);
    await getRunner().destroy(id);
    return new Response(null, { status: 204 });
  });
}
