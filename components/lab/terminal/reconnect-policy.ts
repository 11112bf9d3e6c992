/**
 * When to try the terminal connection again: exponential backoff with jitter (so a restarted runner
 * is not hit by every learner at the same instant), and when to give up.
 */
export const reconnectPolicy = {
  firstDelayMs: 500,
  maxDelayMs: 10_000,
  /** Each delay is shortened by up to this fraction, at random. */
  jitterRatio: 0.25,
  /** Failing for this long in a row ends the retries until the learner asks again. */
  giveUpAfterMs: 120_000,
} as const;

/** The wait before the next attempt, after `failures` failed attempts in a row (1 or more). */
export function reconnectDelayMs(failures: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(failures) - 1);
  const baseMs = Math.min(reconnectPolicy.maxDelayMs, reconnectPolicy.firstDelayMs * 2 ** exponent);
  return Math.round(baseMs * (1 - reconnectPolicy.jitterRatio * random()));
}

export function shouldGiveUp(failingSinceMs: number, nowMs: number): boolean {
  return nowMs - failingSinceMs >= reconnectPolicy.giveUpAfterMs;
}
