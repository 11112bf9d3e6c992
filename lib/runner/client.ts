/**
 * The web app's client of the lab runner's server-to-server API (docs/lab-runner.md). Every call
 * carries the runner secret; failures become RunnerRequestError with the runner's code and message,
 * or RUNNER_UNAVAILABLE when the runner cannot be reached.
 */
import type { GradeResult } from '@/lab-runner/api/grading';
import type {
  CheckBody,
  CreateSessionBody,
  ExecBody,
  ListSessionsQuery,
  WriteFileBody,
} from '@/lab-runner/api/requests';
import type { CapacityView, SandboxStats, SessionView } from '@/lab-runner/api/sessions';
import { mintBrowserToken } from '@/lab-runner/api/tokens';

export type RunnerSession = SessionView;
export type RunnerSessionState = SessionView['state'];
export type RunnerCapacity = CapacityView;
export type RunnerSandboxStats = SandboxStats;
export type { CheckDetail, GradeResult as CheckResult } from '@/lab-runner/api/grading';

/** What a command run in a sandbox printed; each of stdout and stderr is kept up to 1 MiB. */
export type RunnerExecResult = {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
};

/** For reads a dashboard makes every few seconds: a runner this slow is as good as down. */
const quickTimeoutMs = 10_000;

export class RunnerRequestError extends Error {
  override name = 'RunnerRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class RunnerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  private async request<T>(
    method: string,
    pathname: string,
    body?: unknown,
    timeoutMs = 5 * 60_000,
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${pathname}`, {
        method,
        headers: {
          authorization: `Bearer ${this.secret}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      console.error(`runner: ${method} ${pathname} failed`, error);
      throw new RunnerRequestError(
        503,
        'RUNNER_UNAVAILABLE',
        'The lab runner cannot be reached right now. Try again in a moment; if it keeps happening, tell your instructor or operator.',
      );
    }
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    if (!response.ok) {
      throw new RunnerRequestError(
        response.status,
        payload.error ?? 'RUNNER_ERROR',
        payload.message ?? `The lab runner answered ${response.status}.`,
      );
    }
    return payload as T;
  }

  /** The learner's sandbox for the lab: made (or resumed) and ready when this returns. */
  startSession(userId: string, labId: string): Promise<RunnerSession> {
    return this.request('POST', '/v1/sessions', { userId, labId } satisfies CreateSessionBody);
  }

  /** The learner's live (not destroyed) session for a lab, if any. */
  async findSession(userId: string, labId: string): Promise<RunnerSession | undefined> {
    const { sessions } = await this.request<{ sessions: RunnerSession[] }>(
      'GET',
      `/v1/sessions?userId=${encodeURIComponent(userId)}`,
    );
    return sessions.find((s) => s.labId === labId && s.state !== 'destroyed');
  }

  /** Every live (not destroyed) session, optionally one user's or in one state. */
  async listSessions(filter: ListSessionsQuery = {}): Promise<RunnerSession[]> {
    const query = new URLSearchParams();
    if (filter.userId) query.set('userId', filter.userId);
    if (filter.state) query.set('state', filter.state);
    const suffix = query.size ? `?${query}` : '';
    const { sessions } = await this.request<{ sessions: RunnerSession[] }>(
      'GET',
      `/v1/sessions${suffix}`,
      undefined,
      quickTimeoutMs,
    );
    return sessions;
  }

  /** Memory, CPU, processes and disk of a ready sandbox (SESSION_NOT_READY otherwise). */
  stats(sessionId: string): Promise<RunnerSandboxStats> {
    return this.request('GET', `/v1/sessions/${sessionId}/stats`, undefined, quickTimeoutMs);
  }

  /** The runner's limits (MAX_SESSIONS, POOL_SIZE…), how much is in use, and the host's memory. */
  capacity(): Promise<RunnerCapacity> {
    return this.request('GET', '/v1/capacity', undefined, quickTimeoutMs);
  }

  stop(sessionId: string): Promise<RunnerSession> {
    return this.request('POST', `/v1/sessions/${sessionId}/stop`);
  }

  reset(sessionId: string): Promise<RunnerSession> {
    return this.request('POST', `/v1/sessions/${sessionId}/reset`);
  }

  destroy(sessionId: string): Promise<void> {
    return this.request('DELETE', `/v1/sessions/${sessionId}`);
  }

  check(sessionId: string, stepId: string): Promise<GradeResult> {
    return this.request('POST', `/v1/sessions/${sessionId}/checks`, { stepId } satisfies CheckBody);
  }

  /** Runs a command in the sandbox, as the learner unless `user` says the grader. */
  exec(sessionId: string, body: ExecBody): Promise<RunnerExecResult> {
    return this.request('POST', `/v1/sessions/${sessionId}/exec`, body satisfies ExecBody);
  }

  /** Writes a text file into the learner's workspace (a revealed solution applied, for instance). */
  writeFile(sessionId: string, filePath: string, content: string): Promise<unknown> {
    return this.request('PUT', `/v1/sessions/${sessionId}/files?path=${encodeURIComponent(filePath)}`, {
      content,
    } satisfies WriteFileBody);
  }

  /** A short-lived token for the browser: this session's terminal, files and services only. */
  browserToken(sessionId: string, userId: string): { token: string; expiresAt: number } {
    const ttlSeconds = 300;
    return {
      token: mintBrowserToken(this.secret, { sessionId, userId, ttlSeconds }),
      expiresAt: Date.now() + ttlSeconds * 1000,
    };
  }

  /**
   * A short-lived read-only token for someone watching the learner (an instructor): reads files
   * and watches the terminal; the runner refuses input, writes and services with it, and ends the
   * terminal view when it expires.
   */
  viewerToken(sessionId: string, learnerId: string, ttlSeconds = 300): { token: string; expiresAt: number } {
    return {
      token: mintBrowserToken(this.secret, { sessionId, userId: learnerId, ttlSeconds, readOnly: true }),
      expiresAt: Date.now() + ttlSeconds * 1000,
    };
  }
}
