import { apiRoute } from '@/lib/http/api-route';
import { workshopDashboard } from '@/lib/workshops/workshops';

export const dynamic = 'force-dynamic';

/** The live grid (learners × steps, sandboxes, last activity, stuck); the page polls it. */
export async function GET(request: Request, context: RouteContext<'/api/workshops/[id]/dashboard'>) {
  const { id } = await context.params;
  return apiRoute(request, { mutation: false, role: 'instructor' }, async ({ user }) =>
    Response.json(await workshopDashboard(user, id), { headers: { 'cache-control': 'no-store' } }),
  );
}
