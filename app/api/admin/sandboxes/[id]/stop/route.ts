import { adminRoute, assertSandboxId } from '@/lib/admin/admin-route';
import { getRunner } from '@/lib/runner/instance';

export const dynamic = 'force-dynamic';

/** Stops a sandbox; the learner's work is kept and their next Start resumes it. */
export async function POST(request: Request, context: RouteContext<'/api/admin/sandboxes/[id]/stop'>) {
  const { id } = await context.params;
  return adminRoute(request, { mutation: true }, async () => {
    assertSandboxId(id);
    return Response.json({ session: await getRunner().stop(id) });
  });
}
