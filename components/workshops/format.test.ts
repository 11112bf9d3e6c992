import { describe, expect, it } from 'vitest';
import { fromDateTimeLocal, timeAgo, toDateTimeLocal } from './format';

describe('timeAgo', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  it('says it in plain words', () => {
    expect(timeAgo(null, now)).toBe('never');
    expect(timeAgo('2026-12-01T09:59:30Z', now)).toBe('just now');
    expect(timeAgo('2026-12-01T09:57:00Z', now)).toBe('3 min ago');
    expect(timeAgo('2026-12-01T08:00:00Z', now)).toBe('2 h ago');
    expect(timeAgo('2026-11-27T10:00:00Z', now)).toBe('4 days ago');
  });
  it('treats a clock slightly ahead as now', () => {
    expect(timeAgo('2026-12-01T10:00:05Z', now)).toBe('just now');
  });
});

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
