import { z } from 'zod';
import { jsonError, readJson } from '@/lib/http/responses';
import { labRoute } from '@/lib/labs/lab-route';
import { touchLab } from '@/lib/labs/progress';

export const dynamic = 'force-dynamic';

const body = z.strictObject({ currentStep: z.string().min(1).max(64) });

/** Remembers the step the learner is on, so coming back resumes there. */
export async function POST(request: Request, context: RouteContext<'/api/labs/[lab]/progress'>) {
  const { lab: labId } = await context.params;
  return labRoute(request, labId, { mutation: true }, async ({ lab, user }) => {
    const input = await readJson(request, body);
    if (!lab.steps.some((s) => s.id === input.currentStep)) {
      return jsonError(404, 'STEP_NOT_FOUND', `Lab "${lab.id}" has no step "${input.currentStep}".`);
    }
    await touchLab(user.id, lab.id, input.currentStep);
    return new Response(null, { status: 204 });
  });
}
