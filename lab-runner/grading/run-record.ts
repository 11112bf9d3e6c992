/**
 * One entry of runs.json, what a check reads of a step's runs (academy_check.py's `Run`): the
 * runner writes it from each run's exec result, never from anything learner code wrote.
 */
import type { ExecResult } from '../drivers/driver';

export type RunRecord = {
  command: string;
  as: 'learner' | 'grader';
  /** The folder it ran in: /tmp/academy-runs/<n> for a learner run, the clean room's files for a grader run. */
  dir: string;
  /** null when it was stopped or could not start. */
  exitCode: number | null;
  timedOut: boolean;
  /** The last bytes of each (the exec keeps its tail). */
  stdout: string;
  stderr: string;
  /** When the exec was started, on the sandbox's clock (file times are compared with it). */
  startedAtMs: number;
  durationMs: number;
  /** Only when the run could not start, e.g. the copy failed because /tmp is full. */
  error?: string;
};

export type RunTiming = { startedAtMs: number; durationMs: number; timeoutMs: number };

export function recordOf(
  run: Pick<RunRecord, 'command' | 'as' | 'dir'>,
  exec: ExecResult,
  timing: RunTiming,
  error?: string,
): RunRecord {
  // `timeout` exits 124 when it stopped the program, but so does a program that exits 124 itself.
  const timedOut = exec.timedOut && timing.durationMs >= timing.timeoutMs;
  return {
    ...run,
    exitCode: timedOut || error !== undefined ? null : exec.exitCode,
    timedOut,
    stdout: exec.stdout,
    stderr: exec.stderr,
    startedAtMs: timing.startedAtMs,
    durationMs: timing.durationMs,
    ...(error !== undefined ? { error } : {}),
  };
}
