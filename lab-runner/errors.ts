/** The runner's errors: a code, an HTTP status and a sentence a person can act on. One mapping. */
export const errorStatus = {
  BAD_REQUEST: 400,
  INVALID_PATH: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  LAB_NOT_FOUND: 404,
  STEP_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  NOT_A_FILE: 409,
  NOT_A_DIRECTORY: 409,
  ALREADY_EXISTS: 409,
  SESSION_NOT_READY: 409,
  INVALID_STATE: 409,
  TOO_MANY_SESSIONS: 409,
  FILE_TOO_LARGE: 413,
  BINARY_FILE: 415,
  WORKSPACE_FULL: 507,
  DISK_FULL: 507,
  AT_CAPACITY: 429,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 502,
  SANDBOX_FAILED: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class RunnerError extends Error {
  override name = 'RunnerError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return errorStatus[this.code];
  }
  toJSON() {
    return { error: this.code, message: this.message };
  }
}
