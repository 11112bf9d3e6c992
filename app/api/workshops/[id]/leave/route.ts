import { apiRoute } from '@/lib/http/api-route';
import { leaveWorkshop } from '@/lib/workshops/workshops';

export const dynamic = 'force-dynamic';

/** The signed-in learner leaves the workshop (204); their work and progress stay theirs. */
export async function POST(request: Request, context: RouteContext<'/api/workshops/[id]/leave'>) {
  const { id } = await context.params;
  return apiRoute(request, { mutation: true }, async ({ user }) => {
    await leaveWorkshop(user, id);
    return new Response(null, { status: 204 });
  });
}
