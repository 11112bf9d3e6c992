/**
 * When the page runs a background check of an `autoCheck` step: `delayMs` after the learner's last
 * activity (a file saved in the editor, a command whose prompt came back in the terminal), so a
 * burst of saves or commands makes one check; never two at once (activity during a check makes
 * one more after it); and only when `shouldRun()` says so at that moment (the page is visible, the
 * sandbox ready, the step not done). A check that would not run is dropped, not postponed: the next
 * activity schedules a new one. The server's gate may still skip it (lib/labs/check-gate.ts).
 */

export const autoCheckDelayMs = 2_000;

export type AutoCheckOptions = {
  /** Runs one background check; its failures are the caller's to swallow. */
  run: () => Promise<void>;
  /** Asked when the delay is over: whether a check makes sense now. */
  shouldRun: () => boolean;
  delayMs?: number;
};

export type AutoCheckScheduler = {
  /** The learner did something that may have changed the step's state. */
  noteActivity(): void;
  dispose(): void;
};

export function createAutoCheckScheduler({
  run,
  shouldRun,
  delayMs = autoCheckDelayMs,
}: AutoCheckOptions): AutoCheckScheduler {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isRunning = false;
  let isWanted = false;
  let isDisposed = false;

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(fire, delayMs);
  };

  function fire() {
    timer = undefined;
    if (isRunning) {
      isWanted = true;
      return;
    }
    if (!shouldRun()) return;
    isRunning = true;
    void run()
      .catch(() => undefined)
      .finally(() => {
        isRunning = false;
        if (isWanted && !isDisposed) {
          isWanted = false;
          schedule();
        }
      });
  }

  return {
    noteActivity() {
      if (!isDisposed) schedule();
    },
    dispose() {
      isDisposed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** The workspace's "the learner did something" events, from the editor and the terminal. */
export type ActivitySignal = {
  emit(): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
};

export function createActivitySignal(): ActivitySignal {
  const listeners = new Set<() => void>();
  return {
    emit: () => {
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
