import { labProgress, touchLab } from '@/lib/labs/progress';
import { applyPendingJump } from '@/lib/labs/jump';
import { labRoute } from '@/lib/labs/lab-route';
import { tooManySessionsAnswer } from '@/lib/labs/running-labs';
import { refuseWhileWorkshopEnded } from '@/lib/workshops/learner-lab';

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

/**
 * Starts the lab: the learner's sandbox, made or resumed, ready when this answers (not while an
 * ended workshop holds it stopped). A step their workshop's instructor started everyone at
 * meanwhile is applied now (`jump`, else null). A learner at their limit of running sandboxes gets
 * 409 TOO_MANY_SESSIONS with the labs that hold them (`runningLabs: [{id, title}]`).
 */
export async function POST(request: Request, context: RouteContext<'/api/labs/[lab]/session'>) {
  const { lab: labId } = await context.params;
  return labRoute(request, labId, { mutation: true }, async ({ lab, user, runner }) => {
    await refuseWhileWorkshopEnded(user.id, lab.id, await runner.findSession(user.id, lab.id));
    let session;
    try {
      session = await runner.startSession(user.id, lab.id);
    } catch (error) {
      const refused = await tooManySessionsAnswer(error, runner, user.id, lab.id);
      if (refused) return refused;
      throw error;
    }
    await touchLab(user.id, lab.id);
    const jump = session.state === 'ready' ? await applyPendingJump(runner, session.id, user.id, lab) : null;
    return Response.json({ session, jump });
  });
}
