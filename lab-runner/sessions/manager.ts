/**
 * Owns learner sessions: what state each is in and when it changes, within the capacity limits.
 * Every container operation goes through the driver. Its parts: the warm pool (pool.ts), the labkit
 * services (services.ts), the reaper of idle and expired sessions (reaper.ts) and the per-session
 * locks (locks.ts).
 */
import pLimit from 'p-limit';
import { labkitEnvironment } from '../api/labkit-services';
import { newSessionId, type SessionCapacity } from '../api/sessions';
import {
  DriverError,
  type ExecRequest,
  type ExecResult,
  type SandboxDriver,
  type SandboxInfo,
  type SandboxLabels,
  type SandboxStats,
  type TtySession,
} from '../drivers/driver';
import { RunnerError } from '../errors';
import type { LabCatalog, LabSandbox } from '../labs';
import type { RunnerMetrics } from '../server/metrics';
import { SessionLocks } from './locks';
import { WarmPool, type PoolEntry } from './pool';
import { Reaper } from './reaper';
import { startServices } from './services';
import { isActive, viewOf, type Session } from './session';
import { nextState, type SessionState } from './state';

export { viewOf, type Session } from './session';

export type SessionManagerOptions = {
  driver: SandboxDriver;
  labs: LabCatalog;
  metrics: RunnerMetrics;
  defaultImage: string;
  /** Replaces every lab's own image (SANDBOX_IMAGE). */
  imageOverride?: string;
  idleStopMs: number;
  sessionTtlMs: number;
  poolSize: number;
  maxSessions: number;
  maxSessionsPerUser: number;
  /** Container creations in flight at once (default {@link defaultConcurrentCreates}). */
  concurrentCreates?: number;
  /**
   * Bytes free where workspaces are kept, or null when unknown. A new sandbox starts only while
   * `minFreeDiskMb` plus its lab's workspace size is free. Without it, nothing is checked.
   */
  freeDiskBytes?: () => number | null;
  minFreeDiskMb?: number;
  log?: (message: string) => void;
};

/**
 * Container creations in flight at once. Docker serialises much of a creation internally; dozens
 * in parallel (a workshop starting) thrash it, so a few at a time finish sooner overall.
 */
