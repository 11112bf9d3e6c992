/**
 * The Docker driver: one hardened container per sandbox, through dockerode only (DOCKER_HOST is
 * honoured by dockerode itself). docs/lab-runner.md ("Hardening") says why each setting is there
 * and which attack it stops.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import {
  DriverError,
  labkitServicesAccount,
  learnerServicesAccount,
  sandboxUids,
  type ExecRequest,
  type ExecResult,
  type SandboxDriver,
  type SandboxInfo,
  type SandboxLabels,
  type SandboxResources,
  type SandboxSpec,
  type SandboxStats,
  type SandboxUser,
  type ServicesAccount,
  type StarterFile,
  type TtySession,
} from './driver';
import {
  addStarterFilesToPristineWorkspace,
  createWorkspace,
  ensureWorkspaceMounted,
  removeWorkspace,
  sandboxRecordPath,
  unmountWorkspace,
  workspaceDiskUsage,
  workspacePaths,
  type VolumeLayout,
  type WorkspacePaths,
} from './workspace-volume';

export const labelKeys = {
  /** Which runner owns the sandbox: several runners (or a test run) may share one engine. */
  runner: 'mlops-academy.runner',
  session: 'mlops-academy.session',
  user: 'mlops-academy.user',
  lab: 'mlops-academy.lab',
  expires: 'mlops-academy.expires',
  pool: 'mlops-academy.pool',
} as const;

const users = Object.fromEntries(
  Object.entries(sandboxUids).map(([name, uid]) => [name, `${uid}:${uid}`]),
) as Record<SandboxUser | 'bridge', string>;

/** The layout of every sandbox made now (workspace-volume.ts); a record without one is older. */
const currentLayout: VolumeLayout = 'home-and-labkit';

const containerNamePrefix = 'mlops-academy-';
const stopTimeoutSeconds = 5;
const readyTimeoutMs = 15_000;
const logMaxSize = '1m';
const openFilesLimit = 1024;
const shmSizeBytes = 64 * 1024 * 1024;
/** Grace period after `timeout` (the coreutils command) before the runner gives up on an exec. */
const execGraceMs = 5_000;

function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

function labelsToDocker(labels: SandboxLabels): Record<string, string> {
  return {
    [labelKeys.session]: labels.sessionId,
    [labelKeys.user]: labels.userId,
    [labelKeys.lab]: labels.labId,
    [labelKeys.expires]: String(labels.expiresAt),
    [labelKeys.pool]: labels.isPool ? '1' : '0',
  };
}

function labelsFromDocker(labels: Record<string, string>): SandboxLabels {
  return {
    sessionId: labels[labelKeys.session] ?? '',
    userId: labels[labelKeys.user] ?? '',
    labId: labels[labelKeys.lab] ?? '',
    expiresAt: Number(labels[labelKeys.expires] ?? 0),
    isPool: labels[labelKeys.pool] === '1',
  };
}

/** A writable that keeps the first (or the last) `limit` bytes and counts the rest. */
class CappedSink extends Writable {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  isTruncated = false;
  constructor(
    private readonly limit: number,
    private readonly keep: 'head' | 'tail' = 'head',
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    if (this.keep === 'tail') {
      // Whole chunks are dropped from the front as newer ones cover the limit; text() cuts the rest.
      this.chunks.push(chunk);
      this.kept += chunk.length;
      if (this.kept > this.limit) this.isTruncated = true;
      while (this.chunks.length > 1 && this.kept - this.chunks[0]!.length >= this.limit) {
        this.kept -= this.chunks.shift()!.length;
      }
      callback();
      return;
    }
    const room = this.limit - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(part);
      this.kept += part.length;
    }
    if (chunk.length > room) this.isTruncated = true;
    callback();
  }
  text(): string {
    const kept = Buffer.concat(this.chunks);
    return (kept.length > this.limit ? kept.subarray(kept.length - this.limit) : kept).toString('utf8');
  }
}

type HostRecord = { labels: SandboxLabels; resources: SandboxResources; layout?: VolumeLayout };

function servicesAccountOf(record: HostRecord | undefined): ServicesAccount {
  return record?.layout === 'home-and-labkit' ? labkitServicesAccount : learnerServicesAccount;
}

