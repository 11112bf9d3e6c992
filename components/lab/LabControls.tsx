'use client';

/**
 * Start / Stop / Reset, with the sandbox's state in plain words: starting (with progress), ready,
 * stopped, or failed with the reason.
 */
import { useEffect, useRef, useState } from 'react';
import type { LabSessionState } from './use-lab-session';
import styles from './LabWorkspace.module.css';

type Props = {
  state: LabSessionState;
  onStart: () => void;
  onStop: () => void;
  onReset: () => void;
};

/** What a start is doing after `seconds`, as far as the learner can tell. */
export function startingMessage(seconds: number): string {
  if (seconds < 1) return 'Asking for a sandbox…';
  if (seconds < 3) return 'Starting your container…';
  if (seconds < 10) return 'Copying the starter files and waiting for the shell…';
  return 'Still starting: the classroom is busy, this can take up to a minute…';
}

function useElapsedSeconds(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, (now - since) / 1000);
}

export function LabControls({ state, onStart, onStop, onReset }: Props) {
  const seconds = useElapsedSeconds(state.busySince);
  const resetDialog = useRef<HTMLDialogElement>(null);
  const { phase } = state;
  // At the limit of running sandboxes nothing went wrong: the page offers which one to stop.
  const isAtLimit = phase === 'error' && Boolean(state.runningLabs?.length);

  const label = {
    loading: 'Loading…',
    'signed-out': 'Not logged in',
    'not-started': 'Not started',
    starting: startingMessage(seconds),
    ready: 'Ready',
    stopping: 'Stopping…',
    stopped: 'Stopped: your files are kept',
    resetting: 'Restoring the starter files…',
    error: isAtLimit ? 'Not started: too many sandboxes running' : 'Problem',
    ended: 'Workshop ended: your files are kept',
  }[phase];

  return (
    <div className={styles.controls} data-testid="lab-controls" data-phase={phase}>
      <p className={`${styles.phase} ${styles[`phase_${phase.replace('-', '_')}`] ?? ''}`} role="status">
        <span className={styles.phaseDot} aria-hidden="true" />
        <span>
          {label}
          {(phase === 'starting' || phase === 'resetting') && seconds >= 1 && (
            <span className={styles.phaseSeconds}> {Math.floor(seconds)} s</span>
          )}
        </span>
      </p>
      {phase === 'starting' && (
        <progress
          className={styles.progress}
          aria-label="Starting the sandbox"
          max={100}
          value={Math.min(95, seconds * 12)}
        />
      )}
      <div className={styles.controlButtons}>
        {(phase === 'not-started' || phase === 'error') && (
          <button type="button" className="button" onClick={onStart}>
            {phase === 'error' && !isAtLimit ? 'Try again' : 'Start lab'}
          </button>
        )}
        {phase === 'stopped' && (
          <button type="button" className="button" onClick={onStart}>
            Resume lab
          </button>
        )}
        {phase === 'ready' && (
          <>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => resetDialog.current?.showModal()}
            >
              Reset
            </button>
            <button type="button" className="button button--secondary" onClick={onStop}>
              Stop
            </button>
          </>
        )}
      </div>
      <dialog
        ref={resetDialog}
        className={styles.dialog}
        aria-labelledby="reset-title"
        onClose={() => {
          if (resetDialog.current?.returnValue === 'reset') onReset();
        }}
      >
        <form method="dialog">
          <h2 id="reset-title">Reset the lab?</h2>
          <p>
            Your workspace goes back to the starter files: every change you made to them, and every file you
            added, is lost. Your completed steps stay completed.
          </p>
          <div className={styles.dialogActions}>
            <button type="submit" value="cancel" className="button button--secondary">
              Cancel
            </button>
            <button type="submit" value="reset" className="button button--danger">
              Reset my files
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