export const defaultConcurrentCreates = 4;

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly locks = new SessionLocks();
  /** Gradings per session, one at a time (`whileGrading`). */
  private readonly gradings = new SessionLocks();
  /** Stopped sessions being started again: they count against the limits before they are ready. */
  private readonly starting = new Set<string>();
  private readonly driver: SandboxDriver;
  private readonly pool: WarmPool;
  private readonly reaper: Reaper;
  private readonly log: (message: string) => void;
  private readonly createSlots: ReturnType<typeof pLimit>;

  constructor(private readonly options: SessionManagerOptions) {
    this.driver = options.driver;
    this.log = options.log ?? (() => undefined);
    this.createSlots = pLimit(options.concurrentCreates ?? defaultConcurrentCreates);
    this.pool = new WarmPool({
      driver: options.driver,
      image: options.defaultImage,
      size: options.poolSize,
      maxSessions: options.maxSessions,
      activeSessions: () => this.active().length,
      onChange: () => this.updateGauges(),
      log: this.log,
    });
    this.reaper = new Reaper({
      idleStopMs: options.idleStopMs,
      sessions: () => this.list(),
      isBusy: (id) => this.locks.isHeld(id),
      stop: (id) => this.stop(id),
      destroy: (id) => this.destroy(id),
      log: this.log,
    });
  }

  // ── startup and shutdown ──────────────────────────────────────────────────────────────────

  /** Re-adopts our sandboxes after a restart, reaps what is not ours to keep, fills the pool. */
  async start(): Promise<void> {
    const now = Date.now();
    const adopted = new Set<string>();
    for (const info of await this.driver.list()) {
      if (info.labels.expiresAt <= now) continue;
      if (info.labels.isPool && !this.pool.adopt(info)) continue;
      if (!info.labels.isPool) this.adoptSession(info, now);
      adopted.add(info.labels.sessionId);
    }
    const reaped = await this.driver.reapOrphans((info) => adopted.has(info.labels.sessionId));
    this.log(`adopted ${adopted.size} sandbox(es), reaped ${reaped.length}`);
    this.updateGauges();
    this.reaper.start();
    this.pool.fill();
  }

  /** A learner's sandbox found after a restart is their session again, running or stopped. */
  private adoptSession(info: SandboxInfo, now: number): void {
    const { labels } = info;
    this.sessions.set(labels.sessionId, {
      id: labels.sessionId,
      userId: labels.userId,
      labId: labels.labId,
      services: this.servicesOf(labels.labId),
      state: info.isRunning ? 'ready' : 'stopped',
      createdAt: info.createdAt,
      readyAt: info.isRunning ? now : undefined,
      lastActivityAt: now,
      expiresAt: labels.expiresAt,
      startKind: 'adopted',
    });
  }

  /**
   * Stops background work, waiting for the operations in flight (and the pool sandbox being made,
   * which is then removed). Sandboxes keep running so a restarted runner re-adopts them.
   */
  async close(): Promise<void> {
    this.reaper.stop();
    await Promise.all([this.pool.close(), this.locks.settled()]);
  }

  /** Removes the warm pool's sandboxes (they hold resources but no learner work). */
  async drainPool(): Promise<void> {
    await this.pool.drain();
  }

  // ── queries ───────────────────────────────────────────────────────────────────────────────

  get(id: string): Session {
    const session = this.sessions.get(id);
    if (!session || session.state === 'destroyed') {
      throw new RunnerError('SESSION_NOT_FOUND', `There is no sandbox session ${id}.`);
    }
    return session;
  }

  list(filter: { userId?: string; state?: SessionState } = {}): Session[] {
    return [...this.sessions.values()].filter(
      (s) =>
        s.state !== 'destroyed' &&
        (filter.userId === undefined || s.userId === filter.userId) &&
        (filter.state === undefined || s.state === filter.state),
    );
  }

  poolSize(): number {
    return this.pool.count;
  }

  /** What the limits are and how much of them is in use (creating and ready sandboxes count). */
  capacity(): SessionCapacity {
    const active = this.active();
    return {
      maxSessions: this.options.maxSessions,
      maxSessionsPerUser: this.options.maxSessionsPerUser,
      poolSize: this.options.poolSize,
      poolReady: this.pool.count,
      active: active.length,
      stopped: this.list({ state: 'stopped' }).filter((s) => !active.includes(s)).length,
      idleStopMs: this.options.idleStopMs,
    };
  }

  view(session: Session) {
    return viewOf(session, this.options.idleStopMs);
  }

  /** Read-only terminals open on a session now (0 for an unknown session). */
  viewers(id: string): number {
    return this.sessions.get(id)?.viewers ?? 0;
  }

  /** Counts a read-only terminal opening (+1) or closing (-1) on a session; the new count. */
  noteViewer(id: string, change: 1 | -1): number {
    const session = this.sessions.get(id);
    if (!session) return 0;
    session.viewers = Math.max(0, (session.viewers ?? 0) + change);
    return session.viewers;
  }

  /** Marks learner activity (terminal input, file edits, checks): postpones the idle stop. */
  touch(id: string): void {
    const session = this.sessions.get(id);
    if (session) session.lastActivityAt = Date.now();
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────────────────────

  /**
   * The learner's sandbox for a lab: the existing one (resumed if it was stopped, awaited if it is
   * being created), or a new one, taken from the warm pool when one fits. Resolves once the shell
   * works and the lab's services answer.
   */
  async create(userId: string, labId: string): Promise<{ session: Session; isNew: boolean }> {
    const lab = this.options.labs.get(labId);
    const existing = this.list({ userId }).find((s) => s.labId === labId && s.state !== 'error');
    if (existing) return { session: await this.readyExisting(existing), isNew: false };
    this.checkCapacity(userId);
    this.checkDisk(lab.resources.diskMb);

    const now = Date.now();
    const ttlMs = Math.min(this.options.sessionTtlMs, (lab.timeLimitMinutes ?? Infinity) * 60_000);
    const poolEntry = this.pool.take(this.imageFor(lab), lab.resources);
    const session: Session = {
      // A warm sandbox's id becomes the session's id: its container and workspace carry it.
      id: poolEntry?.id ?? newSessionId(),
      userId,
      labId,
      services: lab.services,
      state: 'creating',
      createdAt: now,
      lastActivityAt: now,
      expiresAt: now + ttlMs,
    };
    this.sessions.set(session.id, session);
    this.updateGauges();
    const started = performance.now();
    try {
      await this.locks.run(session.id, () => this.provision(session, lab, poolEntry));
    } finally {
      this.updateGauges();
      this.pool.fill();
    }
    this.options.metrics.startSeconds.observe(
      { kind: session.startKind! },
      (performance.now() - started) / 1000,
    );
    return { session, isNew: true };
  }

  /** A second "start" of the same lab gets the first one's outcome, not a half-made sandbox. */
  private async readyExisting(session: Session): Promise<Session> {
    if (session.state === 'creating') await this.locks.settled(session.id);
    if (session.state === 'error') {
      throw new RunnerError('SANDBOX_FAILED', session.error ?? 'The sandbox could not be started.');
    }
    if (session.state === 'stopped') return this.resume(session.id);
    return this.get(session.id);
  }

  private imageFor(lab: LabSandbox): string {
    return this.options.imageOverride ?? lab.image ?? this.options.defaultImage;
  }

  /**
   * Makes a new session's sandbox (a warm one handed out, or a new container) and starts the lab's
   * services. A failure leaves the session `error`, its sandbox removed.
   */
  private async provision(session: Session, lab: LabSandbox, poolEntry?: PoolEntry): Promise<void> {
    const labels: SandboxLabels = {
      sessionId: session.id,
      userId: session.userId,
      labId: session.labId,
      expiresAt: session.expiresAt,
      isPool: false,
    };
    try {
      if (poolEntry) {
        await this.pool.handOut(poolEntry, labels, lab);
        session.startKind = 'warm';
      } else {
        const spec = {
          labels,
          image: this.imageFor(lab),
          resources: lab.resources,
          starterFiles: lab.starterFiles,
        };
        await this.createSlots(() => this.driver.create(spec));
        session.startKind = 'cold';
      }
      await startServices(this.driver, session.id, session.services);
    } catch (error) {
      session.state = 'error';
      session.error = `The sandbox could not be started: ${(error as Error).message}`;
      this.log(`session ${session.id} failed to start: ${(error as Error).message}`);
      await this.driver.remove(session.id).catch(() => undefined);
      throw new RunnerError('SANDBOX_FAILED', session.error);
    }
    session.state = nextState(session.state, 'ready');
    session.readyAt = Date.now();
  }

  /** Sessions holding, or about to hold, a running sandbox: what the limits count. */
  private active(): Session[] {
    return this.list().filter((s) => isActive(s) || this.starting.has(s.id));
  }

  private checkCapacity(userId: string): void {
    const active = this.active();
    const mine = active.filter((s) => s.userId === userId);
    if (mine.length >= this.options.maxSessionsPerUser) {
      throw new RunnerError(
        'TOO_MANY_SESSIONS',
        `You already have ${mine.length} lab sandbox(es) running; stop one before starting another.`,
      );
    }
    if (active.length >= this.options.maxSessions) {
      throw new RunnerError(
        'AT_CAPACITY',
        `All ${this.options.maxSessions} sandboxes on this server are in use. Try again in a few minutes, or ask your instructor.`,
      );
    }
  }

  /** A new workspace needs its whole size free, above the reserve the host keeps. */
  private checkDisk(workspaceMb: number): void {
    const reserveMb = this.options.minFreeDiskMb ?? 0;
    const free = reserveMb > 0 ? this.options.freeDiskBytes?.() : null;
    if (free === null || free === undefined) return;
    if (free < (reserveMb + workspaceMb) * 1024 * 1024) {
      throw new RunnerError(
        'DISK_FULL',
        'The server is almost out of disk space, so no new lab can start on it now. Labs already ' +
          'started go on working. Tell your instructor or the platform’s administrator.',
      );
    }
  }

  /** Runs `operation` under the session's lock, on the session as it is then (destroyed: not found). */
  private withSession<T>(id: string, operation: (session: Session) => Promise<T>): Promise<T> {
    this.get(id);
    return this.locks.run(id, () => operation(this.get(id)));
  }

  async stop(id: string): Promise<Session> {
    const stopped = await this.withSession(id, async (session) => {
      if (session.state === 'stopped') return session;
      nextState(session.state, 'stopped');
      try {
        await this.driver.stop(id);
      } catch (error) {
        throw this.fromDriver(error, session);
      }
      session.state = 'stopped';
      session.readyAt = undefined;
      this.updateGauges();
      return session;
    });
    this.pool.fill();
    return stopped;
  }

  async resume(id: string): Promise<Session> {
    return this.withSession(id, async (session) => {
      if (session.state === 'ready') return session;
      nextState(session.state, 'ready');
      await this.bringUp(session, () => this.driver.start(id));
      return session;
    });
  }

  /** Restores the lab's starter files; everything the learner changed is lost. */
  async reset(id: string): Promise<Session> {
    const lab = this.options.labs.get(this.get(id).labId);
    return this.withSession(id, async (session) => {
      if (session.state !== 'ready') nextState(session.state, 'ready');
      await this.bringUp(session, () => this.driver.resetWorkspace(id, lab.starterFiles));
      return session;
    });
  }

  /**
   * Starts a session's sandbox (a resume, or a reset, which restarts it) and its services, within
   * the limits when it was stopped. On failure the sandbox is left stopped, as the session's state
   * then says (the learner can resume it), or the session is `error` when its sandbox is gone.
   */
  private async bringUp(session: Session, start: () => Promise<void>): Promise<void> {
    if (session.state !== 'ready') this.checkCapacity(session.userId);
    this.starting.add(session.id);
    try {
      await start();
      await startServices(this.driver, session.id, session.services);
      session.state = 'ready';
      session.readyAt = Date.now();
      session.lastActivityAt = Date.now();
    } catch (error) {
      const failure = this.fromDriver(error, session);
      if (session.state !== 'error') {
        await this.driver.stop(session.id).catch(() => undefined);
        session.state = 'stopped';
        session.readyAt = undefined;
      }
      throw failure;
    } finally {
      this.starting.delete(session.id);
      this.updateGauges();
    }
  }

  async destroy(id: string): Promise<void> {
    await this.withSession(id, async (session) => {
      await this.driver.remove(id);
      session.state = 'destroyed';
      this.sessions.delete(id);
      this.updateGauges();
    });
    this.pool.fill();
  }

  /**
   * Runs a command in a ready sandbox (file operations, the server's exec API). It gets the
   * environment of the lab's services (e.g. MLFLOW_TRACKING_URI), under the request's own variables.
   * It waits for a grading of the sandbox to end first (see `whileGrading`).
   */
  async exec(id: string, request: ExecRequest): Promise<ExecResult> {
    await this.gradingsOf(id);
    return this.execDuringGrading(id, request);
  }

  /** `exec` for the grading in progress itself, which must not wait for its own end. */
  async execDuringGrading(id: string, request: ExecRequest): Promise<ExecResult> {
    this.touch(id);
    return this.inReadySandbox(id, (session) =>
      this.driver.exec(id, { ...request, env: { ...labkitEnvironment(session.services), ...request.env } }),
    );
  }

  /**
   * Opens an interactive TTY process in a ready sandbox (the terminal), with the services'
   * environment, once no grading of the sandbox is in progress.
   */
  async attachTerminal(id: string, cmd: string[], size: { cols: number; rows: number }): Promise<TtySession> {
    await this.gradingsOf(id);
    return this.inReadySandbox(id, (session) =>
      this.driver.attachTty(id, cmd, size, labkitEnvironment(session.services)),
    );
  }

  /**
   * Runs `grade` as the sandbox's only grading (gradings queue one behind the other: two would
   * pause and resume each other's learner processes), while the learner's side waits: a terminal
   * opened, a file saved or a command run meanwhile would start a learner process the grading did
   * not pause, which could race the check. The grading's own commands use `execDuringGrading`.
   */
  whileGrading<T>(id: string, grade: () => Promise<T>): Promise<T> {
    return this.gradings.run(id, grade);
  }

  /** Resolves once the gradings of the sandbox queued so far have ended, however they ended. */
  private gradingsOf(id: string): Promise<void> {
    return this.gradings.settled(id);
  }

  /**
   * Makes sure the lab's labkit services answer, starting any that do not (a learner may have
   * stopped one). Cheap when they run: one `curl` per service finds them healthy.
   */
  async ensureServices(id: string): Promise<void> {
    await this.inReadySandbox(id, (session) => startServices(this.driver, id, session.services));
  }

  /** The services of a lab, or none when the lab is gone (a re-adopted sandbox of a removed lab). */
  private servicesOf(labId: string): string[] {
    try {
      return this.options.labs.lab(labId).services;
    } catch {
      return [];
    }
  }

  /** The host unix socket reaching `port` inside a ready sandbox. */
  serviceSocket(id: string, port: number): Promise<string> {
    return this.inReadySandbox(id, () => this.driver.serviceSocket(id, port));
  }

  /** Resource use of a running sandbox (admin views, capacity planning). */
  stats(id: string): Promise<SandboxStats> {
    return this.inReadySandbox(id, () => this.driver.stats(id));
  }

  /** A driver call on a ready sandbox, with the driver's errors turned into the runner's. */
  private async inReadySandbox<T>(id: string, call: (session: Session) => Promise<T>): Promise<T> {
    const session = this.requireReady(id);
    try {
      return await call(session);
    } catch (error) {
      throw this.fromDriver(error, session);
    }
  }

  requireReady(id: string): Session {
    const session = this.get(id);
    if (session.state !== 'ready') {
      throw new RunnerError(
        'SESSION_NOT_READY',
        session.state === 'stopped'
          ? 'The sandbox is stopped (it was idle); resume it first, your work is kept.'
          : `The sandbox is ${session.state}.`,
      );
    }
    return session;
  }

  fromDriver(error: unknown, session: Session): Error {
    if (error instanceof DriverError && error.code === 'SANDBOX_NOT_RUNNING') {
      return new RunnerError('SESSION_NOT_READY', 'The sandbox is not running; resume it first.');
    }
    if (error instanceof DriverError && error.code === 'SANDBOX_NOT_FOUND') {
      session.state = 'error';
      session.error = 'The sandbox container has disappeared.';
      return new RunnerError('SANDBOX_FAILED', session.error);
    }
    return error as Error;
  }

  // ── background work ──────────────────────────────────────────────────────────────────────

  /** Stops idle sessions (work is kept) and destroys expired ones; busy sessions wait a round. */
  async reap(now = Date.now()): Promise<void> {
    await this.reaper.reap(now);
  }

  /** Resolves once the pool is full (for tests and benchmarks). */
  async waitForPool(timeoutMs = 60_000): Promise<void> {
    await this.pool.waitUntilFull(timeoutMs);
  }

  private updateGauges(): void {
    const counts = Object.fromEntries(
      (['creating', 'ready', 'stopped', 'error'] as const).map((state) => [state, 0]),
    ) as Record<string, number>;
    for (const session of this.sessions.values()) {
      if (session.state in counts) counts[session.state]!++;
    }
    for (const [state, value] of Object.entries(counts)) this.options.metrics.sessions.set({ state }, value);
    this.options.metrics.poolSize.set(this.pool.count);
  }

  /** Removes every sandbox this runner owns, sessions and pool alike (tests, decommissioning). */
  async reapAll(): Promise<string[]> {
    this.sessions.clear();
    this.pool.forget();
    this.updateGauges();
    return this.driver.reapOrphans(() => false);
  }

  /** Sandbox info for admin views. */
  async sandboxes(): Promise<SandboxInfo[]> {
    return this.driver.list();
  }
}
