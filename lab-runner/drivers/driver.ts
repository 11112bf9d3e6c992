/**
 * How sandboxes are made: the session manager decides *what* a learner's sandbox is and *when* it
 * changes state; a driver knows *how* to make one with a container engine. Docker today
 * (drivers/docker.ts); a Kubernetes driver can implement the same interface later.
 */
import type { Duplex } from 'node:stream';
import type { SandboxStats } from '../api/sessions';

export type SandboxResources = {
  cpus: number;
  memoryMb: number;
  /** Size of the learner's persistent home (workspace included). */
  diskMb: number;
  pids: number;
  tmpMb: number;
};

export const defaultSandboxResources: SandboxResources = {
  cpus: 1,
  memoryMb: 1024,
  diskMb: 512,
  pids: 512,
  tmpMb: 256,
};

/** What the driver records on a sandbox so a restarted runner can re-adopt it. */
export type SandboxLabels = {
  sessionId: string;
  /** Empty for an unassigned warm-pool sandbox. */
  userId: string;
  labId: string;
  /** Epoch milliseconds after which the sandbox is destroyed whatever its state. */
  expiresAt: number;
  isPool: boolean;
};

export type SandboxSpec = {
  labels: SandboxLabels;
  image: string;
  resources: SandboxResources;
  /** Files copied into /home/learner/work before the learner first sees the sandbox. */
  starterFiles?: StarterFile[];
};

export type StarterFile = { path: string; content: Buffer; mode?: number };

export type SandboxUser = 'learner' | 'grader' | 'labkit';

/** The image's fixed user ids (`lab-runner/image/setup-rootfs.sh`); execs name users by number. */
export const sandboxUids = { learner: 1000, grader: 1001, bridge: 1002, labkit: 1003 } as const;

/**
 * Who runs a sandbox's labkit services and where, inside it, they keep their data and logs.
 * Sandboxes made now run them as the `labkit` user with a folder only it can write
 * ({@link labkitServicesAccount}), so a learner can neither stop them, take their port while they
 * run, nor touch their data. A sandbox made by an older runner has no such folder: it keeps running
 * them as the learner in `~/.labkit` ({@link learnerServicesAccount}) until it expires.
 */
export type ServicesAccount = { user: 'labkit' | 'learner'; dataDir: string };

export const labkitServicesAccount: ServicesAccount = { user: 'labkit', dataDir: '/var/lib/labkit' };
export const learnerServicesAccount: ServicesAccount = {
  user: 'learner',
  dataDir: '/home/learner/.labkit',
};

export type ExecRequest = {
  cmd: string[];
  user: SandboxUser;
  timeoutMs: number;
  workingDir?: string;
  env?: Record<string, string>;
  stdin?: Buffer;
  /** Bytes kept of each of stdout and stderr; the rest is counted, not kept. */
  outputLimitBytes: number;
  /**
   * Which bytes are kept when there are more: the first (the default), or the last, as a step's
   * runs keep them (a crash's message is at the end of its output).
   */
  keep?: 'head' | 'tail';
};

export type ExecResult = {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
};

/** One interactive process with a TTY (the terminal), as a raw duplex byte stream. */
export type TtySession = {
  stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  /** Ends the process (and only it): the learner's shell state lives on in tmux. */
  close(): Promise<void>;
};

export type SandboxInfo = {
  labels: SandboxLabels;
  containerId: string;
  isRunning: boolean;
  createdAt: number;
  servicesAccount: ServicesAccount;
};

export type { SandboxStats } from '../api/sessions';

/**
 * What a driver throws when the engine cannot do what was asked: the sandbox is gone, is not
 * running, or the engine itself failed. The session manager turns these into the runner's errors.
 */
export class DriverError extends Error {
  override name = 'DriverError';
  constructor(
    readonly code: 'SANDBOX_NOT_FOUND' | 'SANDBOX_NOT_RUNNING' | 'ENGINE_ERROR',
    message: string,
  ) {
    super(message);
  }
}

export interface SandboxDriver {
  /** Creates and starts a sandbox; resolves when a learner shell works in it. */
  create(spec: SandboxSpec): Promise<SandboxInfo>;
  start(sessionId: string): Promise<void>;
  stop(sessionId: string): Promise<void>;
  /** Removes the sandbox and its workspace. Idempotent. */
  remove(sessionId: string): Promise<void>;
  /** Replaces the workspace with fresh starter files (the sandbox is stopped and started around it). */
  resetWorkspace(sessionId: string, starterFiles: StarterFile[]): Promise<void>;
  /** Hands an unassigned pool sandbox to a learner. */
  assign(
    sessionId: string,
    labels: SandboxLabels,
    resources: SandboxResources,
    starterFiles: StarterFile[],
  ): Promise<void>;
  exec(sessionId: string, request: ExecRequest): Promise<ExecResult>;
  /** An interactive process with a TTY as the learner; `env` adds to the terminal's variables. */
  attachTty(
    sessionId: string,
    cmd: string[],
    size: { cols: number; rows: number },
    env?: Record<string, string>,
  ): Promise<TtySession>;
  /** Who runs the sandbox's labkit services, and their data folder inside it. */
  servicesAccount(sessionId: string): Promise<ServicesAccount>;
  /** Path on this host of the unix socket that reaches `port` inside the sandbox. */
  serviceSocket(sessionId: string, port: number): Promise<string>;
  stats(sessionId: string): Promise<SandboxStats>;
  /** Every sandbox this runner owns (labelled as ours), for re-adoption after a restart. */
  list(): Promise<SandboxInfo[]>;
  /** Removes containers and workspaces labelled as ours that `keep` rejects. Touches nothing else. */
  reapOrphans(keep: (info: SandboxInfo) => boolean): Promise<string[]>;
}
