import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('allows a burst of `capacity`, then one per refill period, per key', () => {
    const limiter = new RateLimiter(3, 5_000);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('ann', t0).ok)).toEqual([true, true, true]);
    expect(limiter.take('ann', t0)).toEqual({ ok: false, retryAfterMs: 5_000 });
    expect(limiter.take('bob', t0).ok).toBe(true);
    expect(limiter.take('ann', t0 + 2_000)).toEqual({ ok: false, retryAfterMs: 3_000 });
    expect(limiter.take('ann', t0 + 5_000).ok).toBe(true);
    expect(limiter.take('ann', t0 + 5_001).ok).toBe(false);
  });

  it('never stores more than capacity, however long the key waited', () => {
    const limiter = new RateLimiter(2, 1_000);
    expect(limiter.take('k', 0).ok).toBe(true);
    const later = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('k', later).ok)).toEqual([true, true, false]);
  });

  it('keeps a reserve untouched when asked to', () => {
    const limiter = new RateLimiter(3, 5_000);
    expect(limiter.take('ann', 0, 2).ok).toBe(true);
    expect(limiter.take('ann', 0, 2)).toEqual({ ok: false, retryAfterMs: 5_000 });
    expect([1, 2].map(() => limiter.take('ann', 0).ok)).toEqual([true, true]);
  });
});
