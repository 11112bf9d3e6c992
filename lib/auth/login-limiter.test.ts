import { describe, expect, it } from 'vitest';
import {
  LoginLimiter,
  ResetRequestLimiter,
  SignupLimiter,
  SlidingWindowCounter,
  failureDelayMs,
  loginWindowMs,
  maxFailuresPerAddress,
  maxFailuresPerEmail,
  resetWindowMs,
} from './login-limiter';

const minute = 60_000;

describe('LoginLimiter', () => {
  it('allows five failures for an email from an address, then refuses there with the time until the oldest expires', () => {
    const limiter = new LoginLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(limiter.check('ada@example.com', '10.0.0.1', t0 + i * minute)).toEqual({ ok: true });
      limiter.recordFailure('ada@example.com', '10.0.0.1', t0 + i * minute);
    }
    const refused = limiter.check('ada@example.com', '10.0.0.1', t0 + 5 * minute);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 10 * 60 });
    // Once the first failure is 15 minutes old, one more attempt is allowed.
    expect(limiter.check('ada@example.com', '10.0.0.1', t0 + loginWindowMs)).toEqual({ ok: true });
  });

  it('keeps the account open to its owner elsewhere while a stranger is locked out', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 5; i++) limiter.recordFailure('admin@example.com', '203.0.113.7', 1000);
    expect(limiter.check('admin@example.com', '203.0.113.7', 2000).ok).toBe(false);
    expect(limiter.check('admin@example.com', '10.0.0.2', 2000)).toEqual({ ok: true });
    expect(limiter.isLockedOut('admin@example.com', 2000)).toBe(true);
    expect(limiter.isLockedOut('grace@example.com', 2000)).toBe(false);
  });

  it('locks an email everywhere when guesses come from many addresses', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < maxFailuresPerEmail; i++) {
      limiter.recordFailure('ada@example.com', `198.51.100.${i}`, 1000);
    }
    expect(limiter.check('ada@example.com', '10.0.0.2', 2000).ok).toBe(false);
    expect(limiter.check('grace@example.com', '10.0.0.2', 2000).ok).toBe(true);
  });

  it('keeps other emails and addresses unaffected', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 5; i++) limiter.recordFailure('ada@example.com', '10.0.0.1', 1000);
    expect(limiter.check('grace@example.com', '10.0.0.1', 2000)).toEqual({ ok: true });
  });

  it('refuses an address that guesses at many emails', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < maxFailuresPerAddress; i++) {
      limiter.recordFailure(`person${i}@example.com`, '10.0.0.1', 1000);
    }
    expect(limiter.check('fresh@example.com', '10.0.0.1', 2000).ok).toBe(false);
    expect(limiter.check('fresh@example.com', '10.0.0.2', 2000).ok).toBe(true);
  });

  it('clears the pair on success, not the address', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 4; i++) limiter.recordFailure('ada@example.com', '10.0.0.1', 1000);
    limiter.recordSuccess('ada@example.com', '10.0.0.1');
    for (let i = 0; i < 4; i++) limiter.recordFailure('ada@example.com', '10.0.0.1', 1000);
    expect(limiter.check('ada@example.com', '10.0.0.1', 2000)).toEqual({ ok: true });
  });

  it('forgets every failure of an email when an admin unlocks it', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < maxFailuresPerEmail; i++) {
      limiter.recordFailure('ada@example.com', `198.51.100.${i % 5}`, 1000);
    }
    limiter.recordFailure('grace@example.com', '198.51.100.1', 1000);
    expect(limiter.isLockedOut('ada@example.com', 2000)).toBe(true);
    limiter.unlock('ada@example.com');
    expect(limiter.isLockedOut('ada@example.com', 2000)).toBe(false);
    expect(limiter.check('ada@example.com', '198.51.100.1', 2000)).toEqual({ ok: true });
  });

  it('answers each further failure more slowly, up to a cap', () => {
    const limiter = new LoginLimiter();
    const delays = Array.from({ length: 5 }, () =>
      limiter.recordFailure('ada@example.com', '10.0.0.1', 1000),
    );
    expect(delays).toEqual([100, 200, 400, 800, 1600]);
    expect(limiter.recordFailure('ada@example.com', '10.0.0.2', 1000)).toBe(100);
    expect(failureDelayMs(0)).toBe(0);
    expect(failureDelayMs(30)).toBe(3000);
  });
});

describe('SignupLimiter', () => {
  it('allows ten sign-ups per address per hour', () => {
    const limiter = new SignupLimiter();
    for (let i = 0; i < 10; i++) {
      expect(limiter.check('10.0.0.1', i * 1000).ok).toBe(true);
      limiter.recordSignup('10.0.0.1', i * 1000);
    }
    expect(limiter.check('10.0.0.1', 20_000)).toEqual({ ok: false, retryAfterSeconds: 3600 - 20 });
    expect(limiter.check('10.0.0.2', 20_000).ok).toBe(true);
    expect(limiter.check('10.0.0.1', 3_600_000).ok).toBe(true);
  });
});

describe('ResetRequestLimiter', () => {
  it('allows three reset links per email and ten per address an hour, whether the account exists or not', () => {
    const limiter = new ResetRequestLimiter();
    const start = Date.UTC(2026, 11, 1);
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('ada@example.com', '10.0.0.1', start).ok).toBe(true);
      limiter.record('ada@example.com', '10.0.0.1', start);
    }
    expect(limiter.check('ada@example.com', '10.0.0.2', start)).toEqual({
      ok: false,
      retryAfterSeconds: 3600,
    });
    for (let i = 0; i < 7; i++) limiter.record(`other${i}@example.com`, '10.0.0.1', start);
    expect(limiter.check('new@example.com', '10.0.0.1', start).ok).toBe(false);
    expect(limiter.check('new@example.com', '10.0.0.3', start).ok).toBe(true);
    expect(limiter.check('ada@example.com', '10.0.0.2', start + resetWindowMs).ok).toBe(true);
  });
});

describe('SlidingWindowCounter', () => {
  it('stays bounded when flooded with keys', () => {
    const counter = new SlidingWindowCounter(3, minute);
    for (let i = 0; i < 60_000; i++) counter.add(`key-${i}`, 1000);
    expect(counter.count('key-59999', 1000)).toBe(1);
    expect(counter.count('key-0', 1000)).toBe(0);
  });
});
