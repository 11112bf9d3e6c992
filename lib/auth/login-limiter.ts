/**
 * Brakes on guessing passwords and on mass sign-ups, in memory (one web server process).
 *
 * Log-in: failures are counted over 15 minutes per (email, client address), per address and per
 * email. Each failure is answered a little later than the one before from the same address (a
 * growing delay). Once an (email, address) pair has 5 failures, an address 20 (a classroom shares
 * one) or an email 50 from everywhere (a guesser with many addresses), attempts from there are
 * refused with 429 and Retry-After until the oldest failure leaves the window, even with the right
 * password. So a stranger guessing at the admin's email locks out themselves, not the admin, who
 * logs in from their own address. A successful log-in clears its pair's count; an admin can unlock
 * an account (`unlock`: every count of its email). Sign-up: 10 new accounts per address per hour.
 * "Forgot password?" mails: 3 per email and 10 per address per hour, whether an account has that
 * email or not.
 */

export const loginWindowMs = 15 * 60 * 1000;
export const maxFailuresPerEmailAndAddress = 5;
export const maxFailuresPerAddress = 20;
export const maxFailuresPerEmail = 50;
export const signupWindowMs = 60 * 60 * 1000;
export const maxSignupsPerAddress = 10;
export const resetWindowMs = 60 * 60 * 1000;
export const maxResetsPerEmail = 3;
export const maxResetsPerAddress = 10;
const maxTrackedKeys = 50_000;

/** How many events each key had in the last `windowMs`; refuses once there are `limit`. */
export class SlidingWindowCounter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.events.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (kept.length) this.events.set(key, kept);
    else this.events.delete(key);
    return kept;
  }

  count(key: string, now = Date.now()): number {
    return this.recent(key, now).length;
  }

  /** ok, or how long until the oldest event leaves the window and one more is allowed. */
  check(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterMs: number } {
    const recent = this.recent(key, now);
    if (recent.length < this.limit) return { ok: true };
    const oldest = recent[recent.length - this.limit] ?? now;
    return { ok: false, retryAfterMs: Math.max(1000, oldest + this.windowMs - now) };
  }

  /** Notes one event; returns how many the key now has in the window. */
  add(key: string, now = Date.now()): number {
    const recent = [...this.recent(key, now), now];
    this.events.set(key, recent);
    if (this.events.size > maxTrackedKeys) this.forgetOldest();
    return recent.length;
  }

  clear(key: string): void {
    this.events.delete(key);
  }

  /** Forgets every key `isCleared` picks. */
  clearWhere(isCleared: (key: string) => boolean): void {
    for (const key of [...this.events.keys()]) if (isCleared(key)) this.events.delete(key);
  }

  forEachKey(visit: (key: string) => void): void {
    for (const key of [...this.events.keys()]) visit(key);
  }

  /** Keeps memory bounded under a flood of made-up keys: the least recently added go first. */
  private forgetOldest(): void {
    const excess = this.events.size - maxTrackedKeys / 2;
    let removed = 0;
    for (const key of this.events.keys()) {
      if (removed++ >= excess) break;
      this.events.delete(key);
    }
  }
}

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The pause before answering the n-th failure in a row: 0.1 s, 0.2 s, 0.4 s … at most 3 s. */
export function failureDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(3000, 100 * 2 ** (failures - 1));
}

const toDecision = (result: { ok: true } | { ok: false; retryAfterMs: number }): LimitDecision =>
  result.ok ? result : { ok: false, retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000) };

/** The refusal that lasts longest of those given, or ok when none refuses. */
function longestRefusal(results: ({ ok: true } | { ok: false; retryAfterMs: number })[]): LimitDecision {
  const refusals = results.filter((result) => !result.ok);
  if (!refusals.length) return { ok: true };
  return toDecision({ ok: false, retryAfterMs: Math.max(...refusals.map((r) => r.retryAfterMs)) });
}

const pairKey = (email: string, address: string) => `${email}\n${address}`;

export class LoginLimiter {
  private readonly byPair = new SlidingWindowCounter(maxFailuresPerEmailAndAddress, loginWindowMs);
  private readonly byAddress = new SlidingWindowCounter(maxFailuresPerAddress, loginWindowMs);
  private readonly byEmail = new SlidingWindowCounter(maxFailuresPerEmail, loginWindowMs);

  /** Whether a log-in attempt may be checked at all. */
  check(email: string, address: string, now = Date.now()): LimitDecision {
    return longestRefusal([
      this.byPair.check(pairKey(email, address), now),
      this.byAddress.check(address, now),
      this.byEmail.check(email, now),
    ]);
  }

  /**
   * Notes a failed attempt; returns how long to wait before answering it. The delay grows with the
   * failures for this email from this address only: classmates behind one address, and the
   * account's owner elsewhere, are not slowed down.
   */
  recordFailure(email: string, address: string, now = Date.now()): number {
    this.byAddress.add(address, now);
    this.byEmail.add(email, now);
    return failureDelayMs(this.byPair.add(pairKey(email, address), now));
  }

  recordSuccess(email: string, address: string): void {
    this.byPair.clear(pairKey(email, address));
  }

  /** Whether log-ins to this email are refused from somewhere now (for the admin's users page). */
  isLockedOut(email: string, now = Date.now()): boolean {
    if (!this.byEmail.check(email, now).ok) return true;
    const prefix = pairKey(email, '');
    let locked = false;
    this.byPair.forEachKey((key) => {
      if (!locked && key.startsWith(prefix) && !this.byPair.check(key, now).ok) locked = true;
    });
    return locked;
  }

  /** An admin's unlock: every failure counted against this email, from every address, is forgotten. */
  unlock(email: string): void {
    const prefix = pairKey(email, '');
    this.byPair.clearWhere((key) => key.startsWith(prefix));
    this.byEmail.clear(email);
  }
}

export class SignupLimiter {
  private readonly byAddress = new SlidingWindowCounter(maxSignupsPerAddress, signupWindowMs);

  check(address: string, now = Date.now()): LimitDecision {
    return toDecision(this.byAddress.check(address, now));
  }

  recordSignup(address: string, now = Date.now()): void {
    this.byAddress.add(address, now);
  }
}

/** Requests for a password reset link, per email asked about and per client address. */
export class ResetRequestLimiter {
  private readonly byEmail = new SlidingWindowCounter(maxResetsPerEmail, resetWindowMs);
  private readonly byAddress = new SlidingWindowCounter(maxResetsPerAddress, resetWindowMs);

  check(email: string, address: string, now = Date.now()): LimitDecision {
    const forAddress = this.byAddress.check(address, now);
    return toDecision(forAddress.ok ? this.byEmail.check(email, now) : forAddress);
  }

  record(email: string, address: string, now = Date.now()): void {
    this.byEmail.add(email, now);
    this.byAddress.add(address, now);
  }
}

// One of each per server process, shared by every route bundle that imports this module.
const globalForLimits = globalThis as unknown as {
  loginLimiter?: LoginLimiter;
  signupLimiter?: SignupLimiter;
  resetRequestLimiter?: ResetRequestLimiter;
};

export function getLoginLimiter(): LoginLimiter {
  globalForLimits.loginLimiter ??= new LoginLimiter();
  return globalForLimits.loginLimiter;
}

export function getSignupLimiter(): SignupLimiter {
  globalForLimits.signupLimiter ??= new SignupLimiter();
  return globalForLimits.signupLimiter;
}

export function getResetRequestLimiter(): ResetRequestLimiter {
  globalForLimits.resetRequestLimiter ??= new ResetRequestLimiter();
  return globalForLimits.resetRequestLimiter;
}
