import { describe, expect, it } from 'vitest';
import { formatMb, formatPercent, formatUtc } from './format';

describe('formatMb', () => {
  it('writes megabytes below a gigabyte and gigabytes above', () => {
    expect(formatMb(0)).toBe('0 MB');
    expect(formatMb(12.34)).toBe('12.3 MB');
    expect(formatMb(7)).toBe('7 MB');
    expect(formatMb(512.4)).toBe('512 MB');
    expect(formatMb(1536)).toBe('1.5 GB');
    expect(formatMb(64 * 1024)).toBe('64 GB');
  });
});

describe('formatPercent', () => {
  it('keeps a decimal for small values only', () => {
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(2.34)).toBe('2.3 %');
    expect(formatPercent(57.6)).toBe('58 %');
  });
});

describe('formatUtc', () => {
  it('writes an ISO time for people', () => {
    expect(formatUtc('2026-12-01T10:05:00.000Z')).toBe('2026-12-01 10:05:00 UTC');
  });
});
