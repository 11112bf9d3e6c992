/**
 * A step's status from its check results and whether it was skipped: the one rule the learner's
 * progress, the instructor's dashboard and the grades share. Plain data in, no database here.
 *
 * - A background check (`automatic`) that did not pass counts nowhere: the learner never saw it.
 * - A skipped step (the learner, or their instructor, started a later step from the reference
 *   state) stays skipped, whatever its checks say afterwards: its files came from the solution.
 * - Otherwise one pass makes it passed; a counted check that did not pass, failed.
 */

export type StepStatus = 'passed' | 'skipped' | 'failed' | 'not-started';

export type ResultLike = { status: string; automatic: boolean };

/** Whether a check result counts: every pressed Check, and a background check that passed. */
export function isCounted(result: ResultLike): boolean {
  return !result.automatic || result.status === 'pass';
}

/** The status of a step with these results (counted or not, any order) and skip record. */
export function stepStatusOf(results: readonly ResultLike[], isSkipped: boolean): StepStatus {
  if (isSkipped) return 'skipped';
  const counted = results.filter(isCounted);
  if (counted.some((result) => result.status === 'pass')) return 'passed';
  return counted.length > 0 ? 'failed' : 'not-started';
}
