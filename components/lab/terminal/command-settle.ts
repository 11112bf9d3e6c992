/**
 * "A command probably finished": after the learner pressed Enter, the output went quiet for
 * `quietMs`. The lab workspace refreshes its file tree then. A command that keeps printing (a
 * training loop, `top`) is reported once after `maxWaitMs` and once more when it goes quiet, so the
 * tree follows long commands without refreshing forever.
 */
export type CommandSettleOptions = {
  onSettled: () => void;
  quietMs?: number;
  maxWaitMs?: number;
};

export type CommandSettle = {
  /** Input the learner sent to the shell. */
  noteInput(data: string): void;
  /** Output arrived from the shell. */
  noteOutput(): void;
  dispose(): void;
};

export const commandQuietMs = 1_000;
export const commandMaxWaitMs = 5_000;

export function createCommandSettle({
  onSettled,
  quietMs = commandQuietMs,
  maxWaitMs = commandMaxWaitMs,
}: CommandSettleOptions): CommandSettle {
  let quietTimer: ReturnType<typeof setTimeout> | undefined;
  let maxWaitTimer: ReturnType<typeof setTimeout> | undefined;
  let isArmed = false;

  const settle = () => {
    clearTimeout(quietTimer);
    clearTimeout(maxWaitTimer);
    quietTimer = maxWaitTimer = undefined;
    isArmed = false;
    onSettled();
  };
  const restartQuietTimer = () => {
    clearTimeout(quietTimer);
    quietTimer = setTimeout(settle, quietMs);
  };

  return {
    noteInput(data) {
      // Enter is a carriage return, also inside a pasted block of lines.
      if (!data.includes('\r')) return;
      isArmed = true;
      restartQuietTimer();
      if (maxWaitTimer === undefined) {
        maxWaitTimer = setTimeout(() => {
          // Still busy: report once now; the quiet timer reports again when it ends.
          onSettled();
        }, maxWaitMs);
      }
    },
    noteOutput() {
      if (isArmed) restartQuietTimer();
    },
    dispose() {
      clearTimeout(quietTimer);
      clearTimeout(maxWaitTimer);
      quietTimer = maxWaitTimer = undefined;
      isArmed = false;
    },
  };
}
