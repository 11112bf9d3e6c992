/**
 * The lab runner's configuration, read once from the environment into a typed object.
 * Every variable is documented in README.md ("Configuration").
 */
import path from 'node:path';
import { z } from 'zod';
import { SecretFileError, secretFromFile, secretFromNamedFile } from './api/secrets';

const minutes = z.coerce.number().positive();
const count = z.coerce.number().int().min(0);

const environmentSchema = z.object({
  RUNNER_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  RUNNER_HOST: z.string().min(1).default('127.0.0.1'),
  RUNNER_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  RUNNER_SECRET_FILE: z.string().min(1).optional(),
  RUNNER_DATA_DIR: z.string().min(1).default('data/runner'),
  RUNNER_ALLOWED_ORIGINS: z.string().default('http://localhost:3000,http://127.0.0.1:3000'),
  LABS_DIR: z.string().min(1).default('labs'),
  SANDBOX_IMAGE: z.string().min(1).optional(),
  IDLE_STOP_MINUTES: minutes.default(30),
  SESSION_TTL_MINUTES: minutes.default(240),
  POOL_SIZE: count.default(2),
  MAX_SESSIONS: count.min(1).default(40),
  MAX_SESSIONS_PER_USER: count.min(1).default(2),
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
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new RunnerConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
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
  };
}
