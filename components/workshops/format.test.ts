import { describe, expect, it } from 'vitest';
import { fromDateTimeLocal, toDateTimeLocal } from './format';

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
