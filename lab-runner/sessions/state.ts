/**
 * A learner session's lifecycle, written down once:
 *
 *   creating ──▶ ready ◀──▶ stopped
 *      │           │           │
 *      └──▶ error ─┴───────────┴──▶ destroyed
 *
 * `ready` means the learner's shell works. Idle sessions are stopped (work kept) and resumed on
 * return; `destroyed` is final.
 */
import type { SessionState } from '../api/sessions';
import { RunnerError } from '../errors';

export { sessionStates, type SessionState } from '../api/sessions';

const allowedTransitions: Record<SessionState, readonly SessionState[]> = {
  creating: ['ready', 'error', 'destroyed'],
  ready: ['stopped', 'error', 'destroyed'],
  stopped: ['ready', 'error', 'destroyed'],
  error: ['destroyed'],
  destroyed: [],
};

export function canTransition(from: SessionState, to: SessionState): boolean {
  return allowedTransitions[from].includes(to);
}

/** The next state, or an INVALID_STATE error that says what the session is doing instead. */
export function nextState(from: SessionState, to: SessionState): SessionState {
  if (!canTransition(from, to)) {
    throw new RunnerError('INVALID_STATE', `The sandbox is ${from}; it cannot become ${to}.`);
  }
  return to;
}
