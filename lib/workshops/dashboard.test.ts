import { describe, expect, it } from 'vitest';
import { shapeDashboard, stuckStep, type DashboardInput, type ResultRow } from './dashboard';

const labs = [
  {
    id: 'lab-a',
    title: 'Lab A',
    steps: [
      { id: 's1', title: 'One' },
      { id: 's2', title: 'Two' },
    ],
  },
  { id: 'lab-b', title: 'Lab B', steps: [{ id: 't1', title: 'Only' }] },
];
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute));
const result = (
  userId: string,
  labId: string,
  stepId: string,
  status: string,
  minute: number,
  automatic = false,
): ResultRow => ({
  userId,
  labId,
  stepId,
  status,
  automatic,
  createdAt: at(minute),
});

function input(overrides: Partial<DashboardInput> = {}): DashboardInput {
  return {
    labs,
    members: [
      { userId: 'u-zoe', email: 'zoe@example.com', name: 'Zoe', joinedAt: at(0) },
      { userId: 'u-ada', email: 'ada@example.com', name: 'ada', joinedAt: at(1) },
    ],
    results: [],
    reveals: [],
    skips: [],
    progress: [],
    sandboxes: [],
    now: at(30),
    ...overrides,
  };
}

describe('stuckStep', () => {
  const fail = (stepId: string, minute: number) => result('u', 'lab-a', stepId, 'fail', minute);
  const pass = (stepId: string, minute: number) => result('u', 'lab-a', stepId, 'pass', minute);

  it('is nobody without results, or after a pass', () => {
    expect(stuckStep([])).toBeNull();
    expect(stuckStep([fail('s1', 1), fail('s1', 2), fail('s1', 3), pass('s1', 4)])).toBeNull();
  });

  it('flags three failed checks in a row on the current step', () => {
    expect(stuckStep([fail('s1', 1), fail('s1', 2)])).toBeNull();
    expect(stuckStep([fail('s1', 1), fail('s1', 2), fail('s1', 3)])).toEqual({
      labId: 'lab-a',
      stepId: 's1',
      failures: 3,
    });
  });

  it('counts an error (a check that could not run) as a failure', () => {
    const error = { ...fail('s1', 3), status: 'error' };
    expect(stuckStep([fail('s1', 1), fail('s1', 2), error])?.failures).toBe(3);
  });

  it('counts only the failures since the last pass of that step', () => {
    expect(stuckStep([fail('s1', 1), fail('s1', 2), pass('s1', 3), fail('s1', 4), fail('s1', 5)])).toBeNull();
  });

  it('looks at the step of the latest check only: moving on clears it', () => {
    const history = [fail('s1', 1), fail('s1', 2), fail('s1', 3)];
    expect(stuckStep([...history, fail('s2', 4)])).toBeNull();
  });

  it('is not fooled by checks of other steps in between', () => {
    expect(stuckStep([fail('s1', 1), pass('s2', 2), fail('s1', 3), fail('s1', 4)])?.failures).toBe(3);
  });

  it('takes another threshold', () => {
    expect(stuckStep([fail('s1', 1), fail('s1', 2)], 2)?.failures).toBe(2);
  });
});

