/**
 * Prepares and runs the platform. Subcommands:
 *   generate  Prisma client from prisma/schema.prisma (offline: no schema-engine download)
 *   build     generate + `next build`, skipped when no input changed since the last build
 *   migrate   apply prisma/migrations to DATABASE_URL
 *   serve     migrate + `next start` (expects a build)
 *   start     build + serve                     (what `npm start` runs)
 *   dev       generate + migrate + `next dev`
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getConfig, projectRoot } from '@/lib/config';
import { migrateDatabase } from '@/lib/db/migrate';
import { hashInputs } from './lib/input-hash';

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

function generate(): void {
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

function startNext(mode: 'start' | 'dev'): void {
  const { port, host } = getConfig();
  const child = spawn(bin('next'), [mode, '--port', String(port), '--hostname', host], {
    stdio: 'inherit',
    cwd: projectRoot,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const commands: Record<string, () => void> = {
  generate,
  build,
  migrate,
  serve: () => {
    migrate();
    startNext('start');
  },
  start: () => {
    build();
    migrate();
    startNext('start');
  },
  dev: () => {
    generate();
    migrate();
    startNext('dev');
  },
};

const command = process.argv[2] ?? '';
const action = commands[command];
if (!action) {
  console.error(`Usage: tsx scripts/platform.ts <${Object.keys(commands).join('|')}>`);
  process.exit(2);
}
try {
  action();
} catch (error) {
  console.error(`✗ ${(error as Error).message}`);
  process.exit(1);
}
