/**
 * labkit's Python client (labkit/python), tested where learners use it: inside the
 * sandbox image, through the runner, with its own pytest suite. The image ships the `labkit`
 * command on PATH and the package on Python's path, so the suite runs with the default
 * `LABKIT_SERVE` (`labkit`): each test module starts its own `labkit serve tracking` on a free
 * port with its data in pytest's temporary folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';

const testsDir = path.join(process.cwd(), 'labkit', 'python', 'tests');
let t: TestRunner;
let id: string;

type ExecResult = { exitCode: number; stdout: string; stderr: string };

async function exec(cmd: string[], files?: Record<string, string>, timeoutMs = 60_000): Promise<ExecResult> {
  const response = await t.api(`/v1/sessions/${id}/exec`, {
    method: 'POST',
    json: { cmd, user: 'learner', timeoutMs, ...(files ? { files } : {}) },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ExecResult;
}

beforeAll(async () => {
  t = await startTestRunner();
  id = await t.startSession('labkit-python-tests');
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

it('ships the labkit command and the importable package', async () => {
  const result = await exec([
    'sh',
    '-c',
    'command -v labkit && python3 -c "import labkit, labkit.sklearn, labkit.pyfunc; print(labkit.__file__)"',
  ]);
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toContain('/opt/labkit/bin/labkit');
  expect(result.stdout).toContain('/opt/labkit/python/labkit/__init__.py');
});

it('passes its own test suite in the sandbox image, as the learner', async () => {
  const files = Object.fromEntries(
    fs
      .readdirSync(testsDir)
      .filter((name) => name.endsWith('.py'))
      .map((name) => [`tests/${name}`, fs.readFileSync(path.join(testsDir, name), 'utf8')]),
  );
  expect(Object.keys(files)).toContain('tests/conftest.py');
  const result = await exec(
    ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-o', 'addopts=', 'tests'],
    files,
    300_000,
  );
  const output = result.stdout + result.stderr;
  expect(output).toMatch(/\d+ passed/);
  expect(output).not.toMatch(/\d+ (failed|error)/);
  expect(result.exitCode, output).toBe(0);
}, 330_000);
