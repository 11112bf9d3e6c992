/**
 * The web app's configuration, read once from the environment into a typed object.
 * Every variable is documented in README.md ("Configuration").
 */
import path from 'node:path';
import { z } from 'zod';
import { secretFromFile, secretFromNamedFile } from '@/lab-runner/api/secrets';

/** Every command (npm scripts, Next.js, the tests) runs from the project root. */
export const projectRoot = process.cwd();

const port = z.coerce.number().int().min(1).max(65535);

const environmentSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, 'must be a SQLite file URL such as file:./data/academy.db')
    .default('file:./data/academy.db'),
  RUNNER_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('http://127.0.0.1:4000'),
  RUNNER_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  RUNNER_SECRET_FILE: z.string().min(1).optional(),
  RUNNER_DATA_DIR: z.string().min(1).default('data/runner'),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', ''], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  ADMIN_EMAIL: z.string().trim().optional(),
  ADMIN_PASSWORD: z.string().optional(),
});

export type AppConfig = {
  port: number;
  host: string;
  /** As given, e.g. `file:./data/academy.db`. */
  databaseUrl: string;
  /** Absolute path of the SQLite file; relative URLs are resolved against the project root. */
  databasePath: string;
  /** Where the web app reaches the lab runner (server-to-server, and its proxy for browsers). */
  runnerUrl: string;
  /**
   * RUNNER_SECRET, or the file RUNNER_SECRET_FILE names, or else the secret file the runner keeps
   * in RUNNER_DATA_DIR (same host).
   */
  runnerSecret: () => string;
  /**
   * Whether a reverse proxy in front of the app sets X-Forwarded-For; then the client address (for
   * log-in rate limits) is the last entry, the one the proxy saw. Otherwise the socket's address.
   */
  trustProxy: boolean;
  /** ADMIN_EMAIL and ADMIN_PASSWORD: the admin made on start when no admin exists yet. */
  firstAdmin: { email: string; password: string } | null;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const {
    PORT,
    HOST,
    DATABASE_URL,
    RUNNER_URL,
    RUNNER_SECRET,
    RUNNER_SECRET_FILE,
    RUNNER_DATA_DIR,
    TRUST_PROXY,
  } = result.data;
  if (RUNNER_SECRET && RUNNER_SECRET_FILE) {
    throw new ConfigError('Invalid environment: set RUNNER_SECRET or RUNNER_SECRET_FILE, not both.');
  }
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = result.data;
  if (Boolean(ADMIN_EMAIL) !== Boolean(ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid environment: ADMIN_EMAIL and ADMIN_PASSWORD must be set together.');
  }
  let secret = RUNNER_SECRET;
  return {
    port: PORT,
    host: HOST,
    databaseUrl: DATABASE_URL,
    databasePath: databasePathFromUrl(DATABASE_URL),
    runnerUrl: RUNNER_URL.replace(/\/+$/, ''),
    runnerSecret: () =>
      (secret ??= RUNNER_SECRET_FILE
        ? secretFromNamedFile(path.resolve(/*turbopackIgnore: true*/ projectRoot, RUNNER_SECRET_FILE))
        : secretFromFile(path.resolve(/*turbopackIgnore: true*/ projectRoot, RUNNER_DATA_DIR))),
    trustProxy: TRUST_PROXY,
    firstAdmin: ADMIN_EMAIL && ADMIN_PASSWORD ? { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } : null,
  };
}

export function databasePathFromUrl(databaseUrl: string): string {
  const filePart = databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
  return path.resolve(/*turbopackIgnore: true*/ projectRoot, filePart);
}

let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
