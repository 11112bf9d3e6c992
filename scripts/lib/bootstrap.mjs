/**
 * The part of `npm start` / `npm test` that must run before node_modules exists: plain Node, no
 * dependencies. It installs the locked dependencies when they are missing or out of date.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/** Runs a command with inherited output; exits this process with its status if it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: projectRoot, ...options });
  if (result.error) {
    console.error(`Could not run ${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const installMarker = path.join(projectRoot, 'node_modules', '.mlops-academy-lock-hash');

/**
 * With `{ toStderr: true }`, progress and npm's output go to stderr, so a command whose stdout is
 * data (`npm run bench -- --json`) stays clean.
 */
export function ensureDependencies({ toStderr = false } = {}) {
  const lockfile = path.join(projectRoot, 'package-lock.json');
  const lockHash = createHash('sha256').update(fs.readFileSync(lockfile)).digest('hex');
  const installedHash = fs.existsSync(installMarker) ? fs.readFileSync(installMarker, 'utf8').trim() : '';
  if (installedHash === lockHash) return;
  // `npm install` with the committed lockfile, not `npm ci`: registries that serve only this
  // platform's optional binaries (as mirrors for air-gapped sites often do) make `npm ci` refuse a
  // lockfile that lacks the other platforms' entries.
  (toStderr ? console.error : console.log)('▸ Installing dependencies (npm install from package-lock.json)…');
  run('npm', ['install', '--no-audit', '--no-fund'], {
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    ...(toStderr ? { stdio: ['inherit', process.stderr, 'inherit'] } : {}),
  });
  fs.writeFileSync(installMarker, `${lockHash}\n`);
}

/** Runs a project TypeScript script through the locally installed tsx. */
export function runTs(script, args = [], options = {}) {
  run(
    path.join(projectRoot, 'node_modules', '.bin', 'tsx'),
    [path.join(projectRoot, script), ...args],
    options,
  );
}

/**
 * Runs a long-lived command as the child this process stands for: SIGINT and SIGTERM sent to this
 * process are passed on (a service manager or `kill` signals only the top process), and this
 * process exits when the child does, with its status. `spawnSync` would leave the child running.
 */
export function runForwardingSignals(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: projectRoot, ...options });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`Could not run ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
  });
  return child;
}

/** A project TypeScript script as a long-lived child (see runForwardingSignals). */
export function runTsForwardingSignals(script, args = []) {
  return runForwardingSignals(process.execPath, [
    '--import',
    'tsx',
    path.resolve(projectRoot, script),
    ...args,
  ]);
}
