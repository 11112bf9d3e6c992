/**
 * Session lifecycle against the real Docker engine: create → ready → stop → resume → reset →
 * destroy, exec as learner and grader, the API's errors, capacity limits and the idle reaper.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';

let t: TestRunner;

beforeAll(async () => {
  t = await startTestRunner({ MAX_SESSIONS_PER_USER: '1', MAX_SESSIONS: '3' });
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

type ExecReply = { exitCode: number; stdout: string; stderr: string; timedOut: boolean; truncated: boolean };

async function exec(id: string, body: Record<string, unknown>): Promise<ExecReply> {
  const response = await t.api(`/v1/sessions/${id}/exec`, { method: 'POST', json: body });
  expect(response.status).toBe(200);
  return (await response.json()) as ExecReply;
}

describe('a session', () => {
  it('goes through its whole lifecycle with the workspace kept across stop and resume', async () => {
    const created = await t.api('/v1/sessions', {
      method: 'POST',
      json: { userId: 'alice', labId: 'sandbox-basics' },
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as {
      id: string;
      state: string;
      startKind: string;
      userId: string;
    };
    expect(session).toMatchObject({ state: 'ready', startKind: 'cold', userId: 'alice' });
    const { id } = session;

    const listing = await exec(id, { cmd: ['ls', '-1', '/home/learner/work'] });
    expect(listing.stdout.split('\n')).toEqual(expect.arrayContaining(['data', 'train.py']));
    expect((await exec(id, { cmd: ['python3', 'train.py'] })).stdout).toContain('"accuracy": 0.5');

    await exec(id, { cmd: ['sh', '-c', 'echo kept > notes.txt'] });
    expect(
      ((await (await t.api(`/v1/sessions/${id}/stop`, { method: 'POST' })).json()) as { state: string })
        .state,
    ).toBe('stopped');

    const whileStopped = await t.api(`/v1/sessions/${id}/exec`, { method: 'POST', json: { cmd: ['true'] } });
    expect(whileStopped.status).toBe(409);
    expect(await whileStopped.json()).toMatchObject({ error: 'SESSION_NOT_READY' });

    const resumed = await t.api(`/v1/sessions/${id}/resume`, { method: 'POST' });
    expect(((await resumed.json()) as { state: string }).state).toBe('ready');
    expect((await exec(id, { cmd: ['cat', 'notes.txt'] })).stdout).toBe('kept\n');

    await exec(id, { cmd: ['sh', '-c', 'rm train.py && echo junk > junk.txt'] });
    const reset = await t.api(`/v1/sessions/${id}/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const afterReset = await exec(id, { cmd: ['ls', '-1'] });
    expect(afterReset.stdout).toContain('train.py');
    expect(afterReset.stdout).not.toContain('junk.txt');
    expect(afterReset.stdout).not.toContain('notes.txt');

    const destroyed = await t.api(`/v1/sessions/${id}`, { method: 'DELETE' });
    expect(destroyed.status).toBe(204);
    expect((await t.api(`/v1/sessions/${id}`)).status).toBe(404);
    const docker = (await import('@/tests/support/docker')).getDocker;
    const containers = await (
      await docker()
    ).docker.listContainers({
      all: true,
      filters: { label: [`mlops-academy.session=${id}`] },
    });
    expect(containers).toEqual([]);
  }, 120_000);

  it('returns the learner’s existing session for the same lab instead of a second one', async () => {
    const first = await t.startSession('bob');
    const again = await t.api('/v1/sessions', {
      method: 'POST',
      json: { userId: 'bob', labId: 'sandbox-basics' },
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(first);
    await t.api(`/v1/sessions/${first}`, { method: 'DELETE' });
  }, 120_000);

  it('runs commands as the learner or the grader, with files the learner never sees, and caps output', async () => {
    const id = await t.startSession('carol');
    expect((await exec(id, { cmd: ['id', '-un'], user: 'learner' })).stdout).toBe('learner\n');
    expect((await exec(id, { cmd: ['id', '-un'], user: 'grader' })).stdout).toBe('grader\n');

    const check = await exec(id, {
      cmd: ['python3', 'check.py'],
      user: 'grader',
      files: { 'check.py': 'import json, os\nprint(json.dumps({"status": "pass", "dir": os.getcwd()}))\n' },
    });
    expect(check.exitCode).toBe(0);
    const { dir } = JSON.parse(check.stdout) as { dir: string };
    expect(dir).toMatch(/^\/tmp\/academy-exec-/);
    expect((await exec(id, { cmd: ['ls', dir] })).exitCode).not.toBe(0);

    const slow = await exec(id, { cmd: ['sleep', '30'], timeoutMs: 1000 });
    expect(slow).toMatchObject({ timedOut: true });

    const flood = await exec(id, { cmd: ['sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" x'] });
    expect(flood.truncated).toBe(true);
    expect(flood.stdout.length).toBe(1024 * 1024);
    await t.api(`/v1/sessions/${id}`, { method: 'DELETE' });
  }, 120_000);

  it('lists sessions filtered by user and state', async () => {
    const id = await t.startSession('dave');
    const mine = (await (await t.api('/v1/sessions?userId=dave')).json()) as { sessions: { id: string }[] };
    expect(mine.sessions.map((s) => s.id)).toEqual([id]);
    const stopped = (await (await t.api('/v1/sessions?state=stopped&userId=dave')).json()) as {
      sessions: unknown[];
    };
    expect(stopped.sessions).toEqual([]);
    expect((await t.api('/v1/sessions?state=sleeping')).status).toBe(400);
    await t.api(`/v1/sessions/${id}`, { method: 'DELETE' });
  }, 120_000);

  it('stops an idle session, keeping its work, and destroys one past its time limit', async () => {
    const id = await t.startSession('erin');
    const session = t.runner.sessions.get(id);
    await t.runner.sessions.reap(session.lastActivityAt + t.config.idleStopMs + 1);
    expect(t.runner.sessions.get(id).state).toBe('stopped');
    await t.runner.sessions.reap(session.expiresAt + 1);
    expect((await t.api(`/v1/sessions/${id}`)).status).toBe(404);
  }, 120_000);
});

describe('capacity', () => {
  it('refuses a second running lab for the same learner, and explains it', async () => {
    const first = await t.startSession('frank');
    const response = await t.api('/v1/sessions', {
      method: 'POST',
      json: { userId: 'frank', labId: 'small-disk' },
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: 'TOO_MANY_SESSIONS',
      message: expect.stringMatching(/stop one before starting another/),
    });
    await t.api(`/v1/sessions/${first}/stop`, { method: 'POST' });
    const afterStopping = await t.api('/v1/sessions', {
      method: 'POST',
      json: { userId: 'frank', labId: 'small-disk' },
    });
    expect(afterStopping.status).toBe(201);
    const second = ((await afterStopping.json()) as { id: string }).id;
    await Promise.all([first, second].map((id) => t.api(`/v1/sessions/${id}`, { method: 'DELETE' })));
  }, 120_000);

  it('answers "at capacity" when every sandbox on the server is in use', async () => {
    const ids = [await t.startSession('g1'), await t.startSession('g2'), await t.startSession('g3')];
    const response = await t.api('/v1/sessions', {
      method: 'POST',
      json: { userId: 'g4', labId: 'sandbox-basics' },
    });
    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({
      error: 'AT_CAPACITY',
      message: expect.stringMatching(/All 3 sandboxes/),
    });
    await Promise.all(ids.map((id) => t.api(`/v1/sessions/${id}`, { method: 'DELETE' })));
  }, 180_000);
});

describe('bad input', () => {
  it.each([
    ['POST', '/v1/sessions', { userId: '', labId: 'sandbox-basics' }, 400, 'BAD_REQUEST'],
    ['POST', '/v1/sessions', { userId: 'a', labId: '../etc' }, 400, 'BAD_REQUEST'],
    ['POST', '/v1/sessions', { userId: 'a', labId: 'no-such-lab' }, 404, 'LAB_NOT_FOUND'],
    ['POST', '/v1/sessions', { userId: 'a', labId: 'sandbox-basics', extra: 1 }, 400, 'BAD_REQUEST'],
    ['GET', '/v1/sessions/not-an-id', undefined, 400, 'BAD_REQUEST'],
    ['GET', '/v1/sessions/0123456789abcdef0123', undefined, 404, 'SESSION_NOT_FOUND'],
    ['POST', '/v1/sessions/0123456789abcdef0123/exec', { cmd: [] }, 400, 'BAD_REQUEST'],
    ['GET', '/v1/nothing-here', undefined, 404, 'NOT_FOUND'],
  ])('%s %s %j → %i %s', async (method, pathname, json, status, code) => {
    const response = await t.api(pathname, { method, json });
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: code, message: expect.any(String) });
  });

  it('answers malformed JSON with a 400, not a crash', async () => {
    const response = await t.api('/v1/sessions', {
      method: 'POST',
      body: '{"userId": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'BAD_REQUEST' });
    expect((await t.api('/v1/health')).status).toBe(200);
  });

  it('serves health and Prometheus metrics', async () => {
    expect(await (await t.api('/v1/health')).json()).toMatchObject({ status: 'ok' });
    const metrics = await (await t.api('/metrics')).text();
    expect(metrics).toContain('mlops_academy_sessions{state="ready"}');
    expect(metrics).toContain('mlops_academy_session_start_seconds_bucket');
    expect(metrics).toContain('mlops_academy_pool_size');
  });
});
