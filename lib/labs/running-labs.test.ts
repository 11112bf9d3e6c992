import { describe, expect, it, vi } from 'vitest';
import type { RunnerSession } from '@/lib/runner/client';
import { RunnerRequestError } from '@/lib/runner/client';
import { runningLabsOf, tooManySessionsAnswer } from './running-labs';

const titles: Record<string, string> = {
  'reproducible-training': 'Reproducible training',
  'experiment-tracking': 'Experiment tracking',
  'model-registry': 'Model registry',
};
const titleOf = (labId: string) => titles[labId];

function session(labId: string, state: RunnerSession['state']): RunnerSession {
  return {
    id: `${labId.length}`.padStart(20, '0'),
    userId: 'ada',
    labId,
    state,
    createdAt: null,
    readyAt: null,
    lastActivityAt: null,
    idleStopAt: null,
    expiresAt: null,
    startKind: null,
    error: null,
    viewers: 0,
  };
}

function fakeRunner(sessions: RunnerSession[] | Error) {
  return {
    listSessions: vi.fn(async (filter: { userId?: string }) => {
      if (sessions instanceof Error) throw sessions;
      return sessions.filter((s) => s.userId === filter.userId);
    }),
  };
}

const tooMany = new RunnerRequestError(
  409,
  'TOO_MANY_SESSIONS',
  'You already have 2 lab sandbox(es) running; stop one before starting another.',
);

describe('runningLabsOf', () => {
  it('names the labs holding running sandboxes (being made or ready), by title, this lab left out', async () => {
    const runner = fakeRunner([
      session('reproducible-training', 'ready'),
      session('model-registry', 'stopped'),
      session('experiment-tracking', 'creating'),
      session('old-lab', 'ready'),
      session('lab-here', 'ready'),
      session('broken', 'error'),
    ]);

    await expect(runningLabsOf(runner, 'ada', 'lab-here', titleOf)).resolves.toEqual([
      { id: 'experiment-tracking', title: 'Experiment tracking' },
      { id: 'old-lab', title: 'old-lab' },
      { id: 'reproducible-training', title: 'Reproducible training' },
    ]);
    expect(runner.listSessions).toHaveBeenCalledWith({ userId: 'ada' });
  });
});

describe('tooManySessionsAnswer', () => {
  it('answers 409 TOO_MANY_SESSIONS naming the running labs', async () => {
    const runner = fakeRunner([
      session('reproducible-training', 'ready'),
      session('experiment-tracking', 'ready'),
    ]);

    const answer = await tooManySessionsAnswer(tooMany, runner, 'ada', 'model-registry', titleOf);

    expect(answer?.status).toBe(409);
    expect(await answer?.json()).toEqual({
      error: 'TOO_MANY_SESSIONS',
      message:
        'You have 2 lab sandboxes running (Experiment tracking and Reproducible training), as many as you may have at once. Stop one to start this lab: your files in each are kept.',
      runningLabs: [
        { id: 'experiment-tracking', title: 'Experiment tracking' },
        { id: 'reproducible-training', title: 'Reproducible training' },
      ],
    });
  });

  it('says "it" for a single running lab', async () => {
    const runner = fakeRunner([session('reproducible-training', 'ready')]);
    const answer = await tooManySessionsAnswer(tooMany, runner, 'ada', 'model-registry', titleOf);
    expect(((await answer?.json()) as { message: string }).message).toBe(
      'You have a lab sandbox running (Reproducible training), as many as you may have at once. Stop it to start this lab: your files in it are kept.',
    );
  });

  it("keeps the runner's message, naming no lab, when the labs cannot be listed", async () => {
    const answer = await tooManySessionsAnswer(tooMany, fakeRunner(new Error('down')), 'ada', 'x', titleOf);
    expect(answer?.status).toBe(409);
    expect(await answer?.json()).toEqual({
      error: 'TOO_MANY_SESSIONS',
      message: tooMany.message,
      runningLabs: [],
    });
  });

  it('leaves any other error alone', async () => {
    const runner = fakeRunner([]);
    const atCapacity = new RunnerRequestError(429, 'AT_CAPACITY', 'All sandboxes are in use.');
    await expect(tooManySessionsAnswer(atCapacity, runner, 'ada', 'x', titleOf)).resolves.toBeNull();
    await expect(tooManySessionsAnswer(new Error('boom'), runner, 'ada', 'x', titleOf)).resolves.toBeNull();
    expect(runner.listSessions).not.toHaveBeenCalled();
  });
});
