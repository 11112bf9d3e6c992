import { describe, expect, it } from 'vitest';
import { endOf, madeBefore } from './sandboxes';

const at = (iso: string) => new Date(iso);

describe('the end of a workshop and its sandboxes', () => {
  it('ends at its end time, or when its instructor ended it if that came first', () => {
    const endsAt = at('2026-12-12T17:00:00Z');
    expect(endOf({ endsAt, endedAt: null })).toEqual(endsAt);
    expect(endOf({ endsAt, endedAt: at('2026-12-12T16:30:00Z') })).toEqual(at('2026-12-12T16:30:00Z'));
    // Ended by hand after its end time had passed: it had ended already.
    expect(endOf({ endsAt, endedAt: at('2026-12-12T18:00:00Z') })).toEqual(endsAt);
  });

  it('holds the sandboxes made before its end, not one the learner started afterwards', () => {
    const end = at('2026-12-12T17:00:00Z');
    expect(madeBefore({ createdAt: '2026-12-12T15:00:00.000Z' }, end)).toBe(true);
    expect(madeBefore({ createdAt: '2026-12-12T17:00:00.000Z' }, end)).toBe(true);
    expect(madeBefore({ createdAt: '2026-12-12T17:00:00.001Z' }, end)).toBe(false);
    // The runner does not know: the workshop's, to be safe.
    expect(madeBefore({ createdAt: null }, end)).toBe(true);
  });
});
