/**
 * Who may start a check now: one check at a time per learner, and at most a burst of 6, then one
 * every 5 seconds (each check runs code in the learner's sandbox).
 */
import { RateLimiter } from './rate-limit';

export class CheckGate {
  private readonly running = new Set<string>();
  private readonly limiter: RateLimiter;

  constructor(burst = 6, refillMs = 5_000) {
    this.limiter = new RateLimiter(burst, refillMs);
  }

  enter(
    userId: string,
    now = Date.now(),
  ): { ok: true; leave: () => void } | { ok: false; message: string; retryAfterSeconds: number } {
    if (this.running.has(userId)) {
      return { ok: false, message: 'A check is already running; wait for its result.', retryAfterSeconds: 2 };
    }
    const taken = this.limiter.take(userId, now);
    if (!taken.ok) {
      const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
      return {
        ok: false,
        message: `That is a lot of checks in a short time. Try again in ${seconds} s.`,
        retryAfterSeconds: seconds,
      };
    }
    this.running.add(userId);
    return { ok: true, leave: () => this.running.delete(userId) };
  }
}

// One gate per server process (kept across hot reloads in development).
const globalForGate = globalThis as unknown as { academyCheckGate?: CheckGate };
export const checkGate = (globalForGate.academyCheckGate ??= new CheckGate());
