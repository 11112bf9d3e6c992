/**
 * A token bucket per key: `capacity` actions at once, then one every `refillMs`. Used to limit how
 * often a learner can press Check (each check runs code in their sandbox).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly refillMs: number,
  ) {}

  /**
   * Takes one token for `key`: ok, or how long to wait for the next one. With a `reserve`, only
   * when that many tokens would still be left afterwards (for actions that must not use up the rest).
   */
  take(key: string, now = Date.now(), reserve = 0): { ok: true } | { ok: false; retryAfterMs: number } {
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updatedAt: now };
    const refilled = Math.min(this.capacity, bucket.tokens + (now - bucket.updatedAt) / this.refillMs);
    const needed = 1 + reserve;
    if (refilled < needed) {
      this.buckets.set(key, { tokens: refilled, updatedAt: now });
      return { ok: false, retryAfterMs: Math.ceil((needed - refilled) * this.refillMs) };
    }
    this.buckets.set(key, { tokens: refilled - 1, updatedAt: now });
    if (this.buckets.size > 10_000) this.forgetFull(now);
    return { ok: true };
  }

  /** Drops buckets that have refilled completely (they behave like new ones). */
  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) / this.refillMs >= this.capacity) this.buckets.delete(key);
    }
  }
}
