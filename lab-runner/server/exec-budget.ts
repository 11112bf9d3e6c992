/**
 * How many `docker exec`s a browser may cost its sandbox's host. Every file operation runs as an
 * exec inside the sandbox, and each new service port starts a bridge (another exec and a process
 * that stays): a page, or a script holding a learner's token, could otherwise keep the engine busy
 * for every other learner on the host. So each session has a token bucket (a burst, then a steady
 * rate) for file operations, and a cap on the service ports it bridges. The web app's own calls (a
 * solution copied in, the files downloaded at a workshop's end) are not counted.
 */
import { RunnerError } from '../errors';

export type ExecBudgetOptions = {
  /** Operations a session may make at once, after a quiet while. */
  burst: number;
  /** Operations a second it gets back, up to `burst`. */
  perSecond: number;
  /** Distinct service ports a session may bridge. */
  maxServicePorts: number;
  now?: () => number;
};

export const defaultExecBudget: ExecBudgetOptions = { burst: 60, perSecond: 20, maxServicePorts: 16 };

type Bucket = { tokens: number; at: number };

/** Beyond this many sessions tracked, full buckets (sessions at rest) are forgotten. */
const maxTrackedSessions = 2000;

export class ExecBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ports = new Map<string, Set<number>>();
  private readonly now: () => number;

  constructor(private readonly options: ExecBudgetOptions = defaultExecBudget) {
    this.now = options.now ?? Date.now;
  }

  /** Spends one operation of the session's budget; a RunnerError (429) when none is left. */
  spend(sessionId: string): void {
    const now = this.now();
    const bucket = this.refilled(sessionId, now);
    if (bucket.tokens < 1) {
      const waitSeconds = Math.ceil((1 - bucket.tokens) / this.options.perSecond);
      throw new RunnerError(
        'RATE_LIMITED',
        `Too many file operations on this sandbox at once; wait ${waitSeconds} s and try again.`,
      );
    }
    bucket.tokens -= 1;
  }

  /** Notes that the session reaches a service on `port`; refuses a port past the cap. */
  useServicePort(sessionId: string, port: number): void {
    const ports = this.ports.get(sessionId) ?? new Set<number>();
    if (ports.has(port)) return;
    if (ports.size >= this.options.maxServicePorts) {
      throw new RunnerError(
        'RATE_LIMITED',
        `This sandbox already serves ${ports.size} ports to the browser, the most it may; use one of them.`,
      );
    }
    this.spend(sessionId);
    ports.add(port);
    this.ports.set(sessionId, ports);
  }

  /** Forgets a session (it was destroyed). */
  forget(sessionId: string): void {
    this.buckets.delete(sessionId);
    this.ports.delete(sessionId);
  }

  private refilled(sessionId: string, now: number): Bucket {
    let bucket = this.buckets.get(sessionId);
    if (!bucket) {
      if (this.buckets.size >= maxTrackedSessions) this.forgetRested(now);
      bucket = { tokens: this.options.burst, at: now };
      this.buckets.set(sessionId, bucket);
      return bucket;
    }
    const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsedSeconds * this.options.perSecond);
    bucket.at = now;
    return bucket;
  }

  private forgetRested(now: number): void {
    for (const [id, bucket] of this.buckets) {
      const tokens = bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.options.perSecond;
      if (tokens >= this.options.burst) this.buckets.delete(id);
    }
  }
}
