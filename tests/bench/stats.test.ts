import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './stats';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
  });

  it('refuses an empty sample', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
  });
});

describe('summarize', () => {
  it('reports the ratio of the p50 to the baseline p50', () => {
    expect(summarize('x', 'ms', [2, 2, 2, 4], [1, 1, 1])).toEqual({
      name: 'x',
      unit: 'ms',
      p50: 2,
      p95: 4,
      n: 4,
      baseline: 1,
      ratio: 2,
    });
  });

  it('leaves baseline and ratio out when there is no baseline', () => {
    expect(summarize('x', 'ms', [1, 2])).not.toHaveProperty('ratio');
  });
});
