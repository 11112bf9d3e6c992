/**
 * The lab self-test: in a fresh sandbox, the untouched starter must fail every step's check, and
 * applying `solution/` step by step must make each check pass (and keep the earlier ones passing).
 * Used by `npm run labs:verify`, which `npm test` runs for every lab.
 */
import type { Lab } from '../api/lab-loader';
import type { LabCatalog } from '../labs';
import type { SessionManager } from '../sessions/manager';
import { WorkspaceFiles } from '../workspace-files';
import { gradeStep, type GradeResult } from './grader';

export type StepVerdict = {
  labId: string;
  stepId: string;
  /** `starter`: expected fail; `solution`: expected pass after its solution; `final`: expected pass at the end. */
  phase: 'starter' | 'solution' | 'final';
  expected: 'fail' | 'pass';
  result: GradeResult;
  ok: boolean;
};

type Deps = { sessions: SessionManager; labs: LabCatalog };

export async function verifyLab(
  deps: Deps,
  lab: Lab,
  report: (verdict: StepVerdict) => void = () => undefined,
): Promise<StepVerdict[]> {
  const verdicts: StepVerdict[] = [];
  const files = new WorkspaceFiles(deps.sessions);
  const { session } = await deps.sessions.create(`labs-verify-${process.pid}`, lab.id);
  const grade = async (stepId: string, phase: StepVerdict['phase'], expected: StepVerdict['expected']) => {
    const result = await gradeStep(deps, session.id, stepId);
    const verdict = { labId: lab.id, stepId, phase, expected, result, ok: result.status === expected };
    verdicts.push(verdict);
    report(verdict);
  };
  try {
    for (const step of lab.steps) await grade(step.id, 'starter', 'fail');
    for (const step of lab.steps) {
      for (const file of deps.labs.files(lab, step.solution)) {
        await files.write(session.id, file.path, file.content);
      }
      await grade(step.id, 'solution', 'pass');
    }
    // Later solutions must not break earlier steps.
    for (const step of lab.steps.slice(0, -1)) await grade(step.id, 'final', 'pass');
  } finally {
    await deps.sessions.destroy(session.id);
  }
  return verdicts;
}
