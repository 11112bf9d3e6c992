/**
 * An in-memory SandboxDriver for tests that must not need Docker. It keeps what DockerDriver shows
 * from the outside: sandboxes with labels, running or stopped, a workspace of files (the starter
 * files on create and assign, replaced on resetWorkspace, the sandbox running afterwards), `list()`
 * and `reapOrphans(keep)` over this runner's sandboxes only, an idempotent `remove`, and the same
 * DriverError codes: SANDBOX_NOT_FOUND for an unknown id, SANDBOX_NOT_RUNNING for exec, attachTty,
 * serviceSocket and stats on a stopped sandbox. A failed create leaves nothing behind.
 *
 * `new FakeDriver()` works as is: every exec succeeds with exit code 0 and no output (so
 * `labkit services up` "works"), a terminal echoes what is written to it, and `serviceSocket`
 * answers a path where no socket listens. Tests script the rest:
 *
 * - `onExec((sessionId, request) => result)` answers execs (a partial result, sync or async);
 * - `failNext(method, error)` makes the next call of a method reject (queued per method);
 * - `gate(method)` holds the next call of a method until the test opens it, so races are
 *   provoked in a chosen order: `const g = driver.gate('create'); … await g.reached; … g.open()`;
 * - `seed({ labels, … })` plants a sandbox as a previous runner left it (or another runner's,
 *   with `isForeign`; or an older runner's, whose services run as the learner, with
 *   `servicesAccount: learnerServicesAccount`), for re-adoption tests;
 * - `calls`, `sandbox(id)`, `sandboxIds()`, `files(id)` tell what happened and what is left.
 */
import { PassThrough } from 'node:stream';
import {
  defaultSandboxResources,
  DriverError,
  labkitServicesAccount,
  type ExecRequest,
  type ExecResult,
  type SandboxDriver,
  type SandboxInfo,
  type SandboxLabels,
  type SandboxResources,
  type SandboxSpec,
  type SandboxStats,
  type ServicesAccount,
  type StarterFile,
  type TtySession,
} from './driver';

export type FakeSandbox = {
  labels: SandboxLabels;
  image: string;
  resources: SandboxResources;
  isRunning: boolean;
  createdAt: number;
  containerId: string;
  /** The learner's work folder: relative path → content. */
  files: Map<string, Buffer>;
  /**
   * Another runner's sandbox on the same engine: `list` and `reapOrphans` never see it (calls by
   * id still reach it, as Docker's container names are shared by every runner).
   */
  isForeign: boolean;
  /** The labkit user for every sandbox made here; the learner for one seeded as an older runner's. */
  servicesAccount: ServicesAccount;
};

export type FakeDriverMethod = keyof SandboxDriver;

export type FakeDriverCall = { method: FakeDriverMethod; sessionId?: string; args: unknown[] };

export type ExecHandler = (
  sessionId: string,
  request: ExecRequest,
) => Partial<ExecResult> | void | Promise<Partial<ExecResult> | void>;

/** A held call: `reached` resolves (with the call's session id) once a call waits at the gate. */
export type Gate = {
  reached: Promise<string | undefined>;
  open(): void;
  /** Lets the held call go on by failing with `error`. */
  fail(error: Error): void;
};

export type FakeDriverOptions = {
  /** The clock for sandboxes' `createdAt` (epoch ms). */
  now?: () => number;
  /** Folder named in the socket paths `serviceSocket` answers (nothing is created there). */
  socketsDir?: string;
};

type PendingGate = { arrive(sessionId: string | undefined): Promise<void> };

const okExec: ExecResult = { exitCode: 0, stdout: '', stderr: '', timedOut: false, truncated: false };
const fakeStats: Omit<SandboxStats, 'diskUsedBytes'> = {
  memoryBytes: 64 * 1024 * 1024,
  cpuPercent: 0,
  pids: 4,
};

export class FakeDriver implements SandboxDriver {
  readonly calls: FakeDriverCall[] = [];
  private readonly boxes = new Map<string, FakeSandbox>();
  private readonly failures = new Map<FakeDriverMethod, Error[]>();
  private readonly gates = new Map<FakeDriverMethod, PendingGate[]>();
  private execHandler: ExecHandler = () => undefined;
  private nextContainer = 0;
  private readonly now: () => number;
  private readonly socketsDir: string;

