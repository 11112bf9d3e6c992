import { apiRoute } from '@/lib/http/api-route';
import { readJson } from '@/lib/http/responses';
import { startEveryoneAt, startEveryoneSchema } from '@/lib/workshops/jump';

export const dynamic = 'force-dynamic';

/**
 * "Start everyone at step N" (`{labId, stepId}`): moves every member who is behind to the step,
 * now for a ready sandbox, else when they next start the lab. Answers the counts.
 */
export async function POST(request: Request, context: RouteContext<'/api/workshops/[id]/jump'>) {
  const { id } = await context.params;
  return apiRoute(request, { mutation: true, role: 'instructor' }, async ({ user }) => {
    const body = await readJson(request, startEveryoneSchema);
    return Response.json(await startEveryoneAt(user, id, body));
  });
}
