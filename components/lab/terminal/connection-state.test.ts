import { describe, expect, it } from 'vitest';
import {
  initialConnectionState,
  nextConnectionState,
  type ConnectionEvent,
  type ConnectionState,
} from './connection-state';

function run(...events: ConnectionEvent[]): ConnectionState {
  return events.reduce(nextConnectionState, initialConnectionState);
}

const lost = (nowMs: number, message: string | null = null): ConnectionEvent => ({
  type: 'lost',
  nowMs,
  message,
});

describe('terminal connection states', () => {
  it('starts idle and is connected once the shell answers', () => {
    expect(initialConnectionState.status).toBe('idle');
    expect(run({ type: 'connect' }).status).toBe('connecting');
    expect(run({ type: 'connect' }, { type: 'attached' })).toMatchObject({
      status: 'connected',
      hasAttached: true,
    });
  });

  it('reconnects after a drop and counts the failures until the shell answers again', () => {
    const dropped = run({ type: 'connect' }, { type: 'attached' }, lost(1_000), lost(2_000));
    expect(dropped).toMatchObject({ status: 'reconnecting', failures: 2, failingSinceMs: 1_000 });
    expect(nextConnectionState(dropped, { type: 'attached' })).toMatchObject({
      status: 'connected',
      failures: 0,
      failingSinceMs: null,
    });
  });

  it('keeps retrying a first connection that fails, without claiming it ever worked', () => {
    const state = run({ type: 'connect' }, lost(0, 'Session not found.'));
    expect(state).toMatchObject({
      status: 'reconnecting',
      hasAttached: false,
      message: 'Session not found.',
    });
  });

  it('gives up after two minutes of failures and starts over on request', () => {
    const failed = run(
      { type: 'connect' },
      { type: 'attached' },
      lost(0),
      lost(60_000),
      lost(120_000, 'Gone.'),
    );
    expect(failed).toMatchObject({ status: 'failed', message: 'Gone.' });
    expect(nextConnectionState(failed, lost(130_000))).toBe(failed);
    expect(nextConnectionState(failed, { type: 'connect' })).toMatchObject({
      status: 'connecting',
      failures: 0,
      message: null,
    });
  });

  it('shows the shell ended, ignores the close that follows, and starts a new shell on request', () => {
    const exited = run({ type: 'connect' }, { type: 'attached' }, { type: 'exited' });
    expect(exited.status).toBe('exited');
    expect(nextConnectionState(exited, lost(5))).toBe(exited);
    expect(nextConnectionState(exited, { type: 'connect' }).status).toBe('connecting');
  });

  it('ignores a second connect while one is under way', () => {
    const connected = run({ type: 'connect' }, { type: 'attached' });
    expect(nextConnectionState(connected, { type: 'connect' })).toBe(connected);
    const reconnecting = nextConnectionState(connected, lost(0));
    expect(nextConnectionState(reconnecting, { type: 'connect' })).toBe(reconnecting);
  });

  it('returns to idle when stopped, from anywhere', () => {
    expect(run({ type: 'connect' }, { type: 'attached' }, { type: 'stopped' })).toEqual(
      initialConnectionState,
    );
    expect(run({ type: 'connect' }, lost(0), { type: 'stopped' })).toEqual(initialConnectionState);
  });
});
