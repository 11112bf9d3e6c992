/**
 * Grades one step of a learner's lab in their sandbox. One grading, exec by exec:
 *   1. the lab's services, brought back if the learner stopped one (sessions.ensureServices);
 *   2. freeze, as the learner: every learner process is stopped (learner-pause.ts), so nothing the
 *      learner started runs alongside the grader;
 *   3. the step's `runs`, in order: a learner run is one exec as the learner, in a fresh copy of the
 *      workspace (learner-runs.ts); a grader run is one exec in the grader's clean room
 *      (clean-room.ts), after a settle (as the learner: what the learner runs left is killed, what
 *      they continued is stopped again). Each run's record comes from its exec's result;
 *   4. settle, then the check in the clean room, with runs.json written by the runner;
 *   5. thaw, whatever happened: the frozen processes go on (the learner's terminal only paused).
 * Learner code never runs as the grader, nothing of the learner's reaches a grader process (its
 * environment, import path and working folder are the grader's own), and the result comes only
 * from the check's stdout (check-result.ts). Gradings of one sandbox wait for each other, and the
 * learner's terminals, file operations and commands wait for the grading (sessions.whileGrading).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GradeResult } from '../api/grading';
import type { Lab } from '../api/lab-loader';
import type { LabStepDefinition } from '../api/lab-schema';
import { labkitEnvironment, labkitServices, isLabkitService } from '../api/labkit-services';
import { RunnerError } from '../errors';
import type { LabCatalog } from '../labs';
import type { SessionManager } from '../sessions/manager';
import { parseCheckOutput, type CheckResult } from './check-result';
import {
  cleanRoomRequest,
  newGraderRoom,
  refusalOf,
  removeRoomRequest,
  roomMayRemain,
  type GraderRoom,
} from './clean-room';
import { busySandboxMessage, GradingProblem } from './grading-problem';
import { freezeLearner, settleLearner, thawLearner, type Exec, type LearnerPause } from './learner-pause';
import { cannotRunReason, learnerRunRequest, runFolder, runOutputBytes } from './learner-runs';
import { recordOf, type RunRecord } from './run-record';
import { scriptsDir } from './sandbox-scripts';
import { checksFolder, stepRun, type StepRun } from './step-runs';

export type { CheckDetail } from './check-result';
export type { GradeResult };
export type { RunRecord as Run };

/**
 * Helpers every Python check may import, put beside it: `from academy_check import Check`, and
 * `from academy_tracking import TrackingServer` (the tracking service's REST API, for labs with it).
 */
const checkHelperNames = ['academy_check.py', 'academy_tracking.py'] as const;

export const workspaceDir = '/home/learner/work';
/** What a check may print before its output counts as garbage (check-result.ts). */
const checkOutputBytes = 256 * 1024;

type Deps = { sessions: SessionManager; labs: LabCatalog };

export function findStep(lab: Lab, stepId: string) {
  const step = lab.steps.find((s) => s.id === stepId);
  if (!step) throw new RunnerError('STEP_NOT_FOUND', `Lab "${lab.id}" has no step "${stepId}".`);
  return step;
}

function servicePorts(lab: Lab): number[] {
  return lab.services.filter(isLabkitService).map((name) => labkitServices[name].port);
}

/** One grading of one step: the execs in the order of the module's header. */
class Grading {
  private readonly room: GraderRoom = newGraderRoom();
  private readonly records: RunRecord[] = [];
  private readonly checkFiles: Record<string, string>;
  private pause: LearnerPause | undefined;
  /** A learner run ran since the last freeze or settle: settle before the next grader process. */
  private isUnsettled = false;
  private roomMayRemain = false;

  constructor(
    private readonly exec: Exec,
    private readonly lab: Lab,
    private readonly step: LabStepDefinition,
    labs: LabCatalog,
  ) {
    this.checkFiles = {};
    for (const file of labs.files(lab, 'checks')) this.checkFiles[file.path] = file.content.toString('utf8');
    for (const name of checkHelperNames) {
      this.checkFiles[name] = fs.readFileSync(path.join(scriptsDir, name), 'utf8');
    }
  }

  private get timeoutMs() {
    return this.step.timeoutSeconds * 1000;
  }

  async run(): Promise<CheckResult> {
    try {
      const frozen = await freezeLearner(this.exec, servicePorts(this.lab));
      this.pause = frozen.pause;
      if (frozen.problem) throw new GradingProblem(busySandboxMessage, frozen.problem);
      let isFirstLearnerRun = true;
      for (const [index, run] of this.step.runs.map((entry) => stepRun(this.lab, entry)).entries()) {
        if (run.as === 'learner') {
          this.records.push(await this.learnerRun(run, index + 1, isFirstLearnerRun));
          isFirstLearnerRun = false;
        } else {
          this.records.push(await this.graderRun(run));
        }
      }
      return await this.check();
    } catch (error) {
      if (!(error instanceof GradingProblem)) throw error;
      return { status: 'error', message: error.learnerMessage, details: [], diagnostics: error.diagnostics };
    } finally {
      await this.cleanUp();
    }
  }

