import { jsonError } from '@/lib/http/responses';
import { checkGate } from '@/lib/labs/check-gate';
import { labRoute, readySession } from '@/lib/labs/lab-route';
import { recordCheck } from '@/lib/labs/progress';

export const dynamic = 'force-dynamic';

/** Grades one step in the learner's sandbox, stores the result and returns it. */
export async function POST(request: Request, context: RouteContext<'/api/labs/[lab]/steps/[step]/check'>) {
  const { lab: labId, step: stepId } = await context.params;
  return labRoute(request, labId, { mutation: true }, async (labContext) => {
    const { lab, user, runner } = labContext;
    if (!lab.steps.some((s) => s.id === stepId)) {
      return jsonError(404, 'STEP_NOT_FOUND', `Lab "${lab.id}" has no step "${stepId.slice(0, 64)}".`);
    }
    const session = await readySession(labContext);
    const gate = checkGate.enter(user.id);
    if (!gate.ok) {
      return jsonError(429, 'TOO_MANY_CHECKS', gate.message, {
        'retry-after': String(gate.retryAfterSeconds),
      });
    }
    try {
      const { diagnostics, ...result } = await runner.check(session.id, stepId);
      if (result.status === 'error')
        console.warn(`check ${lab.id}/${stepId} gave error: ${diagnostics ?? ''}`);
      await recordCheck(
        user.id,
        lab.id,
        lab.steps.map((s) => s.id),
        result,
      );
      return Response.json(result);
    } finally {
      gate.leave();
    }
  });
}
