import { labRoute, readySession } from '@/lib/labs/lab-route';

export const dynamic = 'force-dynamic';

/** A short-lived token for this learner's sandbox: terminal (single use) and files, via /runner. */
export async function POST(request: Request, context: RouteContext<'/api/labs/[lab]/token'>) {
  const { lab: labId } = await context.params;
  return labRoute(request, labId, { mutation: true }, async (labContext) => {
    const session = await readySession(labContext);
    const { token, expiresAt } = labContext.runner.browserToken(session.id, labContext.user.id);
    return Response.json({ sessionId: session.id, token, expiresAt, runnerBase: '/runner' });
  });
}
