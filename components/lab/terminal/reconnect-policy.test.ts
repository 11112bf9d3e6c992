import { describe, expect, it } from 'vitest';
import { reconnectDelayMs, reconnectPolicy, shouldGiveUp } from './reconnect-policy';

const noJitter = () => 0;
const fullJitter = () => 0.999_999;

describe('reconnect backoff', () => {
  it('doubles from half a second: 0.5 s, 1 s, 2 s, 4 s, 8 s', () => {
    expect([1, 2, 3, 4, 5].map((failures) => reconnectDelayMs(failures, noJitter))).toEqual([
      500, 1000, 2000, 4000, 8000,
    ]);
  });

  it('never waits more than 10 s, however long it has failed', () => {
    expect(reconnectDelayMs(6, noJitter)).toBe(10_000);
    expect(reconnectDelayMs(1_000, noJitter)).toBe(10_000);
  });

  it('shortens each wait by up to a quarter at random, so learners do not all retry at once', () => {
    expect(reconnectDelayMs(3, fullJitter)).toBe(1500);
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(3)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1500);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it('treats a first failure (or nonsense) as the first delay', () => {
    expect(reconnectDelayMs(0, noJitter)).toBe(reconnectPolicy.firstDelayMs);
    expect(reconnectDelayMs(-3, noJitter)).toBe(reconnectPolicy.firstDelayMs);
  });

  it('gives up after two minutes of failures in a row', () => {
    expect(shouldGiveUp(1_000, 1_000 + 119_999)).toBe(false);
    expect(shouldGiveUp(1_000, 1_000 + 120_000)).toBe(true);
  });
});
