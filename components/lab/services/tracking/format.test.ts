import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatMetric, formatMetricExact, runDurationMs } from './format';

describe('formatMetric', () => {
  it('keeps integers, rounds the rest to four significant digits', () => {
    expect(formatMetric(42)).toBe('42');
    expect(formatMetric(0.812345)).toBe('0.8123');
    expect(formatMetric(123.456)).toBe('123.5');
    expect(formatMetric(0.5)).toBe('0.5');
    expect(formatMetric(-0.00123)).toBe('-0.00123');
  });

  it('writes very large and very small values in exponent form', () => {
    expect(formatMetric(12_345_678.9)).toBe('1.235e+7');
    expect(formatMetric(0.0000123)).toBe('1.23e-5');
    expect(formatMetric(1_000_000.5)).toBe('1e+6');
  });

  it('names NaN and infinities', () => {
    expect(formatMetric(Number.NaN)).toBe('NaN');
    expect(formatMetric(Infinity)).toBe('∞');
    expect(formatMetric(-Infinity)).toBe('−∞');
    expect(formatMetricExact(-Infinity)).toBe('-Infinity');
    expect(formatMetricExact(0.1234567891)).toBe('0.1234567891');
  });
});

describe('durations and times', () => {
  it('writes durations from milliseconds to days', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4_250)).toBe('4.3 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
    expect(formatDuration(3 * 86_400_000 + 3_600_000)).toBe('3 d 1 h');
    expect(formatDuration(-1)).toBe('—');
  });

  it('times a run from start to end, or to now while it runs', () => {
    expect(runDurationMs({ startTime: 1000, endTime: 4000, status: 'FINISHED' }, 9000)).toBe(3000);
    expect(runDurationMs({ startTime: 1000, endTime: null, status: 'RUNNING' }, 9000)).toBe(8000);
    expect(runDurationMs({ startTime: 1000, endTime: null, status: 'KILLED' }, 9000)).toBeNull();
    expect(runDurationMs({ startTime: null, endTime: null, status: 'RUNNING' }, 9000)).toBeNull();
  });

  it('writes sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(256 * 1024)).toBe('256 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});
