import { describe, expect, it } from 'vitest';
import { relativeTime, timeAgo } from './relative-time';

const now = Date.parse('2026-12-01T10:00:00Z');
const at = (iso: string) => Date.parse(iso);

describe('relativeTime', () => {
  it('says how long ago, in the largest whole unit', () => {
    expect(relativeTime(at('2026-12-01T09:59:58Z'), now)).toBe('just now');
    expect(relativeTime(at('2026-12-01T09:59:30Z'), now)).toBe('30 s ago');
    expect(relativeTime(at('2026-12-01T09:57:00Z'), now)).toBe('3 min ago');
    expect(relativeTime(at('2026-12-01T09:56:01Z'), now)).toBe('3 min ago');
    expect(relativeTime(at('2026-12-01T07:00:00Z'), now)).toBe('3 h ago');
    expect(relativeTime(at('2026-11-28T10:00:00Z'), now)).toBe('3 d ago');
    expect(relativeTime(at('2026-10-01T10:00:00Z'), now)).toBe('61 d ago');
  });

  it('says how soon for a time to come', () => {
    expect(relativeTime(at('2026-12-01T10:12:30Z'), now)).toBe('in 12 min');
    expect(relativeTime(at('2026-12-01T10:00:02Z'), now)).toBe('just now');
  });
});

describe('timeAgo', () => {
  it('reads a time slightly ahead of now, from another clock, as just now', () => {
    expect(timeAgo(at('2026-12-01T10:00:40Z'), now)).toBe('just now');
    expect(timeAgo(at('2026-12-01T08:00:00Z'), now)).toBe('2 h ago');
  });
});
