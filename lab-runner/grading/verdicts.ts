/**
 * The lab self-test's verdicts (verify-lab.ts) and how `labs:verify` prints them: one line per
 * verdict, with the check's diagnostics below an unexpected `error`. A cheat's verdict is decided
 * here too: the check must fail it on the detail the cheat names, not merely fail.
 */
import type { Cheat } from '../api/cheat-loader';
import type { GradeResult } from '../api/grading';

type Base = { labId: string; stepId: string; ok: boolean };

/**
 * `starter`: expected fail on the untouched starter; `solution`: expected pass after the step's
 * solution; `final`: expected pass with every solution applied.
 */
export type PhaseVerdict = Base & {
  phase: 'starter' | 'solution' | 'final';
  expected: 'fail' | 'pass';
  result: GradeResult;
};

/**
 * `cheat`: the cheat planted over the reference state before the step; expected fail with the
 * detail `cheat.failsOn` failing. `unprepared` says why the cheat could not be graded (its setup
 * failed, or an earlier step did not pass while the reference state was being rebuilt).
 */
export type CheatVerdict = Base & {
  phase: 'cheat';
  expected: 'fail';
  cheat: Pick<Cheat, 'name' | 'fakes' | 'failsOn' | 'kind'>;
  /** Time to bring the sandbox to the reference state and plant the cheat, before grading. */
  prepareMs: number;
  result?: GradeResult;
  unprepared?: string;
  diagnostics?: string;
};

export type StepVerdict = PhaseVerdict | CheatVerdict;

/** Whether the check caught the cheat where its author said, and what it did instead if not. */
export function judgeCheat(failsOn: string, result: GradeResult): { ok: boolean; got: string } {
  if (result.status !== 'fail') return { ok: false, got: result.status };
  if (result.details.find((detail) => detail.name === failsOn)?.status === 'fail') {
    return { ok: true, got: 'fail' };
  }
  const failing = result.details.filter((detail) => detail.status === 'fail').map((d) => `"${d.name}"`);
  return { ok: false, got: failing.length ? `fail on ${failing.join(', ')}` : 'fail, no detail failed' };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const indent = (text: string) => `    ${text.split('\n').join('\n    ')}`;

/** What the check said about a cheat it did not catch as expected, after the cheat's summary. */
function missedCheat(verdict: CheatVerdict, result: GradeResult): string {
  const { fakes, failsOn } = verdict.cheat;
  if (result.status === 'pass') return `the check passed a cheat that ${fakes}; it said: ${result.message}`;
  if (result.status === 'error') return `the check gave error for a cheat that ${fakes}: ${result.message}`;
  return `the check failed a cheat that ${fakes}, but not on "${failsOn}"; it said: ${result.message}`;
}

/**
 * The console lines of a verdict: `✓ lab  step  phase  expected …, got …  (time)`, with the
 * learner's message and the diagnostics for an unexpected result. `width` pads step ids and
 * `phaseWidth` the phase column (`cheat:<name>` for a cheat).
 */
export function verdictLines(verdict: StepVerdict, width: number, phaseWidth = 8): string[] {
  const mark = verdict.ok ? '✓' : '✗';
  const head = `${mark} ${verdict.labId}  ${verdict.stepId.padEnd(width)}  `;
  if (verdict.phase !== 'cheat') {
    const { result } = verdict;
    const line = `${head}${verdict.phase.padEnd(phaseWidth)} expected ${verdict.expected}, got ${result.status}  (${seconds(result.durationMs)})${verdict.ok ? '' : `: ${result.message}`}`;
    return !verdict.ok && result.diagnostics ? [line, indent(result.diagnostics)] : [line];
  }

  const label = `cheat:${verdict.cheat.name}`.padEnd(phaseWidth);
  const expected = `expected fail on "${verdict.cheat.failsOn}"`;
  const prepared = `prepared in ${seconds(verdict.prepareMs)}`;
  const { result } = verdict;
  if (!result) {
    const line = `${head}${label} ${expected}, not graded  (${prepared}): the cheat could not be prepared: ${verdict.unprepared}`;
    return verdict.diagnostics ? [line, indent(verdict.diagnostics)] : [line];
  }
  const { got } = judgeCheat(verdict.cheat.failsOn, result);
  const time = `(${seconds(result.durationMs)}, ${prepared})`;
  if (verdict.ok) return [`${head}${label} ${expected}, got ${got}  ${time}`];
  const line = `${head}${label} ${expected}, got ${got}  ${time}: ${missedCheat(verdict, result)}`;
  return result.diagnostics ? [line, indent(result.diagnostics)] : [line];
}

/** The phase column's width for a set of verdicts: `solution` or the longest `cheat:<name>`. */
export function phaseWidthOf(cheatNames: string[]): number {
  return Math.max(8, ...cheatNames.map((name) => `cheat:${name}`.length));
}