describe('shapeDashboard', () => {
  it('has one column per step of every lab, in order, and sorts learners by name', () => {
    const view = shapeDashboard(input());
    expect(view.columns.map((c) => `${c.labId}/${c.stepId}`)).toEqual(['lab-a/s1', 'lab-a/s2', 'lab-b/t1']);
    expect(view.learners.map((l) => l.name)).toEqual(['ada', 'Zoe']);
    expect(view.learners[0]!.cells.map((c) => c.status)).toEqual(['not-tried', 'not-tried', 'not-tried']);
    expect(view.learners[0]!.lastActivityAt).toBeNull();
    expect(view.generatedAt).toBe(at(30).toISOString());
  });

  it('marks passed, failed and revealed steps and counts them', () => {
    const view = shapeDashboard(
      input({
        results: [
          result('u-ada', 'lab-a', 's1', 'fail', 3),
          result('u-ada', 'lab-a', 's1', 'pass', 5),
          result('u-ada', 'lab-a', 's1', 'fail', 6),
          result('u-ada', 'lab-a', 's2', 'fail', 7),
          result('u-zoe', 'lab-b', 't1', 'pass', 4),
        ],
        reveals: [{ userId: 'u-ada', labId: 'lab-a', stepId: 's2' }],
      }),
    );
    const [ada, zoe] = view.learners;
    expect(ada!.cells[0]).toEqual({
      labId: 'lab-a',
      stepId: 's1',
      status: 'passed',
      attempts: 3,
      failedAttempts: 2,
      revealed: false,
      passedAt: at(5).toISOString(),
    });
    expect(ada!.cells[1]).toMatchObject({ status: 'failed', attempts: 1, revealed: true });
    expect(ada!.stepsPassed).toBe(1);
    expect(ada!.reveals).toBe(1);
    expect(zoe!.cells.map((c) => c.status)).toEqual(['not-tried', 'not-tried', 'passed']);
  });

  it('ignores results, reveals and sandboxes of labs outside the workshop', () => {
    const view = shapeDashboard(
      input({
        results: [result('u-ada', 'other-lab', 's1', 'pass', 20)],
        reveals: [{ userId: 'u-ada', labId: 'other-lab', stepId: 's1' }],
        sandboxes: [
          { userId: 'u-ada', labId: 'other-lab', state: 'ready', lastActivityAt: at(25).toISOString() },
        ],
      }),
    );
    const ada = view.learners[0]!;
    expect(ada.stepsPassed).toBe(0);
    expect(ada.reveals).toBe(0);
    expect(ada.lastActivityAt).toBeNull();
    expect(ada.sandboxes).toEqual([
      { labId: 'lab-a', state: 'none', viewers: 0 },
      { labId: 'lab-b', state: 'none', viewers: 0 },
    ]);
  });

  it('takes the latest of checks, lab opens and sandbox activity as last activity', () => {
    const view = shapeDashboard(
      input({
        results: [result('u-ada', 'lab-a', 's1', 'fail', 3)],
        progress: [{ userId: 'u-ada', labId: 'lab-a', lastOpenedAt: at(8) }],
        sandboxes: [
          {
            userId: 'u-ada',
            labId: 'lab-b',
            state: 'ready',
            lastActivityAt: at(12).toISOString(),
            viewers: 1,
          },
        ],
      }),
    );
    const ada = view.learners[0]!;
    expect(ada.lastActivityAt).toBe(at(12).toISOString());
    expect(ada.sandboxes).toEqual([
      { labId: 'lab-a', state: 'none', viewers: 0 },
      { labId: 'lab-b', state: 'ready', viewers: 1 },
    ]);
  });

  it('says sandbox states are unknown when the runner could not be asked', () => {
    const view = shapeDashboard(input({ sandboxes: null }));
    expect(view.runnerAvailable).toBe(false);
    expect(view.learners[0]!.sandboxes.map((s) => s.state)).toEqual(['unknown', 'unknown']);
  });

  it('flags the stuck learner on the step they keep failing, whatever order the rows came in', () => {
    const view = shapeDashboard(
      input({
        results: [
          result('u-zoe', 'lab-a', 's2', 'fail', 9),
          result('u-zoe', 'lab-a', 's2', 'fail', 7),
          result('u-zoe', 'lab-a', 's1', 'pass', 5),
          result('u-zoe', 'lab-a', 's2', 'fail', 8),
          result('u-ada', 'lab-a', 's1', 'fail', 9),
        ],
      }),
    );
    expect(view.learners.find((l) => l.name === 'Zoe')!.stuck).toEqual({
      labId: 'lab-a',
      stepId: 's2',
      failures: 3,
    });
    expect(view.learners.find((l) => l.name === 'ada')!.stuck).toBeNull();
  });

  it('shows a skipped step as skipped, never as a pass, even when a check passed after the skip', () => {
    const view = shapeDashboard(
      input({
        results: [result('u-ada', 'lab-a', 's1', 'pass', 9), result('u-ada', 'lab-a', 's2', 'pass', 10)],
        skips: [
          { userId: 'u-ada', labId: 'lab-a', stepId: 's1' },
          { userId: 'u-ada', labId: 'other-lab', stepId: 's2' },
        ],
      }),
    );
    const ada = view.learners[0]!;
    expect(ada.cells.map((c) => c.status)).toEqual(['skipped', 'passed', 'not-tried']);
    expect(ada.cells[0]!.passedAt).toBeNull();
    expect(ada.stepsPassed).toBe(1);
  });

  it('counts a background pass, and ignores background checks that did not pass', () => {
    const view = shapeDashboard(
      input({
        results: [
          result('u-ada', 'lab-a', 's1', 'fail', 1, true),
          result('u-ada', 'lab-a', 's1', 'fail', 2, true),
          result('u-ada', 'lab-a', 's1', 'fail', 3, true),
          result('u-ada', 'lab-a', 's2', 'fail', 4),
          result('u-ada', 'lab-a', 's2', 'error', 5, true),
          result('u-zoe', 'lab-a', 's1', 'pass', 6, true),
        ],
      }),
    );
    const [ada, zoe] = view.learners;
    expect(ada!.cells[0]).toMatchObject({ status: 'not-tried', attempts: 0, failedAttempts: 0 });
    expect(ada!.cells[1]).toMatchObject({ status: 'failed', attempts: 1, failedAttempts: 1 });
    expect(ada!.stuck).toBeNull();
    expect(ada!.lastActivityAt).toBe(at(4).toISOString());
    expect(zoe!.cells[0]).toMatchObject({ status: 'passed', passedAt: at(6).toISOString() });
  });

  it('is no longer stuck on a step they skipped', () => {
    const failures = [3, 4, 5].map((minute) => result('u-ada', 'lab-a', 's1', 'fail', minute));
    expect(shapeDashboard(input({ results: failures })).learners[0]!.stuck).not.toBeNull();
    const skipped = shapeDashboard(
      input({ results: failures, skips: [{ userId: 'u-ada', labId: 'lab-a', stepId: 's1' }] }),
    );
    expect(skipped.learners[0]!.stuck).toBeNull();
  });
});
