/**
 * Grading against a real sandbox: runs as the learner, the check as the grader, and every way a
 * check can end (pass, fail, crash, garbage, timeout) turned into a result a learner can read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';

let t: TestRunner;
let id: string;

beforeAll(async () => {
  t = await startTestRunner();
  id = await t.startSession('grading-user', 'grading-cases');
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

type Result = {
  stepId: string;
  status: string;
  message: string;
  details: { name: string; status: string; message?: string }[];
  diagnostics?: string;
  durationMs: number;
};

async function check(stepId: string): Promise<Result> {
  const response = await t.api(`/v1/sessions/${id}/checks`, { method: 'POST', json: { stepId } });
  expect(response.status).toBe(200);
  return (await response.json()) as Result;
}

async function shell(command: string): Promise<string> {
  const response = await t.api(`/v1/sessions/${id}/exec`, {
    method: 'POST',
    json: { cmd: ['sh', '-c', command] },
  });
  return ((await response.json()) as { stdout: string }).stdout;
}

describe('grading a step', () => {
  it('fails on the starter and passes once the learner did the work, with the helper', async () => {
    const before = await check('say-hello');
    expect(before.status).toBe('fail');
    expect(before.message).toMatch(/hello\.txt/);
    expect(before.details).toEqual([expect.objectContaining({ name: 'hello.txt', status: 'fail' })]);

    await shell('echo hello > hello.txt');
    const after = await check('say-hello');
    expect(after).toMatchObject({ stepId: 'say-hello', status: 'pass' });
    expect(after.durationMs).toBeGreaterThan(0);
  });

  it('runs learner code as the learner in fresh copies, and the check as the grader', async () => {
    const result = await check('runs');
    expect(result.status).toBe('pass');
    expect(result.message).toBe('grader=grader workspace-touched=false');
    const runs = result.details.map((d) => JSON.parse(d.message ?? '{}') as Record<string, unknown>);
    expect(runs[0]).toMatchObject({
      exitCode: 0,
      timedOut: false,
      stdout: 'run as learner in /tmp/academy-runs/1\n',
      stderr: 'oops\n',
      made: true,
    });
    expect(runs[1]).toMatchObject({ exitCode: 4, timedOut: false });
    expect(runs[2]).toMatchObject({ exitCode: null, timedOut: true });
    // Nothing a run started is left behind.
    expect(await shell('pgrep -u learner -xf "sleep 30" || echo none')).toBe('none\n');
  }, 60_000);

  it('keeps the check private to the grader and removes it afterwards', async () => {
    const result = await check('peek');
    expect(result.message).toMatch(
      /^mode=700 files=academy_check\.py academy_tracking\.py crash\.py .*runs\.json/,
    );
    expect(await shell('ls /tmp | grep -E "academy-(grader|challenge)" || echo none')).toBe('none\n');
  });

  it('reads a result printed after debug lines, whatever the exit status', async () => {
    expect(await check('fail-exit-1')).toMatchObject({
      status: 'fail',
      message: 'Wrong answer: found 1, expected 2.',
    });
  });

  it('turns garbage, a crash and a timeout into an error that does not show the check', async () => {
    const garbage = await check('garbage');
    expect(garbage.status).toBe('error');
    expect(garbage.message).toMatch(/not a result/);

    const crash = await check('crash');
    expect(crash.status).toBe('error');
    expect(crash.message).toMatch(/exited with status 1/);
    expect(crash.message).not.toMatch(/SECRET|42/);
    expect(crash.diagnostics).toMatch(/RuntimeError: the check crashed, expected 42/);

    const slow = await check('slow');
    expect(slow.status).toBe('error');
    expect(slow.message).toMatch(/did not finish within 2 seconds/);
    expect(slow.durationMs).toBeLessThan(10_000);
  }, 60_000);

  it('answers an unknown step or a bad body with a 4xx', async () => {
    const unknown = await t.api(`/v1/sessions/${id}/checks`, { method: 'POST', json: { stepId: 'nope' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'STEP_NOT_FOUND' });
    const bad = await t.api(`/v1/sessions/${id}/checks`, { method: 'POST', json: { step: 1 } });
    expect(bad.status).toBe(400);
    const browser = await t.api(`/v1/sessions/${id}/checks`, {
      method: 'POST',
      json: { stepId: 'say-hello' },
      headers: { authorization: '', 'x-academy-token': t.token(id, 'grading-user') },
    });
    expect(browser.status).toBe(401);
  });
});
