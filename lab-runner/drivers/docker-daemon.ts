/**
 * Finds the Docker engine, or installs and starts one. CI machines start without Docker; the lab
 * runner and the tests call `ensureDockerEngine()` and get a working engine either way. A dockerd
 * started here is recorded in a pid file so `stopDockerEngineIfStartedBy()` stops exactly that one
 * and never an engine someone else runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { z } from 'zod';
import { projectRoot } from '../project-root';

/** Where the pid of a dockerd we started is kept (relative to the project root). */
export const defaultDockerdPidFile = '.cache/dockerd.pid';
const dockerdLogFile = 'data/dockerd.log';

const pingTimeoutMs = 5_000;
const engineStartTimeoutMs = 60_000;
const engineStopTimeoutMs = 20_000;
/** After SIGKILL the kernel needs a moment to reap the process. */
const killGraceMs = 5_000;
const pollIntervalMs = 200;
/** A pid file younger than this without a pid is being written by a process starting dockerd. */
const pidWriteGraceMs = 5_000;
const logTailLines = 20;

/** dockerd finds containerd and runc through PATH; a minimal PATH (cron, some CI) lacks sbin. */
export const systemPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type Log = (line: string) => void;

export class DockerEngineError extends Error {
  override name = 'DockerEngineError';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const errorCode = (error: unknown): string | undefined =>
  error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;

/** Resolves `undefined` when the engine answers, else the reason it did not. */
export async function pingEngine(docker: Docker, timeoutMs = pingTimeoutMs): Promise<Error | undefined> {
  // dockerode's ping takes an abort signal, which its type definitions leave out; without it a
  // hung daemon would hang us too.
  const ping = docker.ping.bind(docker) as unknown as (options: {
    abortSignal: AbortSignal;
  }) => Promise<unknown>;
  try {
    await ping({ abortSignal: AbortSignal.timeout(timeoutMs) });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The absolute path of a program on PATH (or in the usual sbin/bin folders), if it is installed. */
export function findExecutable(name: string): string | undefined {
  const searchPath = `${process.env.PATH ?? ''}:${systemPath}`;
  for (const directory of searchPath.split(':').filter(Boolean)) {
    const candidate = path.join(directory, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** `apt-get update && apt-get install -y <packages>`, output passed to `log`. Needs root. */
export function aptInstall(packages: string[], log: Log): void {
  log(`▸ Installing ${packages.join(', ')} with apt-get…`);
  const env = {
    ...process.env,
    DEBIAN_FRONTEND: 'noninteractive',
    PATH: `${process.env.PATH}:${systemPath}`,
  };
  for (const args of [
    ['update', '-qq'],
    // With Recommends, as on a normal Debian host: docker.io's (cgroupfs-mount, apparmor, …) matter.
    ['install', '-y', '-qq', ...packages],
  ]) {
    const result = spawnSync('apt-get', args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-logTailLines);
      throw new DockerEngineError(
        `apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output.join('\n')}`,
      );
    }
  }
}

function fileAgeMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function lastLines(file: string, fromByte: number, count = logTailLines): string {
  try {
    const text = fs.readFileSync(file).subarray(fromByte).toString('utf8');
    return text.trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}

export type EnsureDockerEngineOptions = { log?: Log };

/**
 * Returns a client for a Docker engine that answers. Without DOCKER_HOST and when none answers,
 * installs docker.io (as root, if dockerd is missing) and starts dockerd in the background;
 * `startedPid` is then its pid (also written to `.cache/dockerd.pid`).
 */
export async function ensureDockerEngine(
  options: EnsureDockerEngineOptions = {},
): Promise<{ docker: Docker; startedPid?: number }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const docker = new Docker();
  const problem = await pingEngine(docker);
  if (!problem) return { docker };

  if (process.env.DOCKER_HOST) {
    throw new DockerEngineError(
      `The Docker engine at DOCKER_HOST=${process.env.DOCKER_HOST} does not answer (${problem.message}). ` +
        'Start it, or unset DOCKER_HOST to use (and if need be start) the local engine.',
    );
  }
  if (errorCode(problem) === 'EACCES') {
    throw new DockerEngineError(
      `Permission denied on the Docker socket (${problem.message}): run as root or add this user to the docker group.`,
    );
  }
  if (!isRoot()) {
    throw new DockerEngineError(
      `The Docker engine is not running (${problem.message}) and starting it needs root. ` +
        'Start it (sudo systemctl start docker, or sudo dockerd), run this as root, or set DOCKER_HOST.',
    );
  }

  if (!findExecutable('dockerd')) {
    aptInstall(['docker.io'], log);
    // On hosts with an init system the package starts the engine itself; that one is a system
    // service, not ours to stop.
    if (!(await pingEngine(docker))) {
      log('▸ The docker.io package started the Docker engine as a system service.');
      return { docker };
    }
  }

  const startedPid = await startDockerd(docker, log);
  return { docker, startedPid };
}

async function startDockerd(docker: Docker, log: Log): Promise<number> {
  const dockerd = findExecutable('dockerd');
  if (!dockerd) throw new DockerEngineError('dockerd is not installed (apt-get install -y docker.io).');
  const logPath = path.join(projectRoot, dockerdLogFile);
  const pidPath = path.join(projectRoot, defaultDockerdPidFile);
  fs.mkdirSync(path.dirname(logPath), { recursive: true });
  fs.mkdirSync(path.dirname(pidPath), { recursive: true });

  // The pid file doubles as a lock: when two processes (say two test workers) find no engine at
  // once, one starts dockerd and the other waits for it.
  let pidFd: number | undefined;
  while (pidFd === undefined) {
    try {
      pidFd = fs.openSync(pidPath, 'wx');
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const pid = readPidFile(pidPath);
      if (pid !== undefined && isProcessRunning(pid, 'dockerd')) {
        log(`▸ Waiting for the Docker engine started by another process (pid ${pid})…`);
        await waitForEngine(docker, pid, () => (isProcessRunning(pid, 'dockerd') ? undefined : 'it exited'));
        return pid;
      }
      if (pid === undefined && fileAgeMs(pidPath) < pidWriteGraceMs) {
        await sleep(pollIntervalMs); // the other process has not written the pid yet
        continue;
      }
      fs.rmSync(pidPath, { force: true }); // stale: that dockerd is gone
    }
  }

  const logStart = fs.existsSync(logPath) ? fs.statSync(logPath).size : 0;
  const logFd = fs.openSync(logPath, 'a');
  fs.writeSync(logFd, `---- dockerd started by MLOps Academy at ${new Date().toISOString()} ----\n`);
  log(`▸ Starting the Docker engine (${dockerd}; log in ${dockerdLogFile})…`);
  // Its own process group and session, output to a file: it outlives this process on purpose and
  // must not die with the terminal that started it.
  const child = spawn(dockerd, [], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:${systemPath}` },
  });
  fs.closeSync(logFd);
  let exit: string | undefined;
  child.once('error', (error) => (exit = error.message));
  child.once('exit', (code, signal) => (exit = signal ? `killed by ${signal}` : `exit code ${code}`));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    fs.closeSync(pidFd);
    fs.rmSync(pidPath, { force: true });
    await sleep(0); // lets the 'error' event arrive
    throw new DockerEngineError(`Could not start dockerd: ${exit ?? 'no pid'}`);
  }
  fs.writeSync(pidFd, `${pid}\n`);
  fs.closeSync(pidFd);

  try {
    await waitForEngine(docker, pid, () => exit);
  } catch (error) {
    if (exit === undefined) {
      // Do not leave a daemon behind that never answered.
      await stopDockerEngineIfStartedBy(defaultDockerdPidFile, { log: () => {} });
    } else {
      fs.rmSync(pidPath, { force: true });
    }
    throw new DockerEngineError(
      `${(error as Error).message}. Last lines of ${dockerdLogFile}:\n${lastLines(logPath, logStart)}`,
    );
  }
  log(`▸ Docker engine ready (pid ${pid}).`);
  return pid;
}

/** Polls until the engine answers; `exited` says why the daemon is gone, if it is. */
async function waitForEngine(docker: Docker, pid: number, exited: () => string | undefined): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < engineStartTimeoutMs) {
    const reason = exited();
    if (reason !== undefined)
      throw new DockerEngineError(`dockerd (pid ${pid}) stopped while starting: ${reason}`);
    if (!(await pingEngine(docker, 1_000))) return;
    await sleep(pollIntervalMs);
  }
  throw new DockerEngineError(`dockerd (pid ${pid}) did not answer within ${engineStartTimeoutMs / 1000} s`);
}

// ---- Stopping the engine we started ----------------------------------------------------------

const pidSchema = z.coerce.number().int().min(2);

/** The pid in a pid file; `undefined` when the file is missing or holds no valid pid. */
export function readPidFile(file: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = pidSchema.safeParse(text);
  return parsed.success && text !== '' ? parsed.data : undefined;
}

/**
 * Whether `pid` is a live (not zombie) process whose command name is `name`. The name check
 * keeps a stale pid file from making us signal an unrelated process that reused the pid.
 */
export function isProcessRunning(pid: number, name: string): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "<pid> (<comm>) <state> …"; comm may itself contain spaces or parentheses.
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(open + 1, close);
  const state = stat.slice(close + 2, close + 3);
  // The kernel truncates comm to 15 characters.
  return comm === name.slice(0, 15) && state !== 'Z' && state !== 'X';
}

async function waitUntilGone(pid: number, name: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessRunning(pid, name)) return true;
    await sleep(pollIntervalMs);
  }
  return !isProcessRunning(pid, name);
}

export type StopOptions = {
  /** The process name the pid must have; only tests pass anything but dockerd. */
  processName?: string;
  timeoutMs?: number;
  log?: Log;
};

/**
 * Stops the dockerd whose pid `pidFile` records (SIGTERM, then SIGKILL after `timeoutMs`) and
 * removes the pid file. Does nothing when there is no pid file; removes a stale one.
 */
export async function stopDockerEngineIfStartedBy(
  pidFile = defaultDockerdPidFile,
  options: StopOptions = {},
): Promise<{ stopped: boolean; pid?: number }> {
  const { processName = 'dockerd', timeoutMs = engineStopTimeoutMs } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const file = path.resolve(projectRoot, pidFile);
  const pid = readPidFile(file);
  if (pid === undefined) {
    fs.rmSync(file, { force: true });
    return { stopped: false };
  }
  if (!isProcessRunning(pid, processName)) {
    fs.rmSync(file, { force: true });
    return { stopped: false, pid };
  }

  log(`▸ Stopping the ${processName} we started (pid ${pid})…`);
  process.kill(pid, 'SIGTERM');
  if (!(await waitUntilGone(pid, processName, timeoutMs))) {
    log(`▸ ${processName} (pid ${pid}) ignored SIGTERM for ${timeoutMs / 1000} s; sending SIGKILL.`);
    process.kill(pid, 'SIGKILL');
    if (!(await waitUntilGone(pid, processName, killGraceMs))) {
      throw new DockerEngineError(`${processName} (pid ${pid}) is still running after SIGKILL.`);
    }
  }
  fs.rmSync(file, { force: true });
  return { stopped: true, pid };
}
