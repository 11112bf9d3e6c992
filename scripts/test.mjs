/**
 * `npm test`: every check, in the order CI runs them, against a production build and Debian's
 * Chromium. Installs what is missing first (dependencies; Chromium with apt when running as root).
 * Every step runs even if an earlier one failed (the e2e suite needs the build, though), and the
 * last line counts the tests (each lab self-test check counts as one): "tests: N passed, N failed".
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDependencies, projectRoot } from './lib/bootstrap.mjs';

const bin = (name) => path.join(projectRoot, 'node_modules', '.bin', name);
const resultsDir = path.join(projectRoot, 'test-results');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1' };

const failures = [];

function step(title, command, args) {
  console.log(`\n━━ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: projectRoot, env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`${ok ? '✓' : '✗'} ${title} (${seconds} s)`);
  if (!ok) failures.push(title);
  return ok;
}

function ensureChromium() {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (fs.existsSync(executable)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Chromium is missing at ${executable}. Install it with: sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log('▸ Installing Debian Chromium for the end-to-end tests…');
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const result = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      console.error('Could not install Chromium with apt-get.');
      process.exit(1);
    }
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

ensureDependencies();
ensureChromium();
fs.rmSync(resultsDir, { recursive: true, force: true });
fs.mkdirSync(resultsDir, { recursive: true });

const tsx = bin('tsx');
const dockerdPidFile = path.join(projectRoot, '.cache', 'dockerd.pid');
let startedDockerd = false;
const readText = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined);
const vitestRun = (project) => [
  'run',
  '--project',
  project,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${path.join(resultsDir, `vitest-${project}.json`)}`,
];

try {
  step('Prisma client', tsx, ['scripts/platform.ts', 'generate']);
  step('Route types', bin('next'), ['typegen']);
  step('Typecheck', bin('tsc'), ['--noEmit']);
  step('Lint', bin('eslint'), ['.', '--max-warnings=0']);
  step('Format', bin('prettier'), ['--check', '.']);
  step('Unit tests (vitest)', bin('vitest'), vitestRun('unit'));
  // Installs and starts dockerd when missing; stopped at the end only if this run started it.
  const pidBefore = readText(dockerdPidFile);
  const hasDocker = step('Docker engine', tsx, ['scripts/dockerd.ts', 'up']);
  const pidAfter = readText(dockerdPidFile);
  startedDockerd = pidAfter !== undefined && pidAfter !== pidBefore;
  if (hasDocker && step('Sandbox image', tsx, ['scripts/platform.ts', 'image'])) {
    step('Integration and security tests (vitest, real Docker)', bin('vitest'), vitestRun('integration'));
    // Every lab: the starter fails each check, the reference solution passes it.
    step('Lab self-test (labs:verify)', tsx, [
      'scripts/labs-verify.ts',
      '--json',
      path.join(resultsDir, 'labs-verify.json'),
    ]);
  } else {
    failures.push('Integration and security tests (skipped: no Docker engine or sandbox image)');
    failures.push('Lab self-test (skipped: no Docker engine or sandbox image)');
  }
  if (step('Production build', tsx, ['scripts/platform.ts', 'build'])) {
    step('HTTP tests (vitest against the production server)', bin('vitest'), vitestRun('http'));
    step('End-to-end tests (Playwright, Chromium)', bin('playwright'), ['test']);
  } else {
    failures.push('HTTP tests (skipped: no build)');
    failures.push('End-to-end tests (skipped: no build)');
  }
} finally {
  if (startedDockerd) {
    spawnSync(tsx, ['scripts/dockerd.ts', 'down'], { stdio: 'inherit', cwd: projectRoot, env });
  }
}

const vitestResults = ['unit', 'integration', 'http'].map((project) =>
  readJson(path.join(resultsDir, `vitest-${project}.json`)),
);
const playwright = readJson(path.join(resultsDir, 'playwright-results.json'));
const labsVerify = readJson(path.join(resultsDir, 'labs-verify.json'));
const sum = (pick) => vitestResults.reduce((total, result) => total + (pick(result) ?? 0), 0);
const passed = sum((r) => r?.numPassedTests) + (playwright?.stats?.expected ?? 0) + (labsVerify?.passed ?? 0);
const failed =
  sum((r) => r?.numFailedTests) +
  (playwright?.stats?.unexpected ?? 0) +
  (playwright?.stats?.flaky ?? 0) +
  (labsVerify?.failed ?? 0);
const skipped =
  sum((r) => r?.numPendingTests) + sum((r) => r?.numTodoTests) + (playwright?.stats?.skipped ?? 0);

console.log('');
if (failures.length) console.log(`Failed steps: ${failures.join('; ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length || failed ? 1 : 0);