  private async learnerRun(
    run: Extract<StepRun, { as: 'learner' }>,
    number: number,
    fresh: boolean,
  ): Promise<RunRecord> {
    this.isUnsettled = true;
    const request = learnerRunRequest(run.argv, {
      number,
      fresh,
      challenge: this.room.challenge,
      timeoutMs: this.timeoutMs,
    });
    const record = { command: run.command, as: 'learner' as const, dir: runFolder(number) };
    const started = Date.now();
    const timing = () => ({
      startedAtMs: started + (this.pause?.clockOffsetMs ?? 0),
      durationMs: Date.now() - started,
      timeoutMs: this.timeoutMs,
    });
    let exec;
    try {
      exec = await this.exec(request);
    } catch (error) {
      if (error instanceof RunnerError) throw error;
      // The engine refused the exec itself (e.g. an argument it cannot pass on).
      const failed = { exitCode: -1, stdout: '', stderr: '', timedOut: false, truncated: false };
      return recordOf(
        record,
        failed,
        timing(),
        `could not start ${run.command}: ${(error as Error).message}`,
      );
    }
    return recordOf(record, exec, timing(), cannotRunReason(exec));
  }

  private async settle(): Promise<void> {
    if (!this.isUnsettled || !this.pause) return;
    const problem = await settleLearner(this.exec, this.pause);
    if (problem) throw new GradingProblem(busySandboxMessage, problem);
    this.isUnsettled = false;
  }

  /** A program of checks/ in the clean room: a grader run, or (last) the check. */
  private async inCleanRoom(program: string, options: { last: boolean; outputLimitBytes: number }) {
    await this.settle();
    this.roomMayRemain = true;
    const exec = await this.exec(
      cleanRoomRequest(this.room, {
        files: { ...this.checkFiles, 'runs.json': JSON.stringify(this.records) },
        program,
        env: { ...labkitEnvironment(this.lab.services), ACADEMY_WORKSPACE: workspaceDir },
        spared: (this.pause?.spared ?? []).map(([pid]) => pid),
        last: options.last,
        timeoutMs: this.timeoutMs,
        outputLimitBytes: options.outputLimitBytes,
        keep: options.last ? 'head' : 'tail',
      }),
    );
    if (options.last) this.roomMayRemain = roomMayRemain(exec);
    const refusal = refusalOf(exec);
    if (refusal !== undefined) {
      const message = refusal.startsWith('learner processes')
        ? busySandboxMessage
        : 'The check could not be prepared in your sandbox. Try again; if it keeps happening, tell your instructor.';
      throw new GradingProblem(message, `the clean room refused to start ${program}: ${refusal}`);
    }
    return exec;
  }

  private async graderRun(run: Extract<StepRun, { as: 'grader' }>): Promise<RunRecord> {
    const started = Date.now();
    const exec = await this.inCleanRoom(run.program, { last: false, outputLimitBytes: runOutputBytes });
    return recordOf({ command: run.command, as: 'grader', dir: `${this.room.room}/files` }, exec, {
      startedAtMs: started + (this.pause?.clockOffsetMs ?? 0),
      durationMs: Date.now() - started,
      timeoutMs: this.timeoutMs,
    });
  }

  private async check(): Promise<CheckResult> {
    const exec = await this.inCleanRoom(this.step.check.slice(checksFolder.length), {
      last: true,
      outputLimitBytes: checkOutputBytes,
    });
    return parseCheckOutput(exec, { timeoutSeconds: this.step.timeoutSeconds });
  }

  /** Whatever happened: the learner's processes go on, and nothing of the grader's stays. */
  private async cleanUp(): Promise<void> {
    try {
      await thawLearner(this.exec, this.pause);
    } catch {
      // One more try: a learner whose processes stay stopped has a frozen terminal.
      await thawLearner(this.exec, this.pause).catch(() => undefined);
    }
    if (this.roomMayRemain) await this.exec(removeRoomRequest(this.room)).catch(() => undefined);
  }
}

/** Runs the check of `stepId` in the session's sandbox and reads its result. */
export async function gradeStep(deps: Deps, sessionId: string, stepId: string): Promise<GradeResult> {
  const started = Date.now();
  const session = deps.sessions.requireReady(sessionId);
  const lab = deps.labs.lab(session.labId);
  const step = findStep(lab, stepId);
  return deps.sessions.whileGrading(sessionId, async () => {
    // A learner may have stopped a service the check and the runs talk to: bring it back first.
    if (lab.services.length > 0) await deps.sessions.ensureServices(sessionId);
    const exec: Exec = (request) => deps.sessions.execDuringGrading(sessionId, request);
    const result = await new Grading(exec, lab, step, deps.labs).run();
    return { ...result, stepId, durationMs: Date.now() - started };
  });
}
