/**
 * The web app's configuration, read once from the environment into a typed object. Each variable's
 * documentation sits beside its schema; README.md and docs/operating.md show it as tables
 * (`npm run docs:config`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { documented, sharedEnvironment } from '@/lab-runner/api/environment';
import { secretFromFile, secretFromNamedFile } from '@/lab-runner/api/secrets';
import { listIssues } from '@/lab-runner/api/zod-issues';
import { signupModes, type SignupMode } from '@/lib/auth/signup-policy';

/** Every command (npm scripts, Next.js, the tests) runs from the project root. */
export const projectRoot = process.cwd();

const port = z.coerce.number().int().min(1).max(65535);

/** `true`/`false` (and `1`/`0`, or empty for false) as a boolean. */
const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0', ''], { error: 'must be true or false' })
    .default(fallback)
    .transform((value) => value === 'true' || value === '1');

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
  TRUST_PROXY: documented(flag('false'), {
    description:
      '`true` when a reverse proxy in front of the app sets `X-Forwarded-For`: log-in and sign-up ' +
      "limits then count the address the proxy saw (the last entry) instead of the proxy's own",
    details: '`1` and `0` are accepted too',
  }),
  SIGNUP_MODE: documented(
    z.enum(signupModes, { error: 'must be open, workshop or closed' }).default('open'),
    {
      description:
        "who may make an account: `open` (anyone), `workshop` (only from a workshop's join link, joining it " +
        'at once) or `closed` (nobody; existing accounts go on)',
      details:
        'An open sign-up lets strangers make accounts that take sandbox places; see [sign-up](#sign-up)',
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
  SMTP_HOST: documented(z.string().trim().min(1).optional(), {
    description:
      'the mail server that sends "Forgot password?" links; unset, there is no mail and the log-in ' +
      'page says who can reset a password instead (an instructor or an admin)',
    details: 'Needs `SMTP_FROM` and `PUBLIC_URL` too. See [password resets](#password-resets)',
  }),
  SMTP_PORT: documented(port.default(587), {
    description: "the mail server's port",
    details: '587 (or 25) with STARTTLS when the server offers it; 465 with `SMTP_SECURE=true`',
  }),
  SMTP_SECURE: documented(flag('false'), {
    description: '`true`: TLS from the first byte (port 465); `false`: STARTTLS when the server offers it',
  }),
  SMTP_USER: documented(z.string().min(1).optional(), {
    description: 'the user name on the mail server, when it asks for one',
  }),
  SMTP_PASSWORD: documented(z.string().min(1).optional(), {
    description: "that user's password; never printed",
  }),
  SMTP_PASSWORD_FILE: documented(z.string().min(1).optional(), {
    description:
      'a file holding that password instead (a Compose secret, a systemd credential); not together with ' +
      '`SMTP_PASSWORD`',
    details:
      'Relative paths are resolved against the project folder; whitespace around the password is ignored',
  }),
  SMTP_FROM: documented(z.string().trim().min(3).optional(), {
    description: 'the sender of those mails, e.g. `MLOps Academy <academy@example.org>`',
  }),
  PUBLIC_URL: documented(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(), {
    description:
      'the address learners open the platform at, e.g. `https://academy.example.org`: links in mails ' +
      'start with it',
    details: "Links are never made from a request's `Host` header, which whoever asks for a reset chooses",
  }),
});

/** How the web app sends mail ("Forgot password?" links); null without SMTP_HOST. */
export type MailConfig = {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  /** SMTP_PASSWORD, or the file SMTP_PASSWORD_FILE names (read when mail is sent). */
  password: () => string | undefined;
  from: string;
  /** Where links in mails point, without a trailing slash. */
  publicUrl: string;
};

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
  signupMode: SignupMode;
  /** ADMIN_EMAIL and ADMIN_PASSWORD: the admin made on start when no admin exists yet. */
  firstAdmin: { email: string; password: string } | null;
  /** RUNNER_DATA_DIR, absolute: the runner's folder (its sandboxes, the generated secret). */
  runnerDataDir: string;
  mail: MailConfig | null;
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
  const mail = mailConfig(result.data);
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
    signupMode: result.data.SIGNUP_MODE,
    firstAdmin: ADMIN_EMAIL && ADMIN_PASSWORD ? { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } : null,
    runnerDataDir,
    mail,
  };
}

function mailConfig(env: z.infer<typeof webEnvironment>): MailConfig | null {
  const { SMTP_HOST, SMTP_PASSWORD, SMTP_PASSWORD_FILE, SMTP_FROM, PUBLIC_URL } = env;
  if (SMTP_PASSWORD && SMTP_PASSWORD_FILE) {
    throw new ConfigError('Invalid environment: set SMTP_PASSWORD or SMTP_PASSWORD_FILE, not both.');
  }
  if (!SMTP_HOST) return null;
  if (!SMTP_FROM || !PUBLIC_URL) {
    throw new ConfigError(
      'Invalid environment: SMTP_HOST needs SMTP_FROM (the sender) and PUBLIC_URL (where links in mails point).',
    );
  }
  let password = SMTP_PASSWORD;
  return {
    host: SMTP_HOST,
    port: env.SMTP_PORT,
    secure: env.SMTP_SECURE,
    user: env.SMTP_USER,
    password: () =>
      (password ??= SMTP_PASSWORD_FILE
        ? readPasswordFile(path.resolve(/*turbopackIgnore: true*/ projectRoot, SMTP_PASSWORD_FILE))
        : undefined),
    from: SMTP_FROM,
    publicUrl: PUBLIC_URL.replace(/\/+$/, ''),
  };
}

function readPasswordFile(file: string): string {
  try {
    return fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(
      `Invalid environment: SMTP_PASSWORD_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
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