  constructor(options: FakeDriverOptions = {}) {
    this.now = options.now ?? Date.now;
    this.socketsDir = options.socketsDir ?? '/run/fake-sandboxes';
  }

  // ── scripting and inspection ──────────────────────────────────────────────────────────────

  /** Answers every later exec; fields left out default to a success with no output. */
  onExec(handler: ExecHandler): void {
    this.execHandler = handler;
  }

  /** The next call of `method` rejects with `error` (after any gate), doing nothing. */
  failNext(method: FakeDriverMethod, error: Error): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** Holds the next call of `method` before it does anything, until the test opens the gate. */
  gate(method: FakeDriverMethod): Gate {
    let signalReached!: (sessionId: string | undefined) => void;
    let release!: (error?: Error) => void;
    const reached = new Promise<string | undefined>((resolve) => (signalReached = resolve));
    const released = new Promise<Error | undefined>((resolve) => (release = resolve));
    this.gates.set(method, [
      ...(this.gates.get(method) ?? []),
      {
        arrive: async (sessionId) => {
          signalReached(sessionId);
          const error = await released;
          if (error) throw error;
        },
      },
    ]);
    return { reached, open: () => release(), fail: (error) => release(error) };
  }

  /** Plants a sandbox as if a previous runner (or, with `isForeign`, another runner) had made it. */
  seed(sandbox: {
    labels: SandboxLabels;
    isRunning?: boolean;
    createdAt?: number;
    image?: string;
    resources?: SandboxResources;
    files?: StarterFile[];
    isForeign?: boolean;
    servicesAccount?: ServicesAccount;
  }): FakeSandbox {
    const box: FakeSandbox = {
      labels: { ...sandbox.labels },
      image: sandbox.image ?? 'fake-image',
      resources: sandbox.resources ?? defaultSandboxResources,
      isRunning: sandbox.isRunning ?? true,
      createdAt: sandbox.createdAt ?? this.now(),
      containerId: this.newContainerId(),
      files: filesOf(sandbox.files ?? []),
      isForeign: sandbox.isForeign ?? false,
      servicesAccount: sandbox.servicesAccount ?? labkitServicesAccount,
    };
    this.boxes.set(sandbox.labels.sessionId, box);
    return box;
  }

  /** A sandbox of this runner or another, or undefined. */
  sandbox(sessionId: string): FakeSandbox | undefined {
    return this.boxes.get(sessionId);
  }

  /** Ids of this runner's sandboxes, sorted. */
  sandboxIds(): string[] {
    return [...this.boxes.values()]
      .filter((box) => !box.isForeign)
      .map((box) => box.labels.sessionId)
      .sort();
  }

  /** A sandbox's workspace as text, by relative path. */
  files(sessionId: string): Record<string, string> {
    const box = this.require(sessionId);
    return Object.fromEntries([...box.files].map(([file, content]) => [file, content.toString('utf8')]));
  }

  /** Calls made of one method, oldest first. */
  callsOf(method: FakeDriverMethod): FakeDriverCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Where `serviceSocket` says the bridge for `port` listens. */
  socketPath(sessionId: string, port: number): string {
    return `${this.socketsDir}/${sessionId}/${port}.sock`;
  }

  // ── SandboxDriver ─────────────────────────────────────────────────────────────────────────

  async create(spec: SandboxSpec): Promise<SandboxInfo> {
    const { sessionId } = spec.labels;
    await this.enter('create', sessionId, [spec]);
    if (this.boxes.has(sessionId)) {
      throw new DriverError('ENGINE_ERROR', `a sandbox ${sessionId} exists already`);
    }
    const box: FakeSandbox = {
      labels: { ...spec.labels },
      image: spec.image,
      resources: spec.resources,
      isRunning: true,
      createdAt: this.now(),
      containerId: this.newContainerId(),
      files: filesOf(spec.starterFiles ?? []),
      isForeign: false,
      servicesAccount: labkitServicesAccount,
    };
    this.boxes.set(sessionId, box);
    return infoOf(box);
  }

  async start(sessionId: string): Promise<void> {
    await this.enter('start', sessionId, []);
    this.require(sessionId).isRunning = true;
  }

  async stop(sessionId: string): Promise<void> {
    await this.enter('stop', sessionId, []);
    this.require(sessionId).isRunning = false;
  }

  async remove(sessionId: string): Promise<void> {
    await this.enter('remove', sessionId, []);
    this.boxes.delete(sessionId);
  }

