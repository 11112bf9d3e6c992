/**
 * The terminal connection's states and transitions, written down once.
 *
 * | from                                | event                    | to                               |
 * |-------------------------------------|--------------------------|----------------------------------|
 * | idle, exited, failed                | connect                  | connecting                       |
 * | connecting, reconnecting            | attached (first output)  | connected                        |
 * | any but idle                        | exited (exit frame)      | exited                           |
 * | connecting, connected, reconnecting | lost                     | reconnecting; failed after 2 min |
 * | any                                 | stopped                  | idle                             |
 *
 * "Connected" means the shell answered (the first output arrived), not merely that the socket
 * opened: the runner may accept a socket and close it at once, and such attempts count as failures,
 * so a runner that keeps refusing still ends in `failed`.
 */
import { shouldGiveUp } from './reconnect-policy';

export type TerminalStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'exited' | 'failed';

export type ConnectionState = {
  status: TerminalStatus;
  /** Failed attempts in a row; the next delay grows with it. */
  failures: number;
  /** When the current run of failures began, to know when to give up. */
  failingSinceMs: number | null;
  /** Whether this connection ever reached the shell (changes the banner's wording). */
  hasAttached: boolean;
  /** Why the last attempt failed, when the token endpoint or the runner said so. */
  message: string | null;
};

export type ConnectionEvent =
  /** First connection, the Reconnect button, or "Start a new shell". */
  | { type: 'connect' }
  /** The first output of a connection arrived: the shell is there. */
  | { type: 'attached' }
  /** The runner sent `{"type":"exit"}`. */
  | { type: 'exited' }
  /** The token could not be had, the socket did not open, or it closed without an exit frame. */
  | { type: 'lost'; nowMs: number; message: string | null }
  /** No session any more (unmount, or access withdrawn). */
  | { type: 'stopped' };

export const initialConnectionState: ConnectionState = {
  status: 'idle',
  failures: 0,
  failingSinceMs: null,
  hasAttached: false,
  message: null,
};

export function nextConnectionState(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case 'connect':
      if (!canStartOver(state.status)) return state;
      return { ...state, status: 'connecting', failures: 0, failingSinceMs: null, message: null };
    case 'attached':
      if (!isTrying(state.status)) return state;
      return {
        ...state,
        status: 'connected',
        failures: 0,
        failingSinceMs: null,
        hasAttached: true,
        message: null,
      };
    case 'exited':
      if (state.status === 'idle') return state;
      return { ...state, status: 'exited', failures: 0, failingSinceMs: null, message: null };
    case 'lost': {
      if (!isTrying(state.status) && state.status !== 'connected') return state;
      const failingSinceMs = state.failingSinceMs ?? event.nowMs;
      const status = shouldGiveUp(failingSinceMs, event.nowMs) ? 'failed' : 'reconnecting';
      return { ...state, status, failures: state.failures + 1, failingSinceMs, message: event.message };
    }
    case 'stopped':
      return initialConnectionState;
  }
}

/** An attempt is on its way (or waiting for its turn). */
function isTrying(status: TerminalStatus): boolean {
  return status === 'connecting' || status === 'reconnecting';
}

function canStartOver(status: TerminalStatus): boolean {
  return status === 'idle' || status === 'exited' || status === 'failed';
}
