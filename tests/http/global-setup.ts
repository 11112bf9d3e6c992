/**
 * The `http` vitest project's world: the PRODUCTION web app (scripts/web-server.ts on the last
 * `next build`, so run `tsx scripts/platform.ts build` first) and a real lab runner (no warm pool),
 * each on a free port, with a fresh migrated SQLite database and runner data folder in a temporary
 * directory. The web app trusts X-Forwarded-For, so each test client can come from an address of
 * its own (rate limits are per address). It sends mail to an SMTP server on a port of its own,
 * with a user and a password from a file (SMTP_PASSWORD_FILE): a test that needs mail starts its
 * own server there (tests/http/password-reset.test.ts). Everything is stopped and removed
 * afterwards, sandboxes included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { DockerDriver } from '@/lab-runner/drivers/docker';
import { projectRoot } from '@/lib/config';
import { migrateDatabase } from '@/lib/db/migrate';
import { freePort } from '@/tests/bench/server';
import { getDocker } from '@/tests/support/docker';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The web app, e.g. http://127.0.0.1:41234 */
    httpBaseUrl: string;
    /** The web app's database (`file:/tmp/…/academy.db`), for tests that set up users directly. */
    httpDatabaseUrl: string;
    /** Where the web app sends mail (127.0.0.1) and the credentials it logs in with. */
    httpSmtp: { port: number; user: string; password: string };
    /** A second web app on the same database and runner, with SIGNUP_MODE=workshop. */
    httpWorkshopSignupUrl: string;
  }
}

const runnerStartTimeoutMs = 300_000;
const webStartTimeoutMs = 60_000;

function startProcess(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Quiet unless something goes wrong: keep the tail of the output for the error message.
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(chunk.toString());
    if (tail.length > 80) tail.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal === null)
      console.error(`[http tests] ${name} exited with ${code}:\n${tail.join('')}`);
  });
  return child;
}

async function waitUntilHealthy(url: string, child: ChildProcess, timeoutMs: number, name: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it was healthy`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!fs.existsSync(path.join(projectRoot, '.next', 'BUILD_ID'))) {
    throw new Error('No production build: run `node_modules/.bin/tsx scripts/platform.ts build` first.');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-academy-http-'));
  const databasePath = path.join(dir, 'academy.db');
  const runnerDataDir = path.join(dir, 'runner');
  migrateDatabase(databasePath, path.join(projectRoot, 'prisma', 'migrations'));
  const [webPort, runnerPort, smtpPort, workshopSignupPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const workshopSignupUrl = `http://127.0.0.1:${workshopSignupPort}`;
  const baseUrl = `http://127.0.0.1:${webPort}`;
  const runnerSecret = `http-tests-${Math.random().toString(36).slice(2)}-secret`;
  const smtp = { port: smtpPort, user: 'academy', password: `smtp-${Math.random().toString(36).slice(2)}` };
  const smtpPasswordFile = path.join(dir, 'smtp-password');
  fs.writeFileSync(smtpPasswordFile, `${smtp.password}\n`, { mode: 0o600 });

  let runner: ChildProcess | undefined;
  let web: ChildProcess | undefined;
  let workshopSignupWeb: ChildProcess | undefined;
  const teardown = async () => {
    await Promise.all([stopProcess(web), stopProcess(workshopSignupWeb), stopProcess(runner)]);
    if (fs.existsSync(path.join(runnerDataDir, 'sandboxes'))) {
      const { docker } = await getDocker();
      const driver = new DockerDriver({ docker, sandboxesDir: path.join(runnerDataDir, 'sandboxes') });
      await driver.reapOrphans(() => false);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    runner = startProcess('lab runner', ['--import', 'tsx', 'lab-runner/server/main.ts'], {
      RUNNER_PORT: String(runnerPort),
      RUNNER_HOST: '127.0.0.1',
      RUNNER_SECRET: runnerSecret,
      RUNNER_DATA_DIR: runnerDataDir,
      RUNNER_ALLOWED_ORIGINS: baseUrl,
      POOL_SIZE: '0',
      IDLE_STOP_MINUTES: '30',
    });
    const webEnv = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${databasePath}`,
      RUNNER_URL: `http://127.0.0.1:${runnerPort}`,
      RUNNER_SECRET: runnerSecret,
      TRUST_PROXY: 'true',
    };
    workshopSignupWeb = startProcess(
      'web app (SIGNUP_MODE=workshop)',
      ['--import', 'tsx', 'scripts/web-server.ts'],
      {
        ...webEnv,
        PORT: String(workshopSignupPort),
        SIGNUP_MODE: 'workshop',
      },
    );
    web = startProcess('web app', ['--import', 'tsx', 'scripts/web-server.ts'], {
      ...webEnv,
      PORT: String(webPort),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_USER: smtp.user,
      SMTP_PASSWORD_FILE: smtpPasswordFile,
      SMTP_FROM: 'MLOps Academy <academy@example.test>',
      PUBLIC_URL: baseUrl,
    });
    await Promise.all([
      waitUntilHealthy(
        `http://127.0.0.1:${runnerPort}/v1/health`,
        runner,
        runnerStartTimeoutMs,
        'lab runner',
      ),
      waitUntilHealthy(`${baseUrl}/api/health`, web, webStartTimeoutMs, 'web app'),
      waitUntilHealthy(
        `${workshopSignupUrl}/api/health`,
        workshopSignupWeb,
        webStartTimeoutMs,
        'web app (SIGNUP_MODE=workshop)',
      ),
    ]);
  } catch (error) {
    await teardown();
    throw error;
  }

  project.provide('httpBaseUrl', baseUrl);
  project.provide('httpDatabaseUrl', `file:${databasePath}`);
  project.provide('httpSmtp', smtp);
  project.provide('httpWorkshopSignupUrl', workshopSignupUrl);
  return teardown;
}
