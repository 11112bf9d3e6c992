/**
 * Prepares and runs the platform. Subcommands:
 *   generate  Prisma client from prisma/schema.prisma (offline: no schema-engine download) and
 *             Monaco's files in public/monaco (served from our origin, never a CDN)
 *   build     generate + `next build`, skipped when no input changed since the last build
 *   migrate   apply prisma/migrations to DATABASE_URL
 *   serve     migrate + the first admin (ADMIN_EMAIL/ADMIN_PASSWORD, when no admin exists) + the
 *             web app (scripts/web-server.ts: Next.js + the /runner proxy; expects a build)
 *   docker    make sure the Docker engine runs (installs and starts it when missing, as root)
 *   image     docker + build the sandbox image when its inputs changed
 *   runner    docker + image + the lab runner (what `npm run runner` runs)
 *   start     build + migrate + image, then the web app and the lab runner side by side
 *             (what `npm start` runs); if either stops, both stop
 *   dev       generate + migrate + image, then the web app in development mode and the lab runner
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDockerEngine } from '@/lab-runner/drivers/docker-daemon';
import { ensureSandboxImage } from '@/lab-runner/image/build';
import { getConfig, projectRoot } from '@/lib/config';
import { migrateDatabase } from '@/lib/db/migrate';
import { hashInputs } from './lib/input-hash';
import { runSubcommand } from './lib/cli';
import { ensureMonacoAssets } from './lib/monaco-assets';

const bin = (name: string) => path.join(projectRoot, 'node_modules', '.bin', name);

type Environment = Record<string, string | undefined>;

function run(command: string, args: string[], env: Environment = {}): void {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: projectRoot,
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`✗ ${path.basename(command)} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

/** Prisma's CLI wants a schema-engine binary it cannot download here; `generate` never runs it. */
function prismaEnvironment(): Environment {
  const stub = path.join(projectRoot, '.cache', 'schema-engine-unavailable');
  if (!fs.existsSync(stub)) {
    fs.mkdirSync(path.dirname(stub), { recursive: true });
    fs.writeFileSync(
      stub,
      '#!/bin/sh\necho "Prisma schema engine is not installed; migrations run through lib/db/migrate.ts" >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    );
  }
  return { PRISMA_SCHEMA_ENGINE_BINARY: stub, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
}

/** Generated inputs of the build: the Prisma client, and Monaco copied to public/ (self-hosted). */
function generate(): void {
  if (ensureMonacoAssets(projectRoot).copied) console.log('▸ Copied the Monaco editor to public/monaco.');
  const output = path.join(projectRoot, 'lib', 'generated', 'prisma');
  const marker = path.join(output, '.input-hash');
  const hash = hashInputs(['prisma/schema.prisma', 'package-lock.json']);
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === hash) return;
  console.log('▸ Generating the Prisma client…');
  run(bin('prisma'), ['generate'], prismaEnvironment());
  fs.writeFileSync(marker, hash);
}

const buildInputs = [
  'app',
  'components',
  'content',
  'labs',
  'lib',
  'public',
  'prisma/schema.prisma',
  'next.config.mjs',
  'proxy.ts',
  'package-lock.json',
  'tsconfig.json',
];

function build(): void {
  generate();
  const marker = path.join(projectRoot, '.next', 'mlops-academy-input-hash');
  const hash = hashInputs(buildInputs);
  const isBuilt = fs.existsSync(path.join(projectRoot, '.next', 'BUILD_ID'));
  if (isBuilt && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === hash) {
    console.log('▸ Production build is up to date.');
    return;
  }
  console.log('▸ Building the web app (next build)…');
  run(bin('next'), ['build'], { NEXT_TELEMETRY_DISABLED: '1' });
  fs.writeFileSync(marker, hash);
}

function migrate(): void {
  const { databasePath } = getConfig();
  const report = migrateDatabase(databasePath, path.join(projectRoot, 'prisma', 'migrations'));
  const applied = report.applied.length ? `applied ${report.applied.join(', ')}` : 'up to date';
  console.log(`▸ Database ${path.relative(projectRoot, databasePath) || databasePath}: ${applied}.`);
}

/**
 * ADMIN_EMAIL / ADMIN_PASSWORD: the first admin, made when no admin exists yet. In a child process
 * with the `react-server` condition, like `npm run admin:create` (it shares the web app's modules).
 */
function ensureFirstAdmin(): void {
  if (!getConfig().firstAdmin) return;
  run(process.execPath, [
    '--conditions=react-server',
    '--import',
    'tsx',
    path.join(projectRoot, 'scripts', 'admin-create.ts'),
    '--from-env',
  ]);
}

const log = (message: string) => console.log(`▸ ${message}`);

async function docker() {
  return (await ensureDockerEngine({ log })).docker;
}

async function image(): Promise<string> {
  const { ref } = await ensureSandboxImage(await docker(), { log });
  return ref;
}

/** Starts a child process that shares this terminal; its exit ends the platform. */
function child(command: string, args: string[], env: Environment = {}): ChildProcess {
  return spawn(command, args, {
    stdio: 'inherit',
    cwd: projectRoot,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
}

const webServerEntry = path.join(projectRoot, 'scripts', 'web-server.ts');

/** The web app: Next.js with the `/runner` proxy (scripts/web-server.ts). */
function webServer(mode: 'production' | 'development'): ChildProcess {
  const args = ['--import', 'tsx', webServerEntry, ...(mode === 'development' ? ['--dev'] : [])];
  return child(process.execPath, args, { NODE_ENV: mode });
}

/** Runs the children until one exits or a signal arrives, then stops the rest. */
function supervise(children: ChildProcess[]): void {
  let isStopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    for (const c of children) if (c.exitCode === null) c.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopAll(signal));
  let remaining = children.length;
  let firstCode: number | undefined;
  for (const c of children) {
    c.on('exit', (code, signal) => {
      firstCode ??= code ?? (signal && !isStopping ? 1 : 0);
      stopAll('SIGTERM');
      if (--remaining === 0) process.exit(firstCode);
    });
  }
}

const runnerEntry = path.join(projectRoot, 'lab-runner', 'server', 'main.ts');

const commands: Record<string, () => void | Promise<void>> = {
  generate,
  build,
  migrate,
  docker: async () => {
    await docker();
  },
  image: async () => {
    await image();
  },
  serve: () => {
    migrate();
    ensureFirstAdmin();
    supervise([webServer('production')]);
  },
  // The runner makes sure of the engine and the image itself (instant when both are there).
  runner: () => {
    supervise([child(process.execPath, ['--import', 'tsx', runnerEntry])]);
  },
  start: async () => {
    build();
    migrate();
    ensureFirstAdmin();
    await image();
    supervise([webServer('production'), child(process.execPath, ['--import', 'tsx', runnerEntry])]);
  },
  dev: async () => {
    generate();
    migrate();
    ensureFirstAdmin();
    await image();
    supervise([webServer('development'), child(process.execPath, ['--import', 'tsx', runnerEntry])]);
  },
};

await runSubcommand('scripts/platform.ts', commands);
