import { z } from 'zod';
import { readJson } from '@/lib/http/responses';
import { jumpTargetIndex, jumpToStep } from '@/lib/labs/jump';
import { labRoute, readySession } from '@/lib/labs/lab-route';

export const dynamic = 'force-dynamic';

const body = z.strictObject({});

/**
 * Starts this step from the reference state: the solutions of every earlier step are written into
 * the learner's workspace and the earlier steps not passed yet are recorded as skipped. Answers
 * `{stepId, files, skipped}`.
 */
export async function POST(request: Request, context: RouteContext<'/api/labs/[lab]/steps/[step]/jump'>) {
  const { lab: labId, step: stepId } = await context.params;
  return labRoute(request, labId, { mutation: true }, async (labContext) => {
    await readJson(request, body);
    const { lab, user, runner } = labContext;
    jumpTargetIndex(lab, stepId);
    const session = await readySession(labContext);
    return Response.json(await jumpToStep(runner, session.id, user.id, lab, stepId));
  });
}
