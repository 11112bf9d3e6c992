/**
 * The web app's configuration, read once from the environment into a typed object. Each variable's
 * documentation sits beside its schema; README.md and docs/operating.md show it as tables
 * (`npm run docs:config`).
 */
import path from 'node:path';
import { z } from 'zod';
import { documented, sharedEnvironment } from '@/lab-runner/api/environment';
import { secretFromFile, secretFromNamedFile } from '@/lab-runner/api/secrets';
import { listIssues } from '@/lab-runner/api/zod-issues';

/** Every command (npm scripts, Next.js, the tests) runs from the project root. */
export const projectRoot = process.cwd();

const port = z.coerce.number().int().min(1).max(65535);

/** The variables only the web app reads; the ones it shares with the runner come from `sharedEnvironment`. */
export const webEnvironment = z.object({
  PORT: documented(port.default(3000), { description: 'HTTP port of the web app' }),
  HOST: documented(z.string().min(1).default('0.0.0.0'), {
    description: 'address the web app listens on',
    details: 'Use `127.0.0.1` behind a reverse proxy on the same host',
  }),
  DATABASE_URL: documented(
    z
      .string()
      .regex(/^file:.+/, 'must be a SQLite file URL such as file:./data/academy.db')
      .default('file:./data/academy.db'),
    {
      description: 'the SQLite file; relative paths are resolved against the project folder',
      details: 'The file runs in WAL mode; keep it on a local disk (not NFS)',
    },
  ),
  RUNNER_URL: documented(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('http://127.0.0.1:4000'),
    {
      description: 'where the web app reaches the lab runner',
      details:
        "Browsers never reach the runner themselves: they go through the web app's `/runner/…` proxy, " +
        'on the same origin and port',
    },
  ),
  ...sharedEnvironment,
  TRUST_PROXY: documented(
    z
      .enum(['true', 'false', '1', '0', ''], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true' || value === '1'),
    {
      description:
        '`true` when a reverse proxy in front of the app sets `X-Forwarded-For`: log-in and sign-up ' +
        "limits then count the address the proxy saw (the last entry) instead of the proxy's own",
      details: '`1` and `0` are accepted too',
    },
  ),
  ADMIN_EMAIL: documented(z.string().trim().optional(), {
    description:
      'with `ADMIN_PASSWORD`: on start, when no admin exists yet, this account is made (or, if it ' +
      'exists, made an admin)',
    details:
      'See [the first admin](#the-first-admin). Ignored while an admin exists; remove both once you ' +
      'have logged in',
  }),
  ADMIN_PASSWORD: documented(z.string().optional(), {
    description: "that account's password, under the same rules as sign-up; never printed",
  }),
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
  /** RUNNER_DATA_DIR, absolute: the runner's folder (its sandboxes, the generated secret). */
  runnerDataDir: string;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = webEnvironment.safeParse(env);
  if (!result.success) throw new ConfigError(`Invalid environment: ${listIssues(result.error)}`);
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
  const runnerDataDir = path.resolve(/*turbopackIgnore: true*/ projectRoot, RUNNER_DATA_DIR);
  return {
    port: PORT,
    host: HOST,
    databaseUrl: DATABASE_URL,
    databasePath: databasePathFromUrl(DATABASE_URL),
    runnerUrl: RUNNER_URL.replace(/\/+$/, ''),
    runnerSecret: () =>
      (secret ??= RUNNER_SECRET_FILE
        ? secretFromNamedFile(path.resolve(/*turbopackIgnore: true*/ projectRoot, RUNNER_SECRET_FILE))
        : secretFromFile(runnerDataDir)),
    trustProxy: TRUST_PROXY,
    firstAdmin: ADMIN_EMAIL && ADMIN_PASSWORD ? { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } : null,
    runnerDataDir,
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
