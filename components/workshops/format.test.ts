import { describe, expect, it } from 'vitest';
import { fromDateTimeLocal, sandboxSummary, toDateTimeLocal } from './format';

describe('datetime-local values', () => {
  it('round-trip through the browser’s time zone', () => {
    const date = new Date(2026, 11, 1, 9, 30);
    expect(toDateTimeLocal(date)).toBe('2026-12-01T09:30');
    expect(fromDateTimeLocal('2026-12-01T09:30')).toBe(date.toISOString());
  });
  it('refuses what is not one', () => {
    expect(fromDateTimeLocal('')).toBeNull();
    expect(fromDateTimeLocal('tomorrow')).toBeNull();
    expect(fromDateTimeLocal('2026-13-45T99:99')).toBeNull();
  });
});

describe('a learner’s sandboxes on the dashboard', () => {
  const title = (labId: string) => labId.toUpperCase();

  it('names only the labs that have one, when the workshop has several', () => {
    expect(
      sandboxSummary(
        [
          { labId: 'a', state: 'none' },
          { labId: 'b', state: 'ready' },
          { labId: 'c', state: 'stopped' },
        ],
        title,
      ),
    ).toEqual([
      { key: 'b', text: 'B: Running' },
      { key: 'c', text: 'C: Stopped' },
    ]);
  });

  it('says "No sandbox" or "Unknown" once, and names no lab when there is one', () => {
    const none = [
      { labId: 'a', state: 'none' as const },
      { labId: 'b', state: 'none' as const },
    ];
    expect(sandboxSummary(none, title)).toEqual([{ key: 'none', text: 'No sandbox' }]);
    const unknown = none.map((sandbox) => ({ ...sandbox, state: 'unknown' as const }));
    expect(sandboxSummary(unknown, title)).toEqual([{ key: 'unknown', text: 'Unknown' }]);
    expect(sandboxSummary([{ labId: 'a', state: 'ready' }], title)).toEqual([{ key: 'a', text: 'Running' }]);
    expect(sandboxSummary([], title)).toEqual([{ key: 'none', text: 'No sandbox' }]);
  });
});
