/**
 * What each entry of a step's `runs` executes, read from the lab folder at check time (an edited
 * lab needs no restart):
 * - a learner run, as the learner in a fresh copy of the workspace (learner-runs.ts): a command
 *   with `bash -c`, or a script of checks/ by its interpreter from its content (`python3 -c
 *   <content>`), so the script never lands in the learner's folder and the run folder stays first
 *   on sys.path, as for `python3 train.py`;
 * - a grader run, a script of checks/ run in the grader's clean room like the check
 *   (clean-room.ts), where it finds every file of checks/ beside it.
 * `command` is how runs.json names the run: the command as written, or `python3 checks/<file>.py`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Lab } from '../api/lab-loader';
import type { LabRunDefinition } from '../api/lab-schema';

export type StepRun =
  | { as: 'learner'; command: string; argv: string[] }
  /** `program`: the script's path inside checks/, where the clean room puts it. */
  | { as: 'grader'; command: string; program: string };

/** How a check or a run's script is started: the schema allows only `.py` and `.sh`. */
export function interpreterFor(file: string): 'bash' | 'python3' {
  return file.endsWith('.sh') ? 'bash' : 'python3';
}

export const checksFolder = 'checks/';

export function stepRun(lab: Lab, run: LabRunDefinition): StepRun {
  if (typeof run === 'string') return { as: 'learner', command: run, argv: ['bash', '-c', run] };
  const interpreter = interpreterFor(run.script);
  const command = `${interpreter} ${run.script}`;
  if (run.as === 'grader') return { as: 'grader', command, program: run.script.slice(checksFolder.length) };
  const content = fs.readFileSync(path.join(lab.dir, run.script), 'utf8');
  // bash takes the word after `-c <content>` as $0, so its error lines name the script.
  const argv = interpreter === 'bash' ? ['bash', '-c', content, run.script] : [interpreter, '-c', content];
  return { as: 'learner', command, argv };
}
