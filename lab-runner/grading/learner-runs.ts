/**
 * A learner run as the runner executes it: one exec as the learner whose process first makes
 * /tmp/academy-runs/<n> a fresh copy of the workspace, then becomes the run's program there
 * (sandbox-scripts/fresh_run_folder.py). The exec's own result (exit status, the tail of its
 * output, whether `timeout` stopped it) is the run's record, so learner code cannot write it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExecRequest, ExecResult } from '../drivers/driver';
import { scriptsDir } from './sandbox-scripts';

const freshRunFolderScript = fs.readFileSync(path.join(scriptsDir, 'fresh_run_folder.py'), 'utf8');

export const runsFolder = '/tmp/academy-runs';
/** What runs.json keeps of each of a run's stdout and stderr: the end, where a crash says why. */
export const runOutputBytes = 64 * 1024;
/** fresh_run_folder.py's status and stderr marker when the folder or the program could not start. */
const cannotRunStatus = 125;
const cannotRunMarker = 'academy-runs:';

export type LearnerRunPlace = {
  /** The run's position in the step's `runs`, from 1: its folder is /tmp/academy-runs/<number>. */
  number: number;
  /** The grading's first learner run empties /tmp/academy-runs. */
  fresh: boolean;
  /** ACADEMY_CHALLENGE, where grader runs put fresh inputs for the learner's code. */
  challenge: string;
  timeoutMs: number;
};

export function runFolder(number: number): string {
  return `${runsFolder}/${number}`;
}

export function learnerRunRequest(argv: string[], place: LearnerRunPlace): ExecRequest {
  return {
    cmd: [
      '/usr/bin/python3',
      '-I',
      '-S',
      '-c',
      freshRunFolderScript,
      String(place.number),
      place.fresh ? '1' : '0',
      ...argv,
    ],
    user: 'learner',
    // The run's folder does not exist yet; the script moves there once it has made it.
    workingDir: '/tmp',
    env: { ACADEMY_CHALLENGE: place.challenge },
    timeoutMs: place.timeoutMs,
    outputLimitBytes: runOutputBytes,
    keep: 'tail',
  };
}

/** Why the run could not start (its folder could not be made, its program not started), if so. */
export function cannotRunReason(exec: ExecResult): string | undefined {
  if (exec.exitCode !== cannotRunStatus) return undefined;
  const line = exec.stderr.split('\n').find((text) => text.startsWith(cannotRunMarker));
  return line?.slice(cannotRunMarker.length).trim();
}
