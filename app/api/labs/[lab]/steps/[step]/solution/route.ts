import { z } from 'zod';
import { jsonError, readJson } from '@/lib/http/responses';
import { solutionFiles } from '@/lib/labs/catalog';
import { labRoute, readySession } from '@/lib/labs/lab-route';
import { recordReveal } from '@/lib/labs/progress';

export const dynamic = 'force-dynamic';

const body = z.strictObject({ apply: z.boolean().default(false) });

/**
 * Reveals a step's reference solution (recorded as revealed) and returns its files; with
 * `{"apply": true}` also writes them into the learner's workspace.
 */
export async function POST(request: Request, context: RouteContext<'/api/labs/[lab]/steps/[step]/solution'>) {
  const { lab: labId, step: stepId } = await context.params;
  return labRoute(request, labId, { mutation: true }, async (labContext) => {
    const { lab, user, runner } = labContext;
    if (!lab.steps.some((s) => s.id === stepId)) {
      return jsonError(404, 'STEP_NOT_FOUND', `Lab "${lab.id}" has no step "${stepId.slice(0, 64)}".`);
    }
    const input = await readJson(request, body);
    const files = solutionFiles(lab, stepId);
    await recordReveal(user.id, lab.id, stepId);
    if (input.apply) {
      const session = await readySession(labContext);
      for (const file of files) await runner.writeFile(session.id, file.path, file.content);
    }
    return Response.json({ stepId, files, applied: input.apply });
  });
}
