/**
 * academy_check.py, the helper every Python check imports, tested where checks run: inside the
 * sandbox image, as the grader, with its own pytest suite (academy_check_test.py).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';

const scriptsDir = path.join(process.cwd(), 'lab-runner', 'sandbox-scripts');
let t: TestRunner;
let id: string;

beforeAll(async () => {
  t = await startTestRunner();
  id = await t.startSession('helper-tests');
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

it('passes its own test suite in the sandbox image, as the grader', async () => {
  const files = Object.fromEntries(
    ['academy_check.py', 'academy_check_test.py'].map((name) => [
      name,
      fs.readFileSync(path.join(scriptsDir, name), 'utf8'),
    ]),
  );
  const response = await t.api(`/v1/sessions/${id}/exec`, {
    method: 'POST',
    json: {
      cmd: ['python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'academy_check_test.py'],
      user: 'grader',
      timeoutMs: 60_000,
      files,
    },
  });
  const result = (await response.json()) as { exitCode: number; stdout: string; stderr: string };
  expect(result.stdout + result.stderr).toMatch(/\d+ passed/);
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
}, 120_000);
