/**
 * Grades one step of a learner's lab in their sandbox:
 *   1. the step's `runs`, as the learner, each in a fresh copy of the workspace
 *      (sandbox-scripts/learner_runs.py). Its request, on stdin, is JSON
 *      {"runs": [{"command", "argv"}, ...], "timeoutSeconds", "outputBytes"}: `argv` is what runs
 *      (`bash -c <command>`, or a script's interpreter with `-c <its content>`, so the script is
 *      never a file in the learner's folder), `command` what runs.json shows
 *      (`python3 checks/x.py` for a script). Its reply, on stdout, is runs.json (`Run` below);
 *   2. the check, as the grader, with the lab's checks/ folder, academy_check.py and runs.json in a
 *      private folder that is removed afterwards (sandbox-scripts/run_with_files.py);
 *   3. its stdout, read as a result (check-result.ts).
 * Learner code never runs as the grader, so it can neither read a check nor forge its result.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Lab } from '../api/lab-loader';
import type { LabRunDefinition } from '../api/lab-schema';
import type { LabCatalog } from '../labs';
import { runWithFilesScript } from '../server/exec-files';
import { RunnerError } from '../errors';
import type { SessionManager } from '../sessions/manager';
import type { GradeResult } from '../api/grading';
import { parseCheckOutput, type CheckResult } from './check-result';

export type { CheckDetail } from './check-result';

const scriptsDir = path.join(import.meta.dirname, '..', 'sandbox-scripts');
const learnerRunsScript = fs.readFileSync(path.join(scriptsDir, 'learner_runs.py'), 'utf8');
/**
 * Helpers every Python check may import, put beside it: `from academy_check import Check`, and
 * `from academy_tracking import TrackingServer` (the tracking service's REST API, for labs with it).
 */
const checkHelperNames = ['academy_check.py', 'academy_tracking.py'] as const;

export const workspaceDir = '/home/learner/work';
const runOutputBytes = 64 * 1024;
/** Slack on top of the step's own limits for copying, starting Python and cleaning up. */
const overheadMs = 15_000;

export type Run = {
  command: string;
  dir: string;
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  startedAtMs: number;
  durationMs: number;
  error?: string;
};

export type { GradeResult };

type Deps = { sessions: SessionManager; labs: LabCatalog };

/** How a check or a run's script is started: the schema allows only `.py` and `.sh`. */
function interpreterFor(file: string): string {
  return file.endsWith('.sh') ? 'bash' : 'python3';
}

export function findStep(lab: Lab, stepId: string) {
  const step = lab.steps.find((s) => s.id === stepId);
  if (!step) throw new RunnerError('STEP_NOT_FOUND', `Lab "${lab.id}" has no step "${stepId}".`);
  return step;
}

/** One entry of learner_runs.py's request: what runs.json shows, and what actually runs. */
export type LearnerRun = { command: string; argv: string[] };

/**
 * A step's run as learner_runs.py runs it. A script is read from the lab folder at check time,
 * like the checks, and handed over as an argument rather than as a file: nothing lands in the run
 * folder or needs cleaning up, and `python3 -c` keeps the run folder first on sys.path, as
 * `python3 -` and `python3 -c` in a command do.
 */
export function learnerRun(lab: Lab, run: LabRunDefinition): LearnerRun {
  if (typeof run === 'string') return { command: run, argv: ['bash', '-c', run] };
  const interpreter = interpreterFor(run.script);
  const content = fs.readFileSync(path.join(lab.dir, run.script), 'utf8');
  // bash takes the word after `-c <content>` as $0, so its error lines name the script.
  const argv = interpreter === 'bash' ? ['bash', '-c', content, run.script] : [interpreter, '-c', content];
  return { command: `${interpreter} ${run.script}`, argv };
}

async function learnerRuns(deps: Deps, sessionId: string, runs: LearnerRun[], timeoutSeconds: number) {
  const exec = await deps.sessions.exec(sessionId, {
    cmd: ['python3', '-c', learnerRunsScript],
    user: 'learner',
    workingDir: workspaceDir,
    timeoutMs: runs.length * (timeoutSeconds * 1000 + 5_000) + overheadMs,
    stdin: Buffer.from(JSON.stringify({ runs, timeoutSeconds, outputBytes: runOutputBytes })),
    outputLimitBytes: (runs.length * 2 + 1) * runOutputBytes * 2,
  });
  try {
    return JSON.parse(exec.stdout) as Run[];
  } catch {
    const why = exec.timedOut ? 'timed out' : `exited with ${exec.exitCode}`;
    return new Error(`the runs ${why}: ${exec.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
}

/** Runs the check of `stepId` in the session's sandbox and reads its result. */
export async function gradeStep(deps: Deps, sessionId: string, stepId: string): Promise<GradeResult> {
  const started = Date.now();
  const session = deps.sessions.requireReady(sessionId);
  const lab = deps.labs.lab(session.labId);
  const step = findStep(lab, stepId);
  const finish = (result: CheckResult): GradeResult => ({
    ...result,
    stepId,
    durationMs: Date.now() - started,
  });

  // A learner may have stopped a service the check and the runs talk to: bring it back first.
  if (lab.services.length > 0) await deps.sessions.ensureServices(sessionId);

  let runs: Run[] = [];
  if (step.runs.length > 0) {
    const requested = step.runs.map((run) => learnerRun(lab, run));
    const outcome = await learnerRuns(deps, sessionId, requested, step.timeoutSeconds);
    if (outcome instanceof Error) {
      return finish({
        status: 'error',
        message:
          'Your code could not be run for the check (did something stop it, or fill /tmp?). Try again.',
        details: [],
        diagnostics: outcome.message,
      });
    }
    runs = outcome;
  }

  const files: Record<string, string> = {};
  for (const file of deps.labs.files(lab, 'checks')) files[file.path] = file.content.toString('utf8');
  for (const name of checkHelperNames) files[name] = fs.readFileSync(path.join(scriptsDir, name), 'utf8');
  files['runs.json'] = JSON.stringify(runs);
  const checkPath = step.check.slice('checks/'.length);

  const exec = await deps.sessions.exec(sessionId, {
    cmd: ['python3', '-c', runWithFilesScript],
    user: 'grader',
    timeoutMs: step.timeoutSeconds * 1000,
    env: { ACADEMY_WORKSPACE: workspaceDir },
    stdin: Buffer.from(JSON.stringify({ files, cmd: [interpreterFor(checkPath), checkPath] })),
    outputLimitBytes: 256 * 1024,
  });
  return finish(parseCheckOutput(exec, { timeoutSeconds: step.timeoutSeconds }));
}
