import { backgroundCheck } from '@/lib/labs/grading';
import { labRoute } from '@/lib/labs/lab-route';

export const dynamic = 'force-dynamic';

/**
 * A background check of an `autoCheck` step (the page asks after a save or a command): `{ran:
 * true, result}`, stored like a pressed Check and marked automatic, or `{ran: false, reason}` when
 * it gave way (`busy`: another check runs or the learner checked a lot; `done`: passed or skipped).
 */
export async function POST(
  request: Request,
  context: RouteContext<'/api/labs/[lab]/steps/[step]/auto-check'>,
) {
  const { lab: labId, step: stepId } = await context.params;
  return labRoute(request, labId, { mutation: true }, async (labContext) =>
    Response.json(await backgroundCheck(labContext, stepId)),
  );
}
