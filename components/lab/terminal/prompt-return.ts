/**
 * "The learner's command has ended": after they submitted a line (Enter), the output went quiet
 * and the text left of the cursor is the shell's prompt again (`learner@lab:~/work$ `, the
 * sandbox's PS1). It reads the screen as xterm.js drew it rather than the byte stream, so tmux's
 * redrawing does not matter. A command still running (printing or silent), a program waiting for
 * input (`>>> `, `read`) or a full-screen editor does not look like the prompt, so each command
 * is reported once, when it really ended: the lab's background checks run then.
 */

/** How long the screen must stay unchanged before it is read. */
export const promptQuietMs = 250;

/** The sandbox's prompt, `\u@lab:\w\$ `, possibly after a prefix such as a virtualenv's name. */
const shellPrompt = /[\w.-]+@lab:.*[$#] $/;

export function isShellPrompt(textBeforeCursor: string): boolean {
  return shellPrompt.test(textBeforeCursor);
}

export type PromptReturnOptions = {
  /** The text of the cursor's row, from its start to the cursor. */
  readBeforeCursor: () => string;
  onPromptReturn: () => void;
  quietMs?: number;
};

export type PromptReturn = {
  /** Input the learner sent to the shell. */
  noteInput(data: string): void;
  /** Output arrived and was drawn. */
  noteOutput(): void;
  dispose(): void;
};

export function createPromptReturn({
  readBeforeCursor,
  onPromptReturn,
  quietMs = promptQuietMs,
}: PromptReturnOptions): PromptReturn {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isArmed = false;

  const look = () => {
    timer = undefined;
    if (!isArmed || !isShellPrompt(readBeforeCursor())) return;
    isArmed = false;
    onPromptReturn();
  };

  return {
    noteInput(data) {
      // Enter is a carriage return, also inside a pasted block of lines.
      if (data.includes('\r')) isArmed = true;
    },
    noteOutput() {
      if (!isArmed) return;
      clearTimeout(timer);
      timer = setTimeout(look, quietMs);
    },
    dispose() {
      clearTimeout(timer);
      timer = undefined;
      isArmed = false;
    },
  };
}
