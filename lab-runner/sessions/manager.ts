/**
 * Owns learner sessions: what state each is in and when it changes. Every container operation goes
 * through the driver. A warm pool of ready, unassigned sandboxes makes "Start lab" instant.
 */
import pLimit from 'p-limit';
import { newSessionId, type SessionCapacity, type SessionStartKind, type SessionView } from '../api/sessions';
import {
  defaultSandboxResources,
  DriverError,
  type ExecRequest,
  type ExecResult,
  type SandboxDriver,
  type SandboxInfo,
  type SandboxResources,
  type SandboxStats,
  type TtySession,
} from '../drivers/driver';
import {
  isLabkitService,
  labkitEnvironment,
  labkitServiceNames,
  labkitServices,
} from '../api/labkit-services';
import type { LabCatalog, LabSandbox } from '../labs';
import { RunnerError } from '../errors';
import type { RunnerMetrics } from '../server/metrics';
import { nextState, type SessionState } from './state';

export type Session = {
  id: string;
  userId: string;
  labId: string;
  /** The labkit services the lab runs in the sandbox (`services:` in lab.yaml). */
  services: string[];
  state: SessionState;
  createdAt: number;
  readyAt?: number;
  lastActivityAt: number;
  expiresAt: number;
  startKind?: SessionStartKind;
  /** Why the session failed, in plain words. */
  error?: string;
  /** Read-only terminals open on it now (an instructor watching); kept in memory only. */
  viewers?: number;
};

export function viewOf(session: Session, idleStopMs: number): SessionView {
  const iso = (ms?: number) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    id: session.id,
    userId: session.userId,
    labId: session.labId,
    state: session.state,
    createdAt: iso(session.createdAt),
    readyAt: iso(session.readyAt),
    lastActivityAt: iso(session.lastActivityAt),
    idleStopAt: session.state === 'ready' ? iso(session.lastActivityAt + idleStopMs) : null,
    expiresAt: iso(session.expiresAt),
    startKind: session.startKind ?? null,
    error: session.error ?? null,
    viewers: session.viewers ?? 0,
  };
}

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
  log?: (message: string) => void;
};

type PoolEntry = { id: string; image: string; resources: SandboxResources };

const reaperIntervalMs = 15_000;
/** `labkit services up` starts each service and waits for its health check (15 s at most each). */
const servicesUpTimeoutMs = 40_000;
/**
 * Container creations in flight at once. Docker serialises much of a creation internally; dozens
 * in parallel (a workshop starting) thrash it, so a few at a time finish sooner overall.
 */
export const defaultConcurrentCreates = 4;
const isActive = (session: Session) => session.state === 'creating' || session.state === 'ready';

/**
 * A shell script (run as `sh -c <script> labkit-services`) that succeeds at once when every service
 * answers its health check, and otherwise runs `labkit services up` for them.
 */
