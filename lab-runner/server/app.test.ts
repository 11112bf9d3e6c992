import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InjectOptions } from 'fastify';
import type { ExecBody } from '../api/requests';
import type { ExecRequest } from '../drivers/driver';
import { fakeRunnerSecret, startFakeRunner, type FakeRunner } from '@/tests/support/fake-runner';

let runner: FakeRunner;

beforeEach(async () => {
  runner = await startFakeRunner();
});

afterEach(async () => {
  await runner.close();
});

function asServer(request: InjectOptions): InjectOptions {
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${fakeRunnerSecret}` } };
}

describe('the runner app', () => {
  it('serves health to anyone, and metrics to the server only', async () => {
    await runner.startSession('alice');
    const health = await runner.app.inject({ method: 'GET', url: '/v1/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', sessions: 1, pool: 0 });
    const anonymous = await runner.app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    const metrics = await runner.app.inject(asServer({ method: 'GET', url: '/metrics' }));
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('mlops_academy_sessions{state="ready"} 1');
  });

  it('answers an unknown route with a JSON 404, whoever asks', async () => {
    const response = await runner.app.inject({ method: 'GET', url: '/v1/nothing-here?token=x' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'NOT_FOUND', message: 'No endpoint GET /v1/nothing-here.' });
  });

  it('creates a session (201), then answers the same one (200)', async () => {
    const create = asServer({
      method: 'POST',
      url: '/v1/sessions',
      payload: { userId: 'alice', labId: 'sandbox-basics' },
    });
    const first = await runner.app.inject(create);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ userId: 'alice', labId: 'sandbox-basics', state: 'ready' });
    const again = await runner.app.inject(create);
    expect(again.statusCode).toBe(200);
    expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
  });

  it('says which field of a body or query is wrong, in one sentence', async () => {
    const cases: [InjectOptions, RegExp][] = [
      [
        { method: 'POST', url: '/v1/sessions', payload: { userId: '', labId: 'x' } },
        /^Invalid request body: userId: .+\.$/,
      ],
      [
        { method: 'POST', url: '/v1/sessions', payload: { userId: 'a', labId: 'sandbox-basics', extra: 1 } },
        /^Invalid request body: .*extra.*\.$/,
      ],
      [{ method: 'GET', url: '/v1/sessions?state=sleeping' }, /^Invalid query: state: .+\.$/],
      [
        { method: 'POST', url: '/v1/sessions/0123456789abcdef0123/exec', payload: { cmd: [] } },
        /^Invalid request body: cmd: .+\.$/,
      ],
    ];
    for (const [request, message] of cases) {
      const response = await runner.app.inject(asServer(request));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'BAD_REQUEST', message: expect.stringMatching(message) });
    }
  });

  it('answers malformed JSON with a 400 BAD_REQUEST', async () => {
    const response = await runner.app.inject(
      asServer({
        method: 'POST',
        url: '/v1/sessions',
        payload: '{"userId": ',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'BAD_REQUEST' });
  });

  it('answers an unexpected failure with a 500 that tells nothing of it, and logs it', async () => {
    const id = await runner.startSession('alice');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    runner.driver.failNext('exec', new Error('engine exploded at /var/lib/docker'));
    const response = await runner.app.inject(
      asServer({ method: 'POST', url: `/v1/sessions/${id}/exec`, payload: { cmd: ['true'] } }),
    );
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'INTERNAL',
      message: 'Something went wrong in the lab runner; the error has been logged.',
    });
    expect(logged).toHaveBeenCalled();
  });

  it('runs an exec with files through the private-folder script, and refuses a file without a name', async () => {
    const id = await runner.startSession('alice');
    const exec = (payload: ExecBody) =>
      runner.app.inject(asServer({ method: 'POST', url: `/v1/sessions/${id}/exec`, payload }));
    expect(
      (await exec({ cmd: ['python3', 'check.py'], user: 'grader', files: { 'check.py': 'print(1)' } }))
        .statusCode,
    ).toBe(200);
    const sent = runner.driver.callsOf('exec').at(-1)?.args[0] as ExecRequest;
    expect(sent).toMatchObject({
      cmd: ['python3', '-c', expect.any(String)],
      user: 'grader',
      outputLimitBytes: 1024 * 1024,
    });
    expect(JSON.parse(sent.stdin!.toString())).toEqual({
      files: { 'check.py': 'print(1)' },
      cmd: ['python3', 'check.py'],
    });
    expect((await exec({ cmd: ['true'], files: { './': 'x' } })).json()).toEqual({
      error: 'BAD_REQUEST',
      message: 'Every file needs a name.',
    });
  });
});

describe('what a browser may cost its sandbox', () => {
  it('refuses a browser’s file operations past its budget with 429, never the web app’s', async () => {
    const small = await startFakeRunner({ execBudget: { burst: 5, perSecond: 0.001, maxServicePorts: 2 } });
    // Every file operation answers as the in-sandbox helper would.
    small.driver.onExec(() => ({ stdout: JSON.stringify({ ok: true }) }));
    try {
      const id = await small.startSession('alice');
      const read = (headers: Record<string, string>) =>
        small.app.inject({ method: 'GET', url: `/v1/sessions/${id}/files?path=`, headers });
      const browser = { 'x-academy-token': small.token(id, 'alice') };
      for (let i = 0; i < 5; i++) expect((await read(browser)).statusCode).toBe(200);
      const refused = await read(browser);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ error: 'RATE_LIMITED', message: expect.stringMatching(/wait/) });
      // The web app's own calls (a solution copied in) are not counted.
      for (let i = 0; i < 10; i++) {
        expect((await read({ authorization: `Bearer ${fakeRunnerSecret}` })).statusCode).toBe(200);
      }
    } finally {
      await small.close();
    }
  });

  it('caps the service ports a browser opens in its sandbox', async () => {
    const small = await startFakeRunner({ execBudget: { burst: 100, perSecond: 1, maxServicePorts: 2 } });
    try {
      const id = await small.startSession('alice');
      const browser = { 'x-academy-token': small.token(id, 'alice') };
      const statusOf = async (port: number) =>
        (
          await small.app.inject({
            method: 'GET',
            url: `/v1/sessions/${id}/services/${port}/`,
            headers: browser,
          })
        ).statusCode;
      // (Nothing listens in the fake sandbox: 502 means the request went through to the bridge.)
      expect(await statusOf(5000)).not.toBe(429);
      expect(await statusOf(5100)).not.toBe(429);
      expect(await statusOf(5000)).not.toBe(429);
      expect(await statusOf(8000)).toBe(429);
    } finally {
      await small.close();
    }
  });
});
