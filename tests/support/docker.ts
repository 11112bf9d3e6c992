/**
 * Real Docker for integration tests: one engine and one sandbox image per test process, plus
 * helpers to run commands in a container. Every container a test starts carries
 * `mlops-academy.test=1`, so a crashed run's leftovers are easy to find and remove.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type DockerModem from 'docker-modem';
import { ensureDockerEngine } from '@/lab-runner/drivers/docker-daemon';
import { ensureSandboxImage } from '@/lab-runner/image/build';

export const testContainerLabel = 'mlops-academy.test';

/** Building the image from a cold cache takes minutes: give a beforeAll that calls it this long. */
export const imageBuildTimeoutMs = 600_000;

const defaultExecTimeoutMs = 60_000;

const log = (line: string) => console.log(line);

let engine: ReturnType<typeof ensureDockerEngine> | undefined;

/** The Docker engine (installed and started if need be), shared by every test in the process. */
export function getDocker(): ReturnType<typeof ensureDockerEngine> {
  engine ??= ensureDockerEngine({ log }).catch((error: unknown) => {
    engine = undefined; // let the next test try again
    throw error;
  });
  return engine;
}

/** The ref of the current sandbox image (`mlops-academy/lab:<hash>`), built if missing. */
export async function ensureImageForTests(): Promise<string> {
  const { docker } = await getDocker();
  return (await ensureSandboxImage(docker, { log })).ref;
}

export type ExecResult = { exitCode: number; stdout: string; stderr: string };
export type ExecOptions = {
  /** `name`, `uid` or `uid:gid`; the image's default user (learner) when left out. */
  user?: string;
  env?: string[];
  workingDir?: string;
  timeoutMs?: number;
};

/** Runs `cmd` (no shell unless you pass one) in a running container and collects its output. */
export async function execInContainer(
  container: Docker.Container,
  cmd: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const { timeoutMs = defaultExecTimeoutMs } = options;
  const exec = await container.exec({
    Cmd: cmd,
    User: options.user,
    Env: options.env,
    WorkingDir: options.workingDir,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const outSink = new PassThrough().on('data', (chunk: Buffer) => stdout.push(chunk));
  const errSink = new PassThrough().on('data', (chunk: Buffer) => stderr.push(chunk));
  (container.modem as DockerModem).demuxStream(stream, outSink, errSink);

  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', reject);
      timer = setTimeout(() => {
        stream.destroy();
        reject(new Error(`${cmd.join(' ')} did not finish within ${timeoutMs / 1000} s`));
      }, timeoutMs);
    });
  } finally {
    clearTimeout(timer);
  }

  // The stream can end a moment before the engine records the exit code.
  let info = await exec.inspect();
  for (let attempt = 0; info.Running && attempt < 50; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    info = await exec.inspect();
  }
  return {
    exitCode: info.ExitCode ?? -1,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}

/**
 * Creates and starts a container from `image` with the sandbox's hardening (non-root learner, no
 * network, read-only root, no capabilities, no-new-privileges, init) and the test label.
 * `overrides.HostConfig` is merged into the hardened one. Remove it with `removeContainer`.
 */
export async function startHardenedContainer(
  docker: Docker,
  image: string,
  overrides: Docker.ContainerCreateOptions = {},
): Promise<Docker.Container> {
  const { HostConfig, Labels, ...rest } = overrides;
  const container = await docker.createContainer({
    Image: image,
    User: '1000:1000',
    Labels: { [testContainerLabel]: '1', ...Labels },
    ...rest,
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Init: true,
      Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=64m' },
      PidsLimit: 512,
      ...HostConfig,
    },
  });
  try {
    await container.start();
  } catch (error) {
    await removeContainer(container);
    throw error;
  }
  return container;
}

/** Force-removes a container; one that is already gone is fine. */
export async function removeContainer(container: Docker.Container | undefined): Promise<void> {
  if (!container) return;
  try {
    await container.remove({ force: true, v: true });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
}
