import { describe, expect, it } from 'vitest';
import { learnerLabState, type LabMembership } from './learner-lab';

const now = new Date('2026-12-12T17:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

function membership(
  id: string,
  workshop: Partial<LabMembership['workshop']> = {},
  joinedAt = minutes(-120),
): LabMembership {
  return {
    joinedAt,
    workshop: {
      id,
      title: `Workshop ${id}`,
      labs: '["reproducible-training"]',
      startsAt: minutes(-180),
      endsAt: minutes(60),
      endedAt: null,
      learnersMayContinue: false,
      sandboxesStoppedAt: null,
      ...workshop,
    },
  };
}

const madeAt = (n: number) => ({ createdAt: minutes(n).toISOString() });

describe('the workshop a lab page shows, and whether it holds the sandbox', () => {
  it('shows a running workshop, which holds nothing', () => {
    expect(learnerLabState([membership('a')], madeAt(-60), now)).toMatchObject({
      id: 'a',
      status: 'live',
      endedBy: null,
      isLocked: false,
    });
    expect(learnerLabState([], madeAt(-60), now)).toBeNull();
  });

  it('holds a sandbox made before the instructor ended the workshop', () => {
    const ended = membership('a', { endedAt: minutes(-10), sandboxesStoppedAt: minutes(-10) });
    expect(learnerLabState([ended], madeAt(-60), now)).toMatchObject({
      status: 'ended',
      endedBy: 'instructor',
      sandboxesStopped: true,
      isLocked: true,
    });
    // One started after the end is the learner's own; no sandbox, nothing to hold.
    expect(learnerLabState([ended], madeAt(-5), now)).toMatchObject({ isLocked: false });
    expect(learnerLabState([ended], null, now)).toMatchObject({ isLocked: false });
  });

  it('says when the end time ended it, and holds its sandboxes the same way', () => {
    const past = membership('a', { endsAt: minutes(-1) });
    expect(learnerLabState([past], madeAt(-60), now)).toMatchObject({ endedBy: 'schedule', isLocked: true });
    // Ended by hand after its end time had passed: the end time ended it.
    const late = membership('a', { endsAt: minutes(-30), endedAt: minutes(-1) });
    expect(learnerLabState([late], madeAt(-60), now)).toMatchObject({ endedBy: 'schedule' });
  });

  it('lets learners keep working after the end once the end has stopped the sandboxes, if the workshop says so', () => {
    const stopping = membership('a', { endedAt: minutes(-1), learnersMayContinue: true });
    expect(learnerLabState([stopping], madeAt(-60), now)).toMatchObject({ isLocked: true });
    const stopped = membership('a', {
      endedAt: minutes(-1),
      learnersMayContinue: true,
      sandboxesStoppedAt: minutes(-1),
    });
    expect(learnerLabState([stopped], madeAt(-60), now)).toMatchObject({
      learnersMayContinue: true,
      isLocked: false,
    });
  });

  it('lets a running workshop with the lab win over an ended one', () => {
    const ended = membership('a', { endedAt: minutes(-10) }, minutes(-300));
    const upcoming = membership('b', { startsAt: minutes(30), endsAt: minutes(90) }, minutes(-200));
    const live = membership('c', {}, minutes(-250));
    expect(learnerLabState([ended, upcoming, live], madeAt(-60), now)).toMatchObject({
      id: 'c',
      isLocked: false,
    });
    expect(learnerLabState([ended, upcoming], madeAt(-60), now)).toMatchObject({
      id: 'b',
      status: 'upcoming',
      isLocked: false,
    });
  });

  it('among ended workshops, shows the one that holds the sandbox, else the latest ended', () => {
    const holding = membership('a', { endedAt: minutes(-30) });
    const later = membership('b', {
      endedAt: minutes(-10),
      learnersMayContinue: true,
      sandboxesStoppedAt: minutes(-10),
    });
    expect(learnerLabState([later, holding], madeAt(-60), now)).toMatchObject({ id: 'a', isLocked: true });
    expect(learnerLabState([later, holding], madeAt(-20), now)).toMatchObject({ id: 'b', isLocked: false });
  });
});
