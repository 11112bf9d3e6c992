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

  it('refuses a background check while any check runs, and when it would eat into the reserve', () => {
    const gate = new CheckGate(4, 5_000);
    const pressed = gate.enter('ann', 0);
    expect(gate.enter('ann', 0, { background: true }).ok).toBe(false);
    if (pressed.ok) pressed.leave();
    // 3 of 4 left: one background check may take one and leave the reserve of 2.
    const background = gate.enter('ann', 0, { background: true });
    expect(background.ok).toBe(true);
    if (background.ok) background.leave();
    expect(gate.enter('ann', 0, { background: true }).ok).toBe(false);
    // The learner still has their reserve.
    for (const _ of [1, 2]) {
      const entry = gate.enter('ann', 0);
      expect(entry.ok).toBe(true);
      if (entry.ok) entry.leave();
    }
  });

  it('makes a pressed Check wait for a running background check instead of refusing it', async () => {
    const gate = new CheckGate();
    const background = gate.enter('ann', Date.now(), { background: true });
    if (!background.ok) throw new Error('the background check should enter');
    let entered = false;
    const pressed = gate.enterAfterBackground('ann').then((entry) => {
      entered = entry.ok;
      return entry;
    });
    await Promise.resolve();
    expect(entered).toBe(false);
    background.leave();
    expect((await pressed).ok).toBe(true);
    expect(gate.enter('ann', Date.now(), { background: true }).ok).toBe(false);
  });

  it('does not make a pressed Check wait for another pressed one: that is refused at once', async () => {
    const gate = new CheckGate();
    expect(gate.enter('ann').ok).toBe(true);
    expect(await gate.enterAfterBackground('ann')).toMatchObject({ ok: false, message: /already running/ });
  });
});
