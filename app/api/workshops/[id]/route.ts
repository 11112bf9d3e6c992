import { apiRoute } from '@/lib/http/api-route';
import { workshopForStaff } from '@/lib/workshops/workshops';

export const dynamic = 'force-dynamic';

/** One of the instructor's workshops (404 for anyone else's). */
export async function GET(request: Request, context: RouteContext<'/api/workshops/[id]'>) {
  const { id } = await context.params;
  return apiRoute(request, { mutation: false, role: 'instructor' }, async ({ user }) =>
    Response.json({ workshop: await workshopForStaff(user, id) }),
  );
}
