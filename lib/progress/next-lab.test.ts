import { describe, expect, it } from 'vitest';
import { inCourseOrder, labStatus, suggestLab, suggestionLabel } from './next-lab';

type LabState = { id: string; isCompleted?: boolean; stepsPassed?: number; lastOpenedAt?: string | null };

/** Labs in course order, as the summary lists them. */
const labs = (...states: LabState[]) =>
  states.map((state) => ({
    id: state.id,
    title: `Lab ${state.id}`,
    isCompleted: state.isCompleted ?? false,
    stepsPassed: state.stepsPassed ?? 0,
    lastOpenedAt: state.lastOpenedAt ?? null,
  }));

describe('labStatus', () => {
  it('is done, in progress (opened or a step passed) or not started', () => {
    const [done, opened, passedOne, untouched] = labs(
      { id: 'a', isCompleted: true, stepsPassed: 3 },
      { id: 'b', lastOpenedAt: '2026-12-01T10:00:00.000Z' },
      { id: 'c', stepsPassed: 1 },
      { id: 'd' },
    );
    expect([done, opened, passedOne, untouched].map((lab) => labStatus(lab!))).toEqual([
      'done',
      'in-progress',
      'in-progress',
      'not-started',
    ]);
  });
});

describe('inCourseOrder', () => {
  it("sorts labs by their chapter's order, keeping the given order within a chapter and unknown chapters last", () => {
    const chapters = [
      { slug: '05-registry', order: 5 },
      { slug: '01-basics', order: 1 },
      { slug: '02-tracking', order: 2 },
    ];
    const ordered = inCourseOrder(
      [
        { id: 'registry', chapter: '05-registry' },
        { id: 'orphan', chapter: '99-gone' },
        { id: 'tracking-b', chapter: '02-tracking' },
        { id: 'basics', chapter: '01-basics' },
        { id: 'tracking-a', chapter: '02-tracking' },
      ],
      chapters,
    );
    expect(ordered.map((lab) => lab.id)).toEqual([
      'basics',
      'tracking-b',
      'tracking-a',
      'registry',
      'orphan',
    ]);
  });
});

describe('suggestLab', () => {
  it('suggests nothing before any lab was opened', () => {
    expect(suggestLab(labs({ id: '1' }, { id: '2' }))).toBeNull();
  });

  it('resumes the lab opened most recently while it is unfinished', () => {
    const suggestion = suggestLab(
      labs(
        { id: '1', lastOpenedAt: '2026-12-01T10:00:00.000Z', stepsPassed: 1 },
        { id: '2', lastOpenedAt: '2026-12-02T10:00:00.000Z' },
      ),
    );
    expect(suggestion).toEqual({ labId: '2', title: 'Lab 2', action: 'resume', finished: null });
    expect(suggestionLabel(suggestion!)).toBe('Resume Lab 2');
  });

  it('after the lab opened last is finished, suggests the next lab in the course, not that one', () => {
    const suggestion = suggestLab(
      labs(
        { id: '1', isCompleted: true, stepsPassed: 3, lastOpenedAt: '2026-12-03T10:00:00.000Z' },
        { id: '2' },
        { id: '3' },
      ),
    );
    expect(suggestion).toEqual({
      labId: '2',
      title: 'Lab 2',
      action: 'start',
      finished: { labId: '1', title: 'Lab 1' },
    });
    expect(suggestionLabel(suggestion!)).toBe('Start Lab 2');
  });

  it('skips labs already done, says "continue" for one begun, and wraps round to the start of the course', () => {
    const suggestion = suggestLab(
      labs(
        { id: '1', stepsPassed: 1, lastOpenedAt: '2026-12-01T10:00:00.000Z' },
        { id: '2', isCompleted: true, stepsPassed: 2, lastOpenedAt: '2026-12-05T10:00:00.000Z' },
        { id: '3', isCompleted: true, stepsPassed: 2, lastOpenedAt: '2026-12-02T10:00:00.000Z' },
      ),
    );
    expect(suggestion).toMatchObject({ labId: '1', action: 'continue', finished: { labId: '2' } });
  });

  it('suggests nothing once every lab is done', () => {
    expect(
      suggestLab(
        labs(
          { id: '1', isCompleted: true, lastOpenedAt: '2026-12-01T10:00:00.000Z' },
          { id: '2', isCompleted: true, lastOpenedAt: '2026-12-02T10:00:00.000Z' },
        ),
      ),
    ).toBeNull();
  });
});
