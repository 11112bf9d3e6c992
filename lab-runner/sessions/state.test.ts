import { describe, expect, it } from 'vitest';
import { RunnerError } from '../errors';
import { canTransition, nextState, sessionStates } from './state';

describe('session state machine', () => {
  it('follows creating → ready → stopped → ready → destroyed', () => {
    let state = nextState('creating', 'ready');
    state = nextState(state, 'stopped');
    state = nextState(state, 'ready');
    expect(nextState(state, 'destroyed')).toBe('destroyed');
  });

  it('never leaves destroyed', () => {
    for (const to of sessionStates) expect(canTransition('destroyed', to)).toBe(false);
  });

  it('lets a failed session only be destroyed', () => {
    expect(canTransition('error', 'ready')).toBe(false);
    expect(canTransition('error', 'destroyed')).toBe(true);
  });

  it('explains a refused transition', () => {
    expect(() => nextState('stopped', 'creating')).toThrowError(RunnerError);
    expect(() => nextState('stopped', 'creating')).toThrowError(
      /The sandbox is stopped; it cannot become creating/,
    );
  });
});