  async resetWorkspace(sessionId: string, starterFiles: StarterFile[]): Promise<void> {
    await this.enter('resetWorkspace', sessionId, [starterFiles]);
    const box = this.require(sessionId);
    box.files = filesOf(starterFiles);
    box.isRunning = true;
  }

  async assign(
    sessionId: string,
    labels: SandboxLabels,
    resources: SandboxResources,
    starterFiles: StarterFile[],
  ): Promise<void> {
    await this.enter('assign', sessionId, [labels, resources, starterFiles]);
    const box = this.require(sessionId);
    box.labels = { ...labels };
    box.resources = resources;
    for (const [file, content] of filesOf(starterFiles)) box.files.set(file, content);
  }

  async exec(sessionId: string, request: ExecRequest): Promise<ExecResult> {
    await this.enter('exec', sessionId, [request]);
    this.requireRunning(sessionId);
    return { ...okExec, ...(await this.execHandler(sessionId, request)) };
  }

  async attachTty(
    sessionId: string,
    cmd: string[],
    size: { cols: number; rows: number },
    env?: Record<string, string>,
  ): Promise<TtySession> {
    await this.enter('attachTty', sessionId, [cmd, size, env]);
    this.requireRunning(sessionId);
    // What is written comes back: a terminal that echoes.
    const stream = new PassThrough();
    return {
      stream,
      resize: async () => undefined,
      close: async () => {
        stream.destroy();
      },
    };
  }

  async servicesAccount(sessionId: string): Promise<ServicesAccount> {
    await this.enter('servicesAccount', sessionId, []);
    return this.require(sessionId).servicesAccount;
  }

  async serviceSocket(sessionId: string, port: number): Promise<string> {
    await this.enter('serviceSocket', sessionId, [port]);
    this.requireRunning(sessionId);
    return this.socketPath(sessionId, port);
  }

  async stats(sessionId: string): Promise<SandboxStats> {
    await this.enter('stats', sessionId, []);
    const box = this.requireRunning(sessionId);
    const diskUsedBytes = [...box.files.values()].reduce((sum, content) => sum + content.length, 0);
    return { ...fakeStats, diskUsedBytes };
  }

  async list(): Promise<SandboxInfo[]> {
    await this.enter('list', undefined, []);
    return [...this.boxes.values()].filter((box) => !box.isForeign).map(infoOf);
  }

  async reapOrphans(keep: (info: SandboxInfo) => boolean): Promise<string[]> {
    await this.enter('reapOrphans', undefined, [keep]);
    const reaped: string[] = [];
    for (const box of [...this.boxes.values()]) {
      if (box.isForeign || keep(infoOf(box))) continue;
      this.boxes.delete(box.labels.sessionId);
      reaped.push(box.labels.sessionId);
    }
    return reaped;
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  /** Every call starts here: recorded, held at a gate if one is set, failed if a failure is queued. */
  private async enter(method: FakeDriverMethod, sessionId: string | undefined, args: unknown[]) {
    this.calls.push({ method, sessionId, args });
    const gate = this.gates.get(method)?.shift();
    if (gate) await gate.arrive(sessionId);
    const failure = this.failures.get(method)?.shift();
    if (failure) throw failure;
  }

  private require(sessionId: string): FakeSandbox {
    const box = this.boxes.get(sessionId);
    if (!box) throw new DriverError('SANDBOX_NOT_FOUND', `no sandbox ${sessionId}`);
    return box;
  }

  private requireRunning(sessionId: string): FakeSandbox {
    const box = this.require(sessionId);
    if (!box.isRunning) {
      throw new DriverError('SANDBOX_NOT_RUNNING', `sandbox ${sessionId} is not running`);
    }
    return box;
  }

  private newContainerId(): string {
    this.nextContainer++;
    return `fake-${String(this.nextContainer).padStart(12, '0')}`;
  }
}

function filesOf(starterFiles: StarterFile[]): Map<string, Buffer> {
  return new Map(starterFiles.map((file) => [file.path, Buffer.from(file.content)]));
}

function infoOf(box: FakeSandbox): SandboxInfo {
  return {
    labels: { ...box.labels },
    containerId: box.containerId,
    isRunning: box.isRunning,
    createdAt: box.createdAt,
    servicesAccount: box.servicesAccount,
  };
}
