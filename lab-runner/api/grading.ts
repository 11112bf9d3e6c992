/** The result of grading a step, as the runner answers `POST /v1/sessions/:id/checks`. */

export const checkStatuses = ['pass', 'fail', 'error'] as const;
export type CheckStatus = (typeof checkStatuses)[number];

export type CheckDetail = { name: string; status: CheckStatus; message?: string };

export type CheckResult = {
  status: CheckStatus;
  message: string;
  details: CheckDetail[];
  /** For logs and authors only, never shown to learners: why a check gave `error`. */
  diagnostics?: string;
};

export type GradeResult = CheckResult & { stepId: string; durationMs: number };
