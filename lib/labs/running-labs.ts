/**
 * When a learner is at their limit of running sandboxes, the start route answers with the labs that
 * hold them, by title, so the page can name them and offer to stop one (instead of "try again").
 */
import 'server-only';
import type { RunnerClient, RunnerSession } from '@/lib/runner/client';
import { RunnerRequestError } from '@/lib/runner/client';
import { getLab } from './catalog';

export type RunningLab = { id: string; title: string };

/** The runner's answer when the learner has as many sandboxes running as they may. */
export const tooManySessionsCode = 'TOO_MANY_SESSIONS';

/** The states in which a sandbox counts against the learner's limit (the runner's rule). */
const runningStates = new Set<RunnerSession['state']>(['creating', 'ready']);

/**
 * The labs whose sandboxes the learner has running (being made or ready), other than `exceptLabId`,
 * sorted by title; a lab no longer in the catalogue is named by its id.
 */
export async function runningLabsOf(
  runner: Pick<RunnerClient, 'listSessions'>,
  userId: string,
  exceptLabId: string,
  titleOf: (labId: string) => string | undefined = (labId) => getLab(labId)?.title,
): Promise<RunningLab[]> {
  const sessions = await runner.listSessions({ userId });
  const ids = new Set(
    sessions
      .filter((session) => runningStates.has(session.state) && session.labId !== exceptLabId)
      .map((session) => session.labId),
  );
  return [...ids]
    .map((id) => ({ id, title: titleOf(id) ?? id }))
    .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

/** "Experiment tracking and Reproducible training" */
function titlesInWords(labs: readonly RunningLab[]): string {
  const titles = labs.map((lab) => lab.title);
  if (titles.length <= 1) return titles.join('');
  return `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}`;
}

/**
 * The answer to a start refused because the learner is at their limit: 409 TOO_MANY_SESSIONS with
 * the running labs (`runningLabs`), or null when `error` is another error. When the runner cannot
 * list them just then, the runner's own message goes back, with no labs named.
 */
export async function tooManySessionsAnswer(
  error: unknown,
  runner: Pick<RunnerClient, 'listSessions'>,
  userId: string,
  labId: string,
  titleOf?: (labId: string) => string | undefined,
): Promise<Response | null> {
  if (!(error instanceof RunnerRequestError) || error.code !== tooManySessionsCode) return null;
  const runningLabs = await runningLabsOf(runner, userId, labId, titleOf).catch(() => null);
  if (!runningLabs?.length) {
    return Response.json(
      { error: tooManySessionsCode, message: error.message, runningLabs: [] },
      { status: 409 },
    );
  }
  const count = runningLabs.length;
  const message =
    `You have ${count === 1 ? 'a lab sandbox' : `${count} lab sandboxes`} running (` +
    `${titlesInWords(runningLabs)}), as many as you may have at once. Stop ` +
    `${count === 1 ? 'it' : 'one'} to start this lab: your files in ${count === 1 ? 'it' : 'each'} are kept.`;
  return Response.json({ error: tooManySessionsCode, message, runningLabs }, { status: 409 });
}
