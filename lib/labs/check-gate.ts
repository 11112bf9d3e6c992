/**
 * Who may start a check now: one check at a time per learner, and at most a burst of 6, then one
 * every 5 seconds (each check runs code in the learner's sandbox).
 *
 * Background checks (steps with `autoCheck`) pass through the same gate but give way: one is
 * refused while any check of the learner runs, and whenever it would leave the learner fewer than
 * `backgroundReserve` checks of the burst; a pressed Check that finds one running waits for it
 * instead of being refused. So a background check never costs the learner a Check of their own.
 */
import { RateLimiter } from './rate-limit';

/** Checks of the burst a background check always leaves for the learner's own Check. */
export const backgroundReserve = 2;

export type GateEntry =
  { ok: true; leave: () => void } | { ok: false; message: string; retryAfterSeconds: number };

type Running = { isBackground: boolean; finished: Promise<void> };

export class CheckGate {
  private readonly running = new Map<string, Running>();
  private readonly limiter: RateLimiter;

  constructor(burst = 6, refillMs = 5_000) {
    this.limiter = new RateLimiter(burst, refillMs);
  }

  enter(userId: string, now = Date.now(), options: { background?: boolean } = {}): GateEntry {
    const isBackground = options.background ?? false;
    if (this.running.has(userId)) {
      return { ok: false, message: 'A check is already running; wait for its result.', retryAfterSeconds: 2 };
    }
    const taken = this.limiter.take(userId, now, isBackground ? backgroundReserve : 0);
    if (!taken.ok) {
      const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
      return {
        ok: false,
        message: `That is a lot of checks in a short time. Try again in ${seconds} s.`,
        retryAfterSeconds: seconds,
      };
    }
    let finish = () => {};
    const entry: Running = { isBackground, finished: new Promise<void>((resolve) => (finish = resolve)) };
    this.running.set(userId, entry);
    return {
      ok: true,
      leave: () => {
        if (this.running.get(userId) === entry) this.running.delete(userId);
        finish();
      },
    };
  }

  /** A pressed Check: waits for the learner's background check, if one runs, then enters. */
  async enterAfterBackground(userId: string): Promise<GateEntry> {
    for (let current = this.running.get(userId); current?.isBackground; current = this.running.get(userId)) {
      await current.finished;
    }
    return this.enter(userId, Date.now());
  }
}

// One gate per server process (kept across hot reloads in development).
const globalForGate = globalThis as unknown as { academyCheckGate?: CheckGate };
export const checkGate = (globalForGate.academyCheckGate ??= new CheckGate());