export function servicesUpScript(services: readonly string[]): string {
  const names = services.filter(isLabkitService);
  if (!names.length) return 'true';
  const probes = names.map((name) => {
    const service = labkitServices[name];
    return `curl -sf -m 1 -o /dev/null http://127.0.0.1:${service.port}${service.healthPath}`;
  });
  return `${probes.join(' && ')} || exec labkit services up ${names.join(' ')}`;
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly pool: PoolEntry[] = [];
  private poolFilling = 0;
  private readonly locks = new Map<string, Promise<unknown>>();
  private reaperTimer?: NodeJS.Timeout;
  private isClosed = false;
  private readonly log: (message: string) => void;
  private readonly createSlots: ReturnType<typeof pLimit>;

  constructor(private readonly options: SessionManagerOptions) {
    this.log = options.log ?? (() => undefined);
    this.createSlots = pLimit(options.concurrentCreates ?? defaultConcurrentCreates);
  }

  // ── startup and shutdown ──────────────────────────────────────────────────────────────────

  /** Re-adopts our sandboxes after a restart, reaps what is not ours to keep, fills the pool. */
  async start(): Promise<void> {
    const now = Date.now();
    const adopted = new Set<string>();
    for (const info of await this.options.driver.list()) {
      const { labels } = info;
      if (labels.expiresAt <= now) continue;
      if (labels.isPool) {
        if (info.isRunning && this.pool.length < this.options.poolSize) {
          this.pool.push({
            id: labels.sessionId,
            image: this.options.defaultImage,
            resources: defaultSandboxResources,
          });
          adopted.add(labels.sessionId);
        }
        continue;
      }
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
      adopted.add(labels.sessionId);
    }
    const reaped = await this.options.driver.reapOrphans((info) => adopted.has(info.labels.sessionId));
    this.log(`adopted ${adopted.size} sandbox(es), reaped ${reaped.length}`);
    this.updateGauges();
    this.reaperTimer = setInterval(() => void this.reap(), reaperIntervalMs);
    this.reaperTimer.unref();
    this.fillPool();
  }

  /** Stops background work. Sandboxes keep running so a restarted runner re-adopts them. */
  async close(): Promise<void> {
    this.isClosed = true;
    clearInterval(this.reaperTimer);
    await Promise.allSettled([...this.locks.values()]);
  }

  /** Removes the warm pool's sandboxes (they hold resources but no learner work). */
  async drainPool(): Promise<void> {
    const entries = this.pool.splice(0);
    await Promise.allSettled(entries.map((entry) => this.options.driver.remove(entry.id)));
    this.updateGauges();
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
    return this.pool.length;
  }

  /** What the limits are and how much of them is in use (creating and ready sandboxes count). */
  capacity(): SessionCapacity {
    const live = this.list();
    return {
      maxSessions: this.options.maxSessions,
      maxSessionsPerUser: this.options.maxSessionsPerUser,
      poolSize: this.options.poolSize,
      poolReady: this.pool.length,
      active: live.filter(isActive).length,
      stopped: live.filter((s) => s.state === 'stopped').length,
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
   * The learner's sandbox for a lab: the existing one (resumed if it was stopped), or a new one,
   * taken from the warm pool when one fits. Resolves once the shell works and the lab's services
   * answer.
   */
  async create(userId: string, labId: string): Promise<{ session: Session; isNew: boolean }> {
    const lab = this.options.labs.get(labId);
    const existing = this.list({ userId }).find((s) => s.labId === labId && s.state !== 'error');
    if (existing) {
      if (existing.state === 'stopped') await this.resume(existing.id);
      return { session: existing, isNew: false };
    }
    this.checkCapacity(userId);

    const now = Date.now();
    const ttlMs = Math.min(this.options.sessionTtlMs, (lab.timeLimitMinutes ?? Infinity) * 60_000);
    const poolEntry = this.takeFromPool(this.imageFor(lab), lab.resources);
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
      await this.withLock(session.id, async () => {
        await this.provision(session, lab, poolEntry);
        await this.startServices(session);
      });
      session.state = nextState(session.state, 'ready');
      session.readyAt = Date.now();
      this.options.metrics.startSeconds.observe(
        { kind: session.startKind! },
        (performance.now() - started) / 1000,
      );
      return { session, isNew: true };
    } catch (error) {
      session.state = 'error';
      session.error = `The sandbox could not be started: ${(error as Error).message}`;
      this.log(`session ${session.id} failed to start: ${(error as Error).message}`);
      void this.options.driver.remove(session.id).catch(() => undefined);
      throw new RunnerError('SANDBOX_FAILED', session.error);
    } finally {
      this.updateGauges();
      this.fillPool();
    }
  }

  private imageFor(lab: LabSandbox): string {
    return this.options.imageOverride ?? lab.image ?? this.options.defaultImage;
  }

  private takeFromPool(image: string, resources: SandboxResources): PoolEntry | undefined {
    const index = this.pool.findIndex(
      (entry) => entry.image === image && entry.resources.diskMb === resources.diskMb,
    );
    return index === -1 ? undefined : this.pool.splice(index, 1)[0];
  }

  private async provision(session: Session, lab: LabSandbox, poolEntry?: PoolEntry): Promise<void> {
    const labels = {
      sessionId: session.id,
      userId: session.userId,
      labId: session.labId,
      expiresAt: session.expiresAt,
      isPool: false,
    };
    if (poolEntry) {
      await this.options.driver.assign(session.id, labels, lab.resources, lab.starterFiles);
      // The pool started every labkit service ahead; a lab without them should not keep them
      // running. Done in the background: the sandbox is usable meanwhile, and 30 learners starting
      // at once do not queue 30 more execs before their shells.
      if (!lab.services.length) {
        void this.stopPoolServices(session.id).catch((error: unknown) =>
          this.log(`session ${session.id}: could not stop the pool's services: ${(error as Error).message}`),
        );
      }
      session.startKind = 'warm';
      return;
    }
    await this.createSlots(() =>
      this.options.driver.create({
        labels,
        image: this.imageFor(lab),
        resources: lab.resources,
        starterFiles: lab.starterFiles,
      }),
    );
    session.startKind = 'cold';
  }

  private checkCapacity(userId: string): void {
    const active = this.list().filter(isActive);
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

  async stop(id: string): Promise<Session> {
    const session = this.get(id);
    return this.withLock(id, async () => {
      if (session.state === 'stopped') return session;
      nextState(session.state, 'stopped');
      await this.options.driver.stop(id);
      session.state = 'stopped';
      session.readyAt = undefined;
      this.updateGauges();
      return session;
    });
  }

  async resume(id: string): Promise<Session> {
    const session = this.get(id);
    return this.withLock(id, async () => {
      if (session.state === 'ready') return session;
      nextState(session.state, 'ready');
      this.checkCapacity(session.userId);
      await this.options.driver.start(id);
      await this.startServices(session);
      session.state = 'ready';
      session.readyAt = Date.now();
      session.lastActivityAt = Date.now();
      this.updateGauges();
      return session;
    });
  }

  /** Restores the lab's starter files; everything the learner changed is lost. */
  async reset(id: string): Promise<Session> {
    const session = this.get(id);
    const lab = this.options.labs.get(session.labId);
    return this.withLock(id, async () => {
      if (session.state !== 'ready' && session.state !== 'stopped') nextState(session.state, 'ready');
      await this.options.driver.resetWorkspace(id, lab.starterFiles);
      await this.startServices(session);
      session.state = 'ready';
      session.readyAt = Date.now();
      session.lastActivityAt = Date.now();
      this.updateGauges();
      return session;
    });
  }

  async destroy(id: string): Promise<void> {
    const session = this.get(id);
    await this.withLock(id, async () => {
      await this.options.driver.remove(id);
      session.state = 'destroyed';
      this.sessions.delete(id);
      this.updateGauges();
    });
  }

  /**
   * Runs a command in a ready sandbox (the grader's entry point). It gets the environment of the
   * lab's services (e.g. MLFLOW_TRACKING_URI), under the request's own variables.
   */
  async exec(id: string, request: ExecRequest): Promise<ExecResult> {
    this.touch(id);
    const env = { ...labkitEnvironment(this.get(id).services), ...request.env };
    return this.inReadySandbox(id, () => this.options.driver.exec(id, { ...request, env }));
  }

  /** Opens an interactive TTY process in a ready sandbox (the terminal), with the services' environment. */
  attachTerminal(id: string, cmd: string[], size: { cols: number; rows: number }): Promise<TtySession> {
    const env = labkitEnvironment(this.get(id).services);
    return this.inReadySandbox(id, () => this.options.driver.attachTty(id, cmd, size, env));
  }

  /**
   * Makes sure the lab's labkit services answer, starting any that do not (a learner may have
   * stopped one). Cheap when they run: one `labkit services up` that finds them healthy.
   */
  async ensureServices(id: string): Promise<void> {
    const session = this.requireReady(id);
    try {
      await this.startServices(session);
    } catch (error) {
      throw this.fromDriver(error, session);
    }
  }

  /**
   * `labkit services up <services…>` as the learner; throws when one does not come up. When they
   * all answer already (a warm-pool sandbox starts them ahead; a check finds them running), a
   * `curl` per health check settles it without starting Node.
   */
  private async startServices(session: Session): Promise<void> {
    if (!session.services.length) return;
    const result = await this.options.driver.exec(session.id, {
      cmd: ['sh', '-c', servicesUpScript(session.services), 'labkit-services'],
      user: 'learner',
      timeoutMs: servicesUpTimeoutMs,
      workingDir: '/home/learner',
      env: { HOME: '/home/learner' },
      outputLimitBytes: 16 * 1024,
    });
    if (result.exitCode !== 0) {
      const why = result.timedOut
        ? `no answer within ${servicesUpTimeoutMs / 1000} s`
        : (result.stderr || result.stdout).trim().split('\n').slice(-6).join('\n');
      throw new RunnerError(
        'SANDBOX_FAILED',
        `The lab's services (${session.services.join(', ')}) did not start: ${why}`,
      );
    }
  }

  /**
   * Starts every labkit service in a warm-pool sandbox, so a lab that uses them is ready at once
   * (about 0.7 s saved; each idle service costs some 35 MB). A failure only costs that saving.
   */
  private async startPoolServices(id: string): Promise<void> {
    const result = await this.options.driver
      .exec(id, {
        cmd: ['sh', '-c', servicesUpScript(labkitServiceNames), 'labkit-services'],
        user: 'learner',
        timeoutMs: servicesUpTimeoutMs,
        workingDir: '/home/learner',
        env: { HOME: '/home/learner' },
        outputLimitBytes: 16 * 1024,
      })
      .catch((error: unknown) => ({ exitCode: -1, stderr: (error as Error).message, stdout: '' }));
    if (result.exitCode !== 0)
      this.log(`warm pool: labkit services did not start in ${id}: ${result.stderr.trim()}`);
  }

  /**
   * Stops the services the pool started and removes their (empty) data, for a lab without services.
   * (The pattern's brackets keep pkill from matching this very shell's command line.)
   */
  private async stopPoolServices(id: string): Promise<void> {
    await this.options.driver.exec(id, {
      cmd: [
        'sh',
        '-c',
        'pkill -u learner -f "[/]opt/labkit/lib/labkit[.]mjs serve" ; rm -rf "$HOME/.labkit"; true',
      ],
      user: 'learner',
      timeoutMs: 10_000,
      workingDir: '/home/learner',
      env: { HOME: '/home/learner' },
      outputLimitBytes: 4 * 1024,
    });
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
    return this.inReadySandbox(id, () => this.options.driver.serviceSocket(id, port));
  }

  /** Resource use of a running sandbox (admin views, capacity planning). */
  stats(id: string): Promise<SandboxStats> {
    return this.inReadySandbox(id, () => this.options.driver.stats(id));
  }

  /** A driver call on a ready sandbox, with the driver's errors turned into the runner's. */
  private async inReadySandbox<T>(id: string, call: () => Promise<T>): Promise<T> {
    const session = this.requireReady(id);
    try {
      return await call();
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

  /** Stops idle sessions (work is kept) and destroys expired ones. */
  async reap(now = Date.now()): Promise<void> {
    for (const session of this.list()) {
      if (this.locks.has(session.id)) continue;
      try {
        if (session.expiresAt <= now) {
          this.log(`session ${session.id} reached its time limit; destroying`);
          await this.destroy(session.id);
        } else if (session.state === 'ready' && now - session.lastActivityAt >= this.options.idleStopMs) {
          this.log(`session ${session.id} idle; stopping (work kept)`);
          await this.stop(session.id);
        }
      } catch (error) {
        this.log(`reaper: session ${session.id}: ${(error as Error).message}`);
      }
    }
  }

  /** Keeps `poolSize` warm sandboxes, making them one at a time so learners' starts come first. */
  private fillPool(): void {
    if (this.isClosed || this.poolFilling > 0) return;
    const missing = this.options.poolSize - this.pool.length;
    if (missing <= 0) return;
    if (
      this.list().filter(isActive).length + this.pool.length >=
      this.options.maxSessions + this.options.poolSize
    ) {
      return;
    }
    this.poolFilling++;
    const id = newSessionId();
    const image = this.options.defaultImage;
    this.options.driver
      .create({
        labels: {
          sessionId: id,
          userId: '',
          labId: '',
          expiresAt: Date.now() + 7 * 24 * 3_600_000,
          isPool: true,
        },
        image,
        resources: defaultSandboxResources,
      })
      .then(async () => {
        if (!this.isClosed) await this.startPoolServices(id);
        if (this.isClosed) {
          await this.options.driver.remove(id);
          return;
        }
        this.pool.push({ id, image, resources: defaultSandboxResources });
      })
      .catch((error: unknown) =>
        this.log(`warm pool: could not create a sandbox: ${(error as Error).message}`),
      )
      .finally(() => {
        this.poolFilling--;
        this.updateGauges();
        this.fillPool();
      });
  }

  /** Resolves once the pool is full (for tests and benchmarks). */
  async waitForPool(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pool.length < this.options.poolSize) {
      if (Date.now() > deadline) throw new Error(`warm pool not full after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private updateGauges(): void {
    const counts = Object.fromEntries(
      (['creating', 'ready', 'stopped', 'error'] as const).map((state) => [state, 0]),
    ) as Record<string, number>;
    for (const session of this.sessions.values()) {
      if (session.state in counts) counts[session.state]!++;
    }
    for (const [state, value] of Object.entries(counts)) this.options.metrics.sessions.set({ state }, value);
    this.options.metrics.poolSize.set(this.pool.length);
  }

  /** Serialises operations on one session (stop, resume, reset, destroy never interleave). */
  private withLock<T>(id: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(operation);
    this.locks.set(id, next);
    void next
      .catch(() => undefined)
      .finally(() => {
        if (this.locks.get(id) === next) this.locks.delete(id);
      });
    return next;
  }

  /** Removes every sandbox this runner owns, sessions and pool alike (tests, decommissioning). */
  async reapAll(): Promise<string[]> {
    this.sessions.clear();
    this.pool.splice(0);
    this.updateGauges();
    return this.options.driver.reapOrphans(() => false);
  }

  /** Sandbox info for admin views. */
  async sandboxes(): Promise<SandboxInfo[]> {
    return this.options.driver.list();
  }
}
