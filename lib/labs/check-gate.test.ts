import { describe, expect, it } from 'vitest';
import { CheckGate } from './check-gate';

describe('CheckGate', () => {
  it('lets one check per learner run at a time', () => {
    const gate = new CheckGate();
    const first = gate.enter('ann', 0);
    expect(first.ok).toBe(true);
    expect(gate.enter('ann', 0)).toMatchObject({ ok: false, message: /already running/ });
    expect(gate.enter('bob', 0).ok).toBe(true);
    if (first.ok) first.leave();
    expect(gate.enter('ann', 0).ok).toBe(true);
  });

  it('slows down a learner who checks in a loop, and says when to retry', () => {
    const gate = new CheckGate(2, 5_000);
    for (const now of [0, 1]) {
      const entry = gate.enter('ann', now);
      if (entry.ok) entry.leave();
    }
    expect(gate.enter('ann', 2)).toEqual({
      ok: false,
      message: 'That is a lot of checks in a short time. Try again in 5 s.',
      retryAfterSeconds: 5,
    });
  });
});
