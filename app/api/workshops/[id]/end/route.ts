import { apiRoute } from '@/lib/http/api-route';
import { endWorkshop } from '@/lib/workshops/workshops';

export const dynamic = 'force-dynamic';

/** Ends the workshop: no more joins, and the members' sandboxes of its labs stop (files kept). */
export async function POST(request: Request, context: RouteContext<'/api/workshops/[id]/end'>) {
  const { id } = await context.params;
  return apiRoute(request, { mutation: true, role: 'instructor' }, async ({ user }) =>
    Response.json(await endWorkshop(user, id)),
  );
}
