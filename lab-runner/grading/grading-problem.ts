/**
 * What stops a grading before its check could decide: the learner's processes would not pause, or
 * the clean room refused to start a grader process. gradeStep (grader.ts) answers it as an `error`
 * result, with a message for the learner and the reason in `diagnostics`, for logs and authors.
 */
export class GradingProblem extends Error {
  override name = 'GradingProblem';
  constructor(
    readonly learnerMessage: string,
    readonly diagnostics: string,
  ) {
    super(diagnostics);
  }
}

/** The learner's message when their sandbox cannot be made still for the check. */
export const busySandboxMessage =
  'Something in your sandbox kept running and could not be paused for the check. Stop the programs you left running in the background (or stop and start the sandbox), then try again.';
