import { jsonError } from '@/lib/http/responses';
import { labRoute } from '@/lib/labs/lab-route';
import { refuseWhileWorkshopEnded } from '@/lib/workshops/learner-lab';

export const dynamic = 'force-dynamic';

/**
 * `stop` keeps the workspace (resume with POST …/session); `reset` restores the starter files (it
 * starts the sandbox, so not while an ended workshop holds it stopped).
 */
export async function POST(request: Request, context: RouteContext<'/api/labs/[lab]/session/[action]'>) {
  const { lab: labId, action } = await context.params;
  return labRoute(request, labId, { mutation: true }, async ({ lab, user, runner }) => {
    if (action !== 'stop' && action !== 'reset') {
      return jsonError(404, 'NOT_FOUND', `Unknown lab action "${action.slice(0, 32)}" (use stop or reset).`);
    }
    const session = await runner.findSession(user.id, lab.id);
    if (!session) return jsonError(409, 'LAB_NOT_STARTED', 'You have no sandbox for this lab.');
    if (action === 'reset') await refuseWhileWorkshopEnded(user.id, lab.id, session);
    const updated = action === 'stop' ? await runner.stop(session.id) : await runner.reset(session.id);
    return Response.json({ session: updated });
  });
}
