import { labProgress, touchLab } from '@/lib/labs/progress';
import { labRoute } from '@/lib/labs/lab-route';

export const dynamic = 'force-dynamic';

/** The learner's sandbox for this lab (or null) and their progress. */
export async function GET(request: Request, context: RouteContext<'/api/labs/[lab]/session'>) {
  const { lab: labId } = await context.params;
  return labRoute(request, labId, { mutation: false }, async ({ lab, user, runner }) => {
    const [session, progress] = await Promise.all([
      runner.findSession(user.id, lab.id),
      labProgress(
        user.id,
        lab.id,
        lab.steps.map((s) => s.id),
      ),
    ]);
    return Response.json({ session: session ?? null, progress });
  });
}

/** Starts the lab: the learner's sandbox, made or resumed, ready when this answers. */
export async function POST(request: Request, context: RouteContext<'/api/labs/[lab]/session'>) {
  const { lab: labId } = await context.params;
  return labRoute(request, labId, { mutation: true }, async ({ lab, user, runner }) => {
    const session = await runner.startSession(user.id, lab.id);
    await touchLab(user.id, lab.id);
    return Response.json({ session });
  });
}
