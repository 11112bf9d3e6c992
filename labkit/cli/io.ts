/**
 * What a `labkit` command writes to and reads from its surroundings, in one object, so tests can
 * run a command in-process with captured output, a fixed width and a fixed clock.
 */
import { wantsColor } from './table';

/** Environment variables (`process.env`, or a plain object in tests). */
export type Env = Readonly<Record<string, string | undefined>>;

export type CliIo = {
  /** Writes lines to stdout. */
  out: (text: string) => void;
  /** Writes lines to stderr. */
  err: (text: string) => void;
  env: Env;
  /** Terminal width for tables; undefined when stdout is not a terminal (nothing is cut). */
  width: number | undefined;
  color: boolean;
  now: () => number;
};

let pipeGuarded = false;

/** The real process: stdout/stderr, its environment, the terminal's width and the clock. */
export function processIo(): CliIo {
  if (!pipeGuarded) {
    pipeGuarded = true;
    // `labkit runs list | head` closes the pipe early: that is not an error worth a stack trace.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const width = process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS) || undefined;
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    width: width && width > 0 ? width : undefined,
    color: wantsColor(process.stdout, process.env),
    now: Date.now,
  };
}

/** A failure the learner can act on: its message is printed as it is, and the command exits with `exitCode`. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** A command line that cannot be run as written: the command prints its usage and exits with 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, 2);
  }
}
