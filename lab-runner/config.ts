/**
 * The lab runner's configuration, read once from the environment into a typed object. Each
 * variable's documentation sits beside its schema; README.md and docs/operating.md show it as tables
 * (`npm run docs:config`).
 */
import path from 'node:path';
import { z } from 'zod';
import { documented, sharedEnvironment } from './api/environment';
import { SecretFileError, secretFromFile, secretFromNamedFile } from './api/secrets';
import { listIssues } from './api/zod-issues';

const minutes = z.coerce.number().positive();
const count = z.coerce.number().int().min(0);

/** The variables only the runner reads; the ones it shares with the web app come from `sharedEnvironment`. */
export const runnerEnvironment = z.object({
  RUNNER_PORT: documented(z.coerce.number().int().min(1).max(65535).default(4000), {
    description: "port of the lab runner's API",
  }),
  RUNNER_HOST: documented(z.string().min(1).default('127.0.0.1'), {
    description: 'address the runner listens on',
    details:
      'Use `0.0.0.0` only when the web app is on another host or container, and then firewall the ' +
      'port to the web app',
  }),
  ...sharedEnvironment,
  RUNNER_ALLOWED_ORIGINS: documented(z.string().default('http://localhost:3000,http://127.0.0.1:3000'), {
    description: 'origins allowed to open terminal WebSockets *directly* on the runner (comma-separated)',
    details: "Browsers normally go through the web app's `/runner` proxy, which checks its own origin",
  }),
  LABS_DIR: documented(z.string().min(1).default('labs'), {
    description: 'where the runner finds `<lab>/lab.yaml` and `<lab>/workspace/`',
    details: 'Relative paths are resolved against the project folder',
  }),
  SANDBOX_IMAGE: documented(z.string().min(1).optional(), {
    description: "run every sandbox from this image instead, whatever a lab's own `image` says",
    details: "The runner then builds no image. Use one built with the image's Dockerfile, say",
    unset: 'the image built from `lab-runner/image`',
  }),
  IDLE_STOP_MINUTES: documented(minutes.default(30), {
    description:
      'a sandbox with no terminal, file, exec or service activity is stopped after this long; its work is kept',
  }),
  SESSION_TTL_MINUTES: documented(minutes.default(240), {
    description:
      "a sandbox is destroyed, workspace included, this long after it was created (or after its lab's " +
      '`timeLimitMinutes`, if shorter)',
  }),
  POOL_SIZE: documented(count.default(2), {
    description: 'warm, ready sandboxes kept for instant starts; `0` disables the pool',
  }),
  MAX_SESSIONS: documented(count.min(1).default(40), {
    description: 'running sandboxes on this host; above it, starts answer "at capacity"',
    details: 'Stopped sandboxes and the warm pool do not count',
  }),
  MAX_SESSIONS_PER_USER: documented(count.min(1).default(2), {
    description: 'running sandboxes per learner',
  }),
  MIN_FREE_DISK_MB: documented(count.default(2048), {
    description:
      "disk space kept free in the runner's data folder: a new sandbox starts only while this much, " +
      "plus its lab's whole workspace size, is free",
    details: 'Resuming a stopped sandbox is not refused; `0` turns the check off',
  }),
});

export type RunnerConfig = {
  port: number;
  host: string;
  /** Shared with the web app: server-to-server bearer secret and the key that signs browser tokens. */
  secret: string;
  dataDir: string;
  allowedOrigins: string[];
  labsDir: string;
  /** Overrides the image built from lab-runner/image (and a lab's own `image`). */
  sandboxImage?: string;
  idleStopMs: number;
  sessionTtlMs: number;
  poolSize: number;
  maxSessions: number;
  maxSessionsPerUser: number;
  minFreeDiskMb: number;
};

export class RunnerConfigError extends Error {
  override name = 'RunnerConfigError';
}

function readSecret(secretFile: string | undefined, root: string, dataDir: string): string {
  try {
    return secretFile ? secretFromNamedFile(path.resolve(root, secretFile)) : secretFromFile(dataDir);
  } catch (error) {
    if (error instanceof SecretFileError) throw new RunnerConfigError(error.message);
    throw error;
  }
}

export function parseRunnerConfig(
  env: Record<string, string | undefined>,
  root = process.cwd(),
): RunnerConfig {
  const result = runnerEnvironment.safeParse(env);
  if (!result.success) throw new RunnerConfigError(`Invalid environment: ${listIssues(result.error)}`);
  const e = result.data;
  if (e.RUNNER_SECRET && e.RUNNER_SECRET_FILE) {
    throw new RunnerConfigError('Invalid environment: set RUNNER_SECRET or RUNNER_SECRET_FILE, not both');
  }
  const dataDir = path.resolve(root, e.RUNNER_DATA_DIR);
  return {
    port: e.RUNNER_PORT,
    host: e.RUNNER_HOST,
    secret: e.RUNNER_SECRET ?? readSecret(e.RUNNER_SECRET_FILE, root, dataDir),
    dataDir,
    allowedOrigins: e.RUNNER_ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    labsDir: path.resolve(root, e.LABS_DIR),
    sandboxImage: e.SANDBOX_IMAGE,
    idleStopMs: e.IDLE_STOP_MINUTES * 60_000,
    sessionTtlMs: e.SESSION_TTL_MINUTES * 60_000,
    poolSize: e.POOL_SIZE,
    maxSessions: e.MAX_SESSIONS,
    maxSessionsPerUser: e.MAX_SESSIONS_PER_USER,
    minFreeDiskMb: e.MIN_FREE_DISK_MB,
  };
}
