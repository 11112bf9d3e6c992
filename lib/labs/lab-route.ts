/**
 * What every lab API route does first: find the lab, refuse forged mutations (origin and CSRF
 * token), know the learner, and find their sandbox. Labs need an account: a signed-out visitor
 * gets a 401. Routes stay short and answer bad input with a clear 4xx.
 */
import 'server-only';
import type { User } from '@/lib/generated/prisma/client';
import { currentUser } from '@/lib/auth/identity';
import { ApiError } from '@/lib/http/api-error';
import { refuseForgedMutation } from '@/lib/http/api-route';
import { errorResponse, jsonError } from '@/lib/http/responses';
import type { RunnerClient, RunnerSession } from '@/lib/runner/client';
import { getRunner } from '@/lib/runner/instance';
import { refuseWhileWorkshopEnded } from '@/lib/workshops/learner-lab';
import { getLab } from './catalog';
import type { Lab } from '@/lab-runner/api/lab-loader';

export type LabContext = { lab: Lab; user: User; runner: RunnerClient };

/**
 * Runs `handler` for a lab route. `mutation: true` refuses cross-site or token-less requests; a
 * visitor who is not signed in gets a 401 either way.
 */
export async function labRoute(
  request: Request,
  labId: string,
  options: { mutation: boolean },
  handler: (context: LabContext) => Promise<Response>,
): Promise<Response> {
  try {
    if (options.mutation) {
      const refused = refuseForgedMutation(request);
      if (refused) return refused;
    }
    const lab = getLab(labId);
    if (!lab) return jsonError(404, 'LAB_NOT_FOUND', `There is no lab "${labId.slice(0, 64)}".`);
    const user = await currentUser();
    if (!user) return jsonError(401, 'NOT_SIGNED_IN', 'Log in to start this lab.');
    return await handler({ lab, user, runner: getRunner() });
  } catch (error) {
    return errorResponse(error, `lab API (${labId.slice(0, 64)})`);
  }
}

/**
 * The learner's sandbox for the lab; throws a 409 telling them to start it, or to wait, or that an
 * ended workshop of theirs holds it stopped.
 */
export async function readySession(context: LabContext): Promise<RunnerSession> {
  const session = await context.runner.findSession(context.user.id, context.lab.id);
  if (!session) {
    throw new ApiError(409, 'LAB_NOT_STARTED', 'Start the lab first: you have no sandbox for it yet.');
  }
  await refuseWhileWorkshopEnded(context.user.id, context.lab.id, session);
  if (session.state !== 'ready') {
    throw new ApiError(
      409,
      'SANDBOX_NOT_READY',
      session.state === 'stopped'
        ? 'Your sandbox is stopped. Resume the lab, then try again.'
        : `Your sandbox is ${session.state}; wait until it is ready.`,
    );
  }
  return session;
}
