import { jsonError } from '@/lib/http/responses';
import { pressedCheck } from '@/lib/labs/grading';
import { labRoute } from '@/lib/labs/lab-route';

export const dynamic = 'force-dynamic';

/** Grades one step in the learner's sandbox, stores the result and returns it. */
export async function POST(request: Request, context: RouteContext<'/api/labs/[lab]/steps/[step]/check'>) {
  const { lab: labId, step: stepId } = await context.params;
  return labRoute(request, labId, { mutation: true }, async (labContext) => {
    const answer = await pressedCheck(labContext, stepId);
    if (!answer.ok) {
      return jsonError(429, 'TOO_MANY_CHECKS', answer.message, {
        'retry-after': String(answer.retryAfterSeconds),
      });
    }
    return Response.json(answer.result);
  });
}
