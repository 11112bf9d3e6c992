import { afterEach, describe, expect, it, vi } from 'vitest';
import { DriverError } from '../drivers/driver';
import { dueFor, reaperIntervalMs } from './reaper';
import type { Session } from './session';
import { testLabs, testLimits, testManagers } from './test-kit';

const newManager = testManagers();
const { idleStopMs } = testLimits;

afterEach(() => {
  vi.useRealTimers();
});

describe('dueFor', () => {
  const session = (change: Partial<Session>): Session => ({
    id: 's1',
    userId: 'ada',
    labId: testLabs.plain,
    services: [],
    state: 'ready',
    createdAt: 0,
    lastActivityAt: 1_000,
    expiresAt: 100_000,
    ...change,
  });

  it('stops a ready session once it has been idle for idleStopMs, not a moment before', () => {
    expect(dueFor(session({}), 1_000 + 60_000 - 1, 60_000)).toBeUndefined();
    expect(dueFor(session({}), 1_000 + 60_000, 60_000)).toBe('stop');
    expect(dueFor(session({ state: 'stopped' }), 1_000 + 60_000, 60_000)).toBeUndefined();
  });

  it('destroys a session at its expiry whatever its state', () => {
    for (const state of ['ready', 'stopped', 'error'] as const) {
      expect(dueFor(session({ state }), 100_000, 60_000)).toBe('destroy');
    }
  });
});

describe('the reaper', () => {
  it('stops a session left idle for idleStopMs, keeping its work', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.plain);
    t.driver.sandbox(session.id)?.files.set('notes.txt', Buffer.from('kept'));
    await t.manager.reap(session.lastActivityAt + idleStopMs - 1);
    expect(session.state).toBe('ready');
    await t.manager.reap(session.lastActivityAt + idleStopMs);
    expect(session.state).toBe('stopped');
    expect(t.driver.files(session.id)).toMatchObject({ 'notes.txt': 'kept' });
    expect(t.logs).toContain(`session ${session.id} idle; stopping (work kept)`);
  });

  it('counts from the last activity: a touch postpones the idle stop', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.plain);
    vi.setSystemTime(1_000_000 + idleStopMs / 2);
    t.manager.touch(session.id);
    await t.manager.reap(1_000_000 + idleStopMs);
    expect(session.state).toBe('ready');
    expect(t.manager.view(session).idleStopAt).toBe(new Date(1_000_000 + idleStopMs * 1.5).toISOString());
  });

  it('destroys a session past its expiry, stopped or not, with its sandbox', async () => {
    const t = newManager();
    const ready = (await t.manager.create('ada', testLabs.plain)).session;
    const stopped = (await t.manager.create('bob', testLabs.plain)).session;
    await t.manager.stop(stopped.id);
    await t.manager.reap(Math.max(ready.expiresAt, stopped.expiresAt));
    expect(t.manager.list()).toEqual([]);
    expect(t.driver.sandboxIds()).toEqual([]);
    expect(t.logs).toContain(`session ${ready.id} reached its time limit; destroying`);
  });

  it('leaves a session with an operation in flight for the next round', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.plain);
    await t.manager.stop(session.id);
    const held = t.driver.gate('start');
    const resuming = t.manager.resume(session.id);
    await held.reached;
    await t.manager.reap(session.expiresAt);
    expect(t.manager.get(session.id)).toBe(session);
    expect(t.driver.callsOf('remove')).toEqual([]);
    held.open();
    await resuming;
    await t.manager.reap(session.expiresAt);
    expect(t.manager.list()).toEqual([]);
  });

  it('goes on with the other sessions when one cannot be stopped, and says why', async () => {
    const t = newManager();
    const first = (await t.manager.create('ada', testLabs.plain)).session;
    const second = (await t.manager.create('bob', testLabs.plain)).session;
    t.driver.failNext('stop', new DriverError('ENGINE_ERROR', 'engine busy'));
    await t.manager.reap(Math.max(first.lastActivityAt, second.lastActivityAt) + idleStopMs);
    expect([first.state, second.state]).toEqual(['ready', 'stopped']);
    expect(t.logs).toContain(`reaper: session ${first.id}: engine busy`);
  });

  it('runs every reaperIntervalMs once the manager has started', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(1_000_000);
    const t = newManager();
    await t.manager.start();
    const { session } = await t.manager.create('ada', testLabs.plain);
    vi.setSystemTime(1_000_000 + idleStopMs);
    expect(session.state).toBe('ready');
    await vi.advanceTimersByTimeAsync(reaperIntervalMs);
    expect(session.state).toBe('stopped');
  });
});