/** The container's bind mounts: the learner's home, the labkit data folder when the layout has one, the sockets. */
function bindsOf(paths: WorkspacePaths): string[] {
  return [
    `${paths.home}:/home/learner:rw`,
    ...(paths.labkitData ? [`${paths.labkitData}:${labkitServicesAccount.dataDir}:rw`] : []),
    `${paths.sockets}:/run/academy:rw`,
  ];
}

const resizeAttempts = 50;
const resizeRetryMs = 20;

/**
 * Docker refuses to resize an exec whose process has not started yet; on a busy host that takes a
 * moment. Retry until it lands, so the program starts (or at once redraws) at the browser's size.
 */
async function resizeWhenRunning(exec: Docker.Exec, size: { cols: number; rows: number }): Promise<void> {
  for (let attempt = 0; attempt < resizeAttempts; attempt++) {
    try {
      await exec.resize({ h: size.rows, w: size.cols });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, resizeRetryMs));
    }
  }
}

export type DockerDriverOptions = {
  docker: Docker;
  /** Host folder holding one sub-folder per sandbox (workspace image, mount point, sockets). */
  sandboxesDir: string;
};

/** A stable id for the runner that owns `sandboxesDir`, so it adopts and reaps only its own. */
export function runnerIdFor(sandboxesDir: string): string {
  return crypto.createHash('sha256').update(path.resolve(sandboxesDir)).digest('hex').slice(0, 12);
}

export class DockerDriver implements SandboxDriver {
  private readonly docker: Docker;
  private readonly sandboxesDir: string;
  readonly runnerId: string;
  /** Ports whose socket bridge runs in the sandbox's current start, per session. */
  private readonly bridges = new Map<string, Set<number>>();
  private nextCpu = 0;
  private readonly hostCpuCount: number;

