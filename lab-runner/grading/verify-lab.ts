/**
 * The lab self-test: in a fresh sandbox, the untouched starter must fail every step's check,
 * applying `solution/` step by step must make each check pass (and keep the earlier ones passing),
 * and every cheat of a step (cheat-loader.ts) planted over the reference state before that step
 * must fail the check on the detail it names. Used by `npm run labs:verify`, which `npm test` runs
 * for every lab.
 *
 * The reference state before step N, rebuilt for each cheat in the same sandbox: a reset (starter
 * files, an empty home, so empty labkit services and nothing left of the previous cheat), then the
 * solutions of steps 1..N-1 in order. In a lab with services, each earlier step's check is graded
 * right after its solution, expecting pass: its runs are what fill the services (the runs logged to
 * the tracking server), exactly once each and in the same order every time. A lab without services
 * keeps no state outside the workspace that grading creates (runs work in copies under /tmp), so
 * there the solutions' files are the whole reference state and the replay is skipped.
 */
import type { Cheat } from '../api/cheat-loader';
import type { Lab } from '../api/lab-loader';
import type { LabCatalog } from '../labs';
import type { SessionManager } from '../sessions/manager';
import { WorkspaceFiles } from '../workspace-files';
import { gradeStep, workspaceDir } from './grader';
import { judgeCheat, type CheatVerdict, type StepVerdict } from './verdicts';

export type { StepVerdict };

type Deps = { sessions: SessionManager; labs: LabCatalog };

const setupOutputBytes = 64 * 1024;

export async function verifyLab(
  deps: Deps,
  lab: Lab,
  cheats: Cheat[],
  /** Called with each verdict, and awaited, while the sandbox is still as the verdict left it. */
  report: (verdict: StepVerdict) => void | Promise<void> = () => undefined,
): Promise<StepVerdict[]> {
  const verdicts: StepVerdict[] = [];
  const record = async (verdict: StepVerdict) => {
    verdicts.push(verdict);
    await report(verdict);
  };
  const files = new WorkspaceFiles(deps.sessions);
  const { session } = await deps.sessions.create(`labs-verify-${process.pid}`, lab.id);
  const applySolution = async (step: Lab['steps'][number]) => {
    for (const file of deps.labs.files(lab, step.solution)) {
      await files.write(session.id, file.path, file.content);
    }
  };
  const grade = async (
    stepId: string,
    phase: 'starter' | 'solution' | 'final',
    expected: 'fail' | 'pass',
  ) => {
    const result = await gradeStep(deps, session.id, stepId);
    await record({ labId: lab.id, stepId, phase, expected, result, ok: result.status === expected });
  };

  /** Plants `cheat` over the reference state before its step; a reason when that cannot be done. */
  const prepare = async (cheat: Cheat): Promise<{ unprepared: string; diagnostics?: string } | undefined> => {
    await deps.sessions.reset(session.id);
    const stepIndex = lab.steps.findIndex((step) => step.id === cheat.stepId);
    for (const earlier of lab.steps.slice(0, stepIndex)) {
      await applySolution(earlier);
      if (lab.services.length === 0) continue;
      const replay = await gradeStep(deps, session.id, earlier.id);
      if (replay.status !== 'pass') {
        return {
          unprepared: `rebuilding the state before "${cheat.stepId}", step "${earlier.id}" gave ${replay.status} with its solution: ${replay.message}`,
          diagnostics: replay.diagnostics,
        };
      }
    }
    for (const file of cheat.files) await files.write(session.id, file.path, file.content);
    const timeoutSeconds = lab.steps[stepIndex]!.timeoutSeconds;
    for (const command of cheat.setup) {
      const exec = await deps.sessions.exec(session.id, {
        cmd: ['bash', '-c', command],
        user: 'learner',
        workingDir: workspaceDir,
        timeoutMs: timeoutSeconds * 1000,
        outputLimitBytes: setupOutputBytes,
      });
      if (exec.exitCode !== 0) {
        const why = exec.timedOut
          ? `did not finish within ${timeoutSeconds} s`
          : `exited with ${exec.exitCode}`;
        return { unprepared: `setup \`${command}\` ${why}`, diagnostics: exec.stderr.trim() || undefined };
      }
    }
    return undefined;
  };

  const tryCheat = async (cheat: Cheat) => {
    const started = Date.now();
    const problem = await prepare(cheat);
    const base: Omit<CheatVerdict, 'ok'> = {
      labId: lab.id,
      stepId: cheat.stepId,
      phase: 'cheat',
      expected: 'fail',
      cheat: { name: cheat.name, fakes: cheat.fakes, failsOn: cheat.failsOn, kind: cheat.kind },
      prepareMs: Date.now() - started,
    };
    if (problem) return record({ ...base, ...problem, ok: false });
    const result = await gradeStep(deps, session.id, cheat.stepId);
    await record({ ...base, result, ok: judgeCheat(cheat.failsOn, result).ok });
  };

  try {
    for (const step of lab.steps) await grade(step.id, 'starter', 'fail');
    for (const step of lab.steps) {
      await applySolution(step);
      await grade(step.id, 'solution', 'pass');
    }
    // Later solutions must not break earlier steps.
    for (const step of lab.steps.slice(0, -1)) await grade(step.id, 'final', 'pass');
    for (const cheat of cheats) await tryCheat(cheat);
  } finally {
    await deps.sessions.destroy(session.id);
  }
  return verdicts;
}
