import { describe, expect, it } from 'vitest';
import { summariseProgress, type ProgressRecords } from './summary';

const chapters = [
  { slug: '01-basics', order: 1, title: 'Basics' },
  { slug: '02-tracking', order: 2, title: 'Tracking' },
];

const step = (id: string) => ({ id, title: `Step ${id}` }) as never;
const labs = [
  { id: 'first-lab', title: 'First lab', chapter: '01-basics', steps: [step('a'), step('b'), step('c')] },
  { id: 'second-lab', title: 'Second lab', chapter: '02-tracking', steps: [step('x')] },
];

const at = (iso: string) => new Date(iso);

function records(overrides: Partial<ProgressRecords> = {}): ProgressRecords {
  return {
    chapterReads: [],
    quizAttempts: [],
    labs: { progress: [], passed: new Map(), revealed: new Map() },
    ...overrides,
  };
}

describe('summariseProgress', () => {
  it('shows a new learner every chapter unread and every lab not started, with nothing to resume', () => {
    const summary = summariseProgress(chapters, labs, records());
    expect(summary.chapters).toEqual([
      { slug: '01-basics', order: 1, title: 'Basics', readAt: null, quiz: null },
      { slug: '02-tracking', order: 2, title: 'Tracking', readAt: null, quiz: null },
    ]);
    expect(summary.labs.map((lab) => [lab.id, lab.stepsPassed, lab.stepsTotal, lab.isCompleted])).toEqual([
      ['first-lab', 0, 3, false],
      ['second-lab', 0, 1, false],
    ]);
    expect(summary.labs[0]).toMatchObject({ startedAt: null, lastOpenedAt: null, currentStep: null });
    expect(summary.next).toBeNull();
  });

  it('marks a chapter read with the last time the learner reached its end', () => {
    const summary = summariseProgress(
      chapters,
      labs,
      records({
        chapterReads: [
          {
            chapter: '02-tracking',
            firstReadAt: at('2026-12-01T10:00:00Z'),
            lastReadAt: at('2026-12-02T09:00:00Z'),
          },
        ],
      }),
    );
    expect(summary.chapters.map((c) => c.readAt)).toEqual([null, '2026-12-02T09:00:00.000Z']);
  });

  it("keeps each quiz's best attempt and adds them up over the chapter's quizzes", () => {
    const summary = summariseProgress(
      chapters,
      labs,
      records({
        quizAttempts: [
          { chapter: '01-basics', quizId: 'one', score: 1, total: 4 },
          { chapter: '01-basics', quizId: 'one', score: 3, total: 4 },
          { chapter: '01-basics', quizId: 'one', score: 2, total: 4 },
          { chapter: '01-basics', quizId: 'two', score: 2, total: 2 },
          { chapter: '02-tracking', quizId: 'three', score: 0, total: 3 },
        ],
      }),
    );
    expect(summary.chapters[0]?.quiz).toEqual({ bestScore: 5, total: 6, attempts: 4 });
    expect(summary.chapters[1]?.quiz).toEqual({ bestScore: 0, total: 3, attempts: 1 });
  });

  it('counts the steps passed, the solutions revealed and the step the learner is on', () => {
    const summary = summariseProgress(
      chapters,
      labs,
      records({
        labs: {
          progress: [
            {
              labId: 'first-lab',
              currentStep: 'b',
              startedAt: at('2026-12-01T10:00:00Z'),
              lastOpenedAt: at('2026-12-01T11:00:00Z'),
              completedAt: null,
            },
          ],
          passed: new Map([['first-lab', new Set(['a', 'b', 'removed-step'])]]),
          revealed: new Map([['first-lab', new Set(['b'])]]),
        },
      }),
    );
    expect(summary.labs[0]).toEqual({
      id: 'first-lab',
      title: 'First lab',
      chapter: '01-basics',
      stepsTotal: 3,
      stepsPassed: 2,
      isCompleted: false,
      solutionsRevealed: 1,
      startedAt: '2026-12-01T10:00:00.000Z',
      lastOpenedAt: '2026-12-01T11:00:00.000Z',
      currentStep: { id: 'b', title: 'Step b' },
    });
  });

  it('calls a lab completed once every step it has now passed', () => {
    const summary = summariseProgress(
      chapters,
      labs,
      records({
        labs: { progress: [], passed: new Map([['second-lab', new Set(['x'])]]), revealed: new Map() },
      }),
    );
    expect(summary.labs[1]).toMatchObject({ stepsPassed: 1, isCompleted: true });
  });

  it('resumes the lab opened most recently, and ignores labs that no longer exist', () => {
    const opened = (labId: string, lastOpenedAt: string) => ({
      labId,
      currentStep: null,
      startedAt: at('2026-12-01T08:00:00Z'),
      lastOpenedAt: at(lastOpenedAt),
      completedAt: null,
    });
    const summary = summariseProgress(
      chapters,
      labs,
      records({
        labs: {
          progress: [
            opened('first-lab', '2026-12-01T09:00:00Z'),
            opened('second-lab', '2026-12-03T09:00:00Z'),
            opened('deleted-lab', '2026-12-05T09:00:00Z'),
          ],
          passed: new Map(),
          revealed: new Map(),
        },
      }),
    );
    expect(summary.next).toEqual({
      labId: 'second-lab',
      title: 'Second lab',
      action: 'resume',
      finished: null,
    });
    expect(summary.labs.map((lab) => lab.id)).toEqual(['first-lab', 'second-lab']);
  });

  it('lists labs in the course order and, once the lab opened last is finished, suggests the next one', () => {
    const summary = summariseProgress(
      chapters,
      // As the catalog lists them: by folder name, not by chapter.
      [labs[1]!, labs[0]!],
      records({
        labs: {
          progress: [
            {
              labId: 'first-lab',
              currentStep: 'c',
              startedAt: at('2026-12-01T08:00:00Z'),
              lastOpenedAt: at('2026-12-02T09:00:00Z'),
              completedAt: at('2026-12-02T09:00:00Z'),
            },
          ],
          passed: new Map([['first-lab', new Set(['a', 'b', 'c'])]]),
          revealed: new Map(),
        },
      }),
    );
    expect(summary.labs.map((lab) => lab.id)).toEqual(['first-lab', 'second-lab']);
    expect(summary.next).toEqual({
      labId: 'second-lab',
      title: 'Second lab',
      action: 'start',
      finished: { labId: 'first-lab', title: 'First lab' },
    });
  });
});
