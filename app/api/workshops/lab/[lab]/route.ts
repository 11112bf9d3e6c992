import { apiRoute } from '@/lib/http/api-route';
import { jsonError } from '@/lib/http/responses';
import { getLab } from '@/lib/labs/catalog';
import { learnerLabWorkshop } from '@/lib/workshops/learner-lab';

export const dynamic = 'force-dynamic';

/**
 * The signed-in learner's workshop for this lab (`{workshop}`, null when none of theirs has it):
 * the lab page names it, and asks again every few seconds while it runs to hear of its end.
 */
export async function GET(request: Request, context: RouteContext<'/api/workshops/lab/[lab]'>) {
  const { lab } = await context.params;
  return apiRoute(request, { mutation: false }, async ({ user }) => {
    if (!getLab(lab)) return jsonError(404, 'LAB_NOT_FOUND', `There is no lab "${lab.slice(0, 64)}".`);
    return Response.json(
      { workshop: await learnerLabWorkshop(user.id, lab) },
      { headers: { 'cache-control': 'no-store' } },
    );
  });
}