  constructor(options: DockerDriverOptions) {
    this.docker = options.docker;
    this.sandboxesDir = options.sandboxesDir;
    this.runnerId = runnerIdFor(options.sandboxesDir);
    this.hostCpuCount = Math.max(
      1,
      (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm) ?? []).length,
    );
    fs.mkdirSync(this.sandboxesDir, { recursive: true });
  }

  /** Forgets the sandbox's socket bridges and removes their sockets (their socat died with the container). */
  private clearBridges(sessionId: string): void {
    this.bridges.delete(sessionId);
    const { sockets } = this.paths(sessionId);
    if (!fs.existsSync(sockets)) return;
    for (const name of fs.readdirSync(sockets)) {
      if (name.endsWith('.sock')) fs.rmSync(path.join(sockets, name), { force: true });
    }
  }

  /** The sandbox's host paths, in the layout its record names (the older one when it names none). */
  private paths(sessionId: string): WorkspacePaths {
    const layout = this.readRecord(sessionId)?.layout ?? 'home';
    return workspacePaths(this.sandboxesDir, sessionId, layout);
  }

  private container(sessionId: string): Docker.Container {
    return this.docker.getContainer(`${containerNamePrefix}${sessionId}`);
  }

  private writeRecord(paths: WorkspacePaths, record: HostRecord): void {
    fs.writeFileSync(paths.record, JSON.stringify(record), { mode: 0o600 });
  }

  private readRecord(sessionId: string): HostRecord | undefined {
    try {
      return JSON.parse(
        fs.readFileSync(sandboxRecordPath(this.sandboxesDir, sessionId), 'utf8'),
      ) as HostRecord;
    } catch {
      return undefined;
    }
  }

  /** Spreads sandboxes over the host's cores so `nproc` inside matches the CPU quota. */
  private cpuset(cpus: number): string {
    const count = Math.min(this.hostCpuCount, Math.max(1, Math.ceil(cpus)));
    const first = this.nextCpu % this.hostCpuCount;
    this.nextCpu += count;
    return Array.from({ length: count }, (_, i) => (first + i) % this.hostCpuCount).join(',');
  }

  private resourceLimits(resources: SandboxResources) {
    const memoryBytes = resources.memoryMb * 1024 * 1024;
    return {
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(resources.cpus * 1e9),
      PidsLimit: resources.pids,
    };
  }

  async create(spec: SandboxSpec): Promise<SandboxInfo> {
    const { labels, resources } = spec;
    const paths = workspacePaths(this.sandboxesDir, labels.sessionId, currentLayout);
    const threads = String(Math.max(1, Math.floor(resources.cpus)));
    await createWorkspace(paths, resources.diskMb, spec.starterFiles ?? []);
    this.writeRecord(paths, { labels, resources, layout: currentLayout });
    try {
      const container = await this.docker.createContainer({
        name: `${containerNamePrefix}${labels.sessionId}`,
        Image: spec.image,
        User: users.learner,
        WorkingDir: '/home/learner/work',
        Cmd: ['sleep', 'infinity'],
        Hostname: 'lab',
        Env: [
          'HOME=/home/learner',
          'TERM=xterm-256color',
          `OMP_NUM_THREADS=${threads}`,
          `OPENBLAS_NUM_THREADS=${threads}`,
          `MKL_NUM_THREADS=${threads}`,
        ],
        Labels: { ...labelsToDocker(labels), [labelKeys.runner]: this.runnerId },
        StopTimeout: stopTimeoutSeconds,
        HostConfig: {
          ...this.resourceLimits(resources),
          CpusetCpus: this.cpuset(resources.cpus),
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges:true'],
          Privileged: false,
          ReadonlyRootfs: true,
          Tmpfs: {
            '/tmp': `rw,nosuid,nodev,size=${resources.tmpMb}m`,
            '/var/tmp': 'rw,nosuid,nodev,size=16m',
          },
          Binds: bindsOf(paths),
          NetworkMode: 'none',
          IpcMode: 'private',
          ShmSize: shmSizeBytes,
          Init: true,
          Ulimits: [{ Name: 'nofile', Soft: openFilesLimit, Hard: openFilesLimit }],
          LogConfig: { Type: 'json-file', Config: { 'max-size': logMaxSize, 'max-file': '1' } },
          RestartPolicy: { Name: 'no' },
        },
      });
      await container.start();
      await this.waitUntilReady(labels.sessionId);
      const inspected = await container.inspect();
      return {
        labels,
        containerId: container.id,
        isRunning: true,
        createdAt: Date.parse(inspected.Created),
        servicesAccount: labkitServicesAccount,
      };
    } catch (error) {
      await this.remove(labels.sessionId).catch(() => undefined);
      throw error;
    }
  }

  /** Ready means a learner shell works. */
  private async waitUntilReady(sessionId: string): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        const result = await this.exec(sessionId, {
          cmd: ['true'],
          user: 'learner',
          timeoutMs: 5_000,
          outputLimitBytes: 1024,
        });
        if (result.exitCode === 0) return;
        lastError = new Error(`exit ${result.exitCode}: ${result.stderr}`);
      } catch (error) {
        lastError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new DriverError('ENGINE_ERROR', `sandbox did not become ready: ${(lastError as Error)?.message}`);
  }

  async start(sessionId: string): Promise<void> {
    await ensureWorkspaceMounted(this.paths(sessionId));
    this.clearBridges(sessionId);
    try {
      await this.container(sessionId).start();
    } catch (error) {
      if (isNotFound(error)) throw new DriverError('SANDBOX_NOT_FOUND', `no sandbox ${sessionId}`);
      if ((error as { statusCode?: number }).statusCode !== 304) throw error;
    }
    await this.waitUntilReady(sessionId);
  }

  async stop(sessionId: string): Promise<void> {
    this.clearBridges(sessionId);
    try {
      await this.container(sessionId).stop({ t: stopTimeoutSeconds });
    } catch (error) {
      if (isNotFound(error)) throw new DriverError('SANDBOX_NOT_FOUND', `no sandbox ${sessionId}`);
      if ((error as { statusCode?: number }).statusCode !== 304) throw error;
    }
  }

  async remove(sessionId: string): Promise<void> {
    this.bridges.delete(sessionId);
    try {
      await this.container(sessionId).remove({ force: true, v: true });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await removeWorkspace(this.paths(sessionId));
  }

  async resetWorkspace(sessionId: string, starterFiles: StarterFile[]): Promise<void> {
    const paths = this.paths(sessionId);
    const record = this.readRecord(sessionId);
    if (!record) throw new DriverError('SANDBOX_NOT_FOUND', `no sandbox ${sessionId}`);
    await this.stop(sessionId);
    await unmountWorkspace(paths);
    await createWorkspace(paths, record.resources.diskMb, starterFiles);
    await this.start(sessionId);
  }

  async assign(
    sessionId: string,
    labels: SandboxLabels,
    resources: SandboxResources,
    starterFiles: StarterFile[],
  ): Promise<void> {
    const paths = this.paths(sessionId);
    addStarterFilesToPristineWorkspace(paths, starterFiles);
    await this.container(sessionId).update(this.resourceLimits(resources));
    this.writeRecord(paths, { labels, resources, layout: paths.layout });
  }

  async exec(sessionId: string, request: ExecRequest): Promise<ExecResult> {
    const timeoutSeconds = Math.max(1, Math.ceil(request.timeoutMs / 1000));
    let exec: Docker.Exec;
    try {
      exec = await this.container(sessionId).exec({
        // coreutils `timeout` kills the command's whole process group; the runner cannot kill an exec.
        Cmd: ['timeout', '-k', '2', `${timeoutSeconds}s`, ...request.cmd],
        User: users[request.user],
        WorkingDir: request.workingDir ?? '/home/learner/work',
        Env: Object.entries(request.env ?? {}).map(([key, value]) => `${key}=${value}`),
        AttachStdout: true,
        AttachStderr: true,
        AttachStdin: request.stdin !== undefined,
        Tty: false,
      });
    } catch (error) {
      throw this.execError(sessionId, error);
    }
    const startedAt = Date.now();
    const stream = await exec.start({ hijack: true, stdin: request.stdin !== undefined });
    const stdout = new CappedSink(request.outputLimitBytes, request.keep);
    const stderr = new CappedSink(request.outputLimitBytes, request.keep);
    this.docker.modem.demuxStream(stream, stdout, stderr);
    if (request.stdin !== undefined) {
      stream.write(request.stdin);
      (stream as unknown as { end(): void }).end();
    }

    let isAbandoned = false;
    await new Promise<void>((resolve) => {
      const guard = setTimeout(
        () => {
          isAbandoned = true;
          stream.destroy();
          resolve();
        },
        timeoutSeconds * 1000 + execGraceMs,
      );
      const finish = () => {
        clearTimeout(guard);
        resolve();
      };
      stream.on('end', finish);
      stream.on('close', finish);
      stream.on('error', finish);
    });
    const inspected = await exec.inspect();
    const exitCode = isAbandoned ? -1 : (inspected.ExitCode ?? -1);
    return {
      exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      // 124: `timeout` stopped the command. 137 is a SIGKILL: `timeout` after its grace period, but
      // also the kernel's OOM killer, so it counts as a timeout only once the time limit has passed.
      timedOut:
        isAbandoned ||
        exitCode === 124 ||
        (exitCode === 137 && Date.now() - startedAt >= timeoutSeconds * 1000),
      truncated: stdout.isTruncated || stderr.isTruncated,
    };
  }

  private execError(sessionId: string, error: unknown): Error {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) return new DriverError('SANDBOX_NOT_FOUND', `no sandbox ${sessionId}`);
    if (status === 409) return new DriverError('SANDBOX_NOT_RUNNING', `sandbox ${sessionId} is not running`);
    return error as Error;
  }

  async attachTty(
    sessionId: string,
    cmd: string[],
    size: { cols: number; rows: number },
    env: Record<string, string> = {},
  ): Promise<TtySession> {
    let exec: Docker.Exec;
    try {
      exec = await this.container(sessionId).exec({
        Cmd: cmd,
        User: users.learner,
        WorkingDir: '/home/learner/work',
        Env: [
          'TERM=xterm-256color',
          'COLORTERM=truecolor',
          'LANG=C.UTF-8',
          ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
        ],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: true,
      });
    } catch (error) {
      throw this.execError(sessionId, error);
    }
    const raw = await exec.start({ hijack: true, stdin: true, Tty: true });
    await resizeWhenRunning(exec, size);
    return {
      stream: raw as Duplex,
      resize: async (cols, rows) => {
        await exec.resize({ h: rows, w: cols });
      },
      close: async () => {
        raw.destroy();
        const inspected = await exec.inspect().catch(() => undefined);
        // The hijacked connection closing does not end the process; on a local engine, hang it up.
        if (inspected?.Running && inspected.Pid > 0 && !process.env.DOCKER_HOST) {
          try {
            process.kill(inspected.Pid, 'SIGHUP');
          } catch {
            // already gone
          }
        }
      },
    };
  }

  async servicesAccount(sessionId: string): Promise<ServicesAccount> {
    const record = this.readRecord(sessionId);
    if (!record) throw new DriverError('SANDBOX_NOT_FOUND', `no sandbox ${sessionId}`);
    return servicesAccountOf(record);
  }

  async serviceSocket(sessionId: string, port: number): Promise<string> {
    const socketPath = path.join(this.paths(sessionId).sockets, `${port}.sock`);
    const running = this.bridges.get(sessionId) ?? new Set<number>();
    if (!running.has(port) || !fs.existsSync(socketPath)) {
      // A socket left by a previous start would look ready before the new bridge listens.
      fs.rmSync(socketPath, { force: true });
      const exec = await this.container(sessionId)
        .exec({
          Cmd: [
            'socat',
            `UNIX-LISTEN:/run/academy/${port}.sock,fork,unlink-early,mode=600`,
            `TCP:127.0.0.1:${port}`,
          ],
          User: users.bridge,
          AttachStdout: false,
          AttachStderr: false,
        })
        .catch((error: unknown) => {
          throw this.execError(sessionId, error);
        });
      await exec.start({ Detach: true });
      const deadline = Date.now() + 2_000;
      while (!fs.existsSync(socketPath) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      running.add(port);
      this.bridges.set(sessionId, running);
    }
    // Only the bridge user can write this folder, so this is the socket it made, not a planted link.
    const stat = fs.lstatSync(socketPath);
    if (!stat.isSocket()) throw new DriverError('ENGINE_ERROR', `unexpected file at ${socketPath}`);
    return socketPath;
  }

  async stats(sessionId: string): Promise<SandboxStats> {
    let raw: Docker.ContainerStats;
    try {
      raw = (await this.container(sessionId).stats({ stream: false })) as Docker.ContainerStats;
    } catch (error) {
      throw this.execError(sessionId, error);
    }
    // A container that stopped while the engine was asked answers with empty stats.
    if (!raw.memory_stats || !raw.cpu_stats?.cpu_usage || !raw.precpu_stats?.cpu_usage) {
      throw new DriverError('SANDBOX_NOT_RUNNING', `sandbox ${sessionId} is not running`);
    }
    const memory = raw.memory_stats;
    const cache =
      (memory.stats as { total_inactive_file?: number; inactive_file?: number } | undefined) ?? {};
    const memoryBytes = Math.max(
      0,
      (memory.usage ?? 0) - (cache.total_inactive_file ?? cache.inactive_file ?? 0),
    );
    const cpuDelta = raw.cpu_stats.cpu_usage.total_usage - raw.precpu_stats.cpu_usage.total_usage;
    const systemDelta = (raw.cpu_stats.system_cpu_usage ?? 0) - (raw.precpu_stats.system_cpu_usage ?? 0);
    const onlineCpus = raw.cpu_stats.online_cpus ?? 1;
    return {
      memoryBytes,
      cpuPercent: systemDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0,
      pids: (raw as unknown as { pids_stats?: { current?: number } }).pids_stats?.current ?? 0,
      diskUsedBytes: workspaceDiskUsage(this.paths(sessionId)),
    };
  }

  /** This runner's sandboxes only: another runner on the same engine (its own data folder) is never touched. */
  async list(): Promise<SandboxInfo[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [labelKeys.session, `${labelKeys.runner}=${this.runnerId}`] },
    });
    return containers.map((summary) => {
      const fromDocker = labelsFromDocker(summary.Labels);
      const record = this.readRecord(fromDocker.sessionId);
      return {
        labels: record?.labels ?? fromDocker,
        containerId: summary.Id,
        isRunning: summary.State === 'running',
        createdAt: summary.Created * 1000,
        servicesAccount: servicesAccountOf(record),
      };
    });
  }

  async reapOrphans(keep: (info: SandboxInfo) => boolean): Promise<string[]> {
    const reaped: string[] = [];
    const kept = new Set<string>();
    for (const info of await this.list()) {
      if (keep(info)) {
        kept.add(info.labels.sessionId);
        continue;
      }
      await this.remove(info.labels.sessionId);
      reaped.push(info.labels.sessionId);
    }
    // Workspaces whose container is gone (e.g. removed by hand).
    for (const name of fs.readdirSync(this.sandboxesDir)) {
      if (kept.has(name) || reaped.includes(name)) continue;
      if (!/^[a-z0-9-]+$/.test(name)) continue;
      await removeWorkspace(this.paths(name));
      reaped.push(name);
    }
    return reaped;
  }
}
