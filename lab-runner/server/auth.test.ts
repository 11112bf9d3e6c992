import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InjectOptions } from 'fastify';
import { SessionManager } from '../sessions/manager';
import {
  fakeRunnerOrigin,
  fakeRunnerSecret,
  startFakeRunner,
  type FakeRunner,
} from '@/tests/support/fake-runner';

let runner: FakeRunner;
let alice: string;
let bob: string;

beforeEach(async () => {
  runner = await startFakeRunner();
  alice = await runner.startSession('alice');
  bob = await runner.startSession('bob');
  // File operations run a script in the sandbox and read its JSON answer.
  runner.driver.onExec(() => ({ stdout: JSON.stringify({ ok: true }) }));
});

afterEach(async () => {
  await runner.close();
});

const asServer = { authorization: `Bearer ${fakeRunnerSecret}` };

async function call(request: InjectOptions) {
  const response = await runner.app.inject(request);
  const body = response.body ? (response.json() as { error?: string; message?: string }) : {};
  return { status: response.statusCode, error: body.error, message: body.message };
}

/** Every route only the web app may call, for a session id. */
const serverRoutes = (id: string): InjectOptions[] => [
  { method: 'GET', url: '/v1/capacity' },
  { method: 'POST', url: '/v1/sessions', payload: { userId: 'alice', labId: 'sandbox-basics' } },
  { method: 'GET', url: '/v1/sessions' },
  { method: 'GET', url: `/v1/sessions/${id}` },
  { method: 'POST', url: `/v1/sessions/${id}/stop` },
  { method: 'POST', url: `/v1/sessions/${id}/resume` },
  { method: 'POST', url: `/v1/sessions/${id}/reset` },
  { method: 'DELETE', url: `/v1/sessions/${id}` },
  { method: 'GET', url: `/v1/sessions/${id}/stats` },
  { method: 'POST', url: `/v1/sessions/${id}/exec`, payload: { cmd: ['true'] } },
  { method: 'POST', url: `/v1/sessions/${id}/checks`, payload: { stepId: 'say-hello' } },
];

/** The session-scope routes that change the sandbox: refused to a read-only token. */
const writeRoutes = (id: string): InjectOptions[] => [
  { method: 'PUT', url: `/v1/sessions/${id}/files?path=a.txt`, payload: { content: 'x' } },
  { method: 'PUT', url: `/v1/sessions/${id}/files?path=d`, payload: { type: 'directory' } },
  { method: 'POST', url: `/v1/sessions/${id}/files/move`, payload: { from: 'a.txt', to: 'b.txt' } },
  { method: 'DELETE', url: `/v1/sessions/${id}/files?path=a.txt` },
  { method: 'GET', url: `/v1/sessions/${id}/services/8000/` },
];

const readRoutes = (id: string): InjectOptions[] => [
  { method: 'GET', url: `/v1/sessions/${id}/files?path=` },
  { method: 'GET', url: `/v1/sessions/${id}/files/tree` },
];

const sessionRoutes = (id: string): InjectOptions[] => [
  ...readRoutes(id),
  ...writeRoutes(id),
  { method: 'GET', url: `/v1/sessions/${id}/terminal` },
];

const withHeaders = (request: InjectOptions, headers: Record<string, string>): InjectOptions => ({
  ...request,
  headers: { ...request.headers, ...headers },
});

describe('the server scope', () => {
  it('answers 401 without the secret, with a wrong one or with a browser token, and never reaches the sessions', async () => {
    const prototype = SessionManager.prototype;
    const methods = Object.getOwnPropertyNames(prototype).filter(
      (name) =>
        name !== 'constructor' &&
        typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === 'function',
    );
    const spies = methods.map((name) => vi.spyOn(runner.sessions, name as keyof SessionManager));
    const driverCalls = runner.driver.calls.length;
    for (const request of serverRoutes(alice)) {
      expect(await call(request)).toEqual({
        status: 401,
        error: 'UNAUTHORIZED',
        message: 'This endpoint needs the runner secret (Authorization: Bearer …).',
      });
      expect(await call(withHeaders(request, { authorization: 'Bearer wrong-secret' }))).toEqual({
        status: 401,
        error: 'UNAUTHORIZED',
        message: 'The runner secret is wrong.',
      });
      const browser = withHeaders(request, { 'x-academy-token': runner.token(alice, 'alice') });
      expect((await call(browser)).status).toBe(401);
    }
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(runner.driver.calls.length).toBe(driverCalls);
  });

  it('checks the secret before the session id', async () => {
    expect((await call({ method: 'GET', url: '/v1/sessions/not-an-id' })).status).toBe(401);
    expect(await call({ method: 'GET', url: '/v1/sessions/not-an-id', headers: asServer })).toEqual({
      status: 400,
      error: 'BAD_REQUEST',
      message: 'Invalid session id: id: is not a session id.',
    });
  });

  it('lets the secret through to every route', async () => {
    for (const request of serverRoutes(alice)) {
      expect((await call(withHeaders(request, asServer))).status).not.toBe(401);
    }
  });
});

describe('the session scope', () => {
  it('answers a malformed session id with 400, before asking who calls', async () => {
    for (const request of sessionRoutes('not-an-id')) {
      expect(await call(request)).toEqual({
        status: 400,
        error: 'BAD_REQUEST',
        message: 'Invalid session id: id: is not a session id.',
      });
    }
  });

  it('answers 401 without a token, or with a malformed, forged or expired one', async () => {
    const expired = runner.token(alice, 'alice', { ttlSeconds: -60 });
    const [payload] = runner.token(bob, 'bob').split('.');
    const forged = `${payload}.${runner.token(alice, 'alice').split('.')[1]}`;
    const cases: [Record<string, string>, string][] = [
      [{}, 'A session token is required.'],
      [{ 'x-academy-token': 'garbage' }, 'The session token is malformed; reload the page.'],
      [{ 'x-academy-token': forged }, 'The session token has an invalid signature; reload the page.'],
      [{ 'x-academy-token': expired }, 'The session token has expired; reload the page.'],
    ];
    for (const request of sessionRoutes(alice)) {
      for (const [headers, message] of cases) {
        expect(await call(withHeaders(request, headers))).toEqual({
          status: 401,
          error: 'UNAUTHORIZED',
          message,
        });
      }
    }
  });

  it('answers 403 to a token for another session, or naming another user', async () => {
    for (const request of sessionRoutes(bob)) {
      expect(await call(withHeaders(request, { 'x-academy-token': runner.token(alice, 'alice') }))).toEqual({
        status: 403,
        error: 'FORBIDDEN',
        message: 'This token belongs to another session.',
      });
      expect(await call(withHeaders(request, { 'x-academy-token': runner.token(bob, 'alice') }))).toEqual({
        status: 403,
        error: 'FORBIDDEN',
        message: 'This session belongs to another user.',
      });
    }
  });

  it('takes the token from the header only, outside the terminal (?token= is refused as missing)', async () => {
    const response = await call({
      method: 'GET',
      url: `/v1/sessions/${alice}/files?path=&token=${runner.token(alice, 'alice')}`,
    });
    expect(response).toMatchObject({ status: 401, error: 'UNAUTHORIZED' });
  });

  it('lets the owner’s token change the workspace', async () => {
    for (const request of writeRoutes(alice).slice(0, 4)) {
      expect(
        (await call(withHeaders(request, { 'x-academy-token': runner.token(alice, 'alice') }))).status,
      ).toBe(200);
    }
  });

  it('lets a read-only token read files and the tree, and nothing else', async () => {
    const readOnly = () => ({ 'x-academy-token': runner.token(alice, 'alice', { readOnly: true }) });
    for (const request of readRoutes(alice)) {
      expect((await call(withHeaders(request, readOnly()))).status).toBe(200);
    }
    for (const request of writeRoutes(alice)) {
      expect(await call(withHeaders(request, readOnly()))).toEqual({
        status: 403,
        error: 'FORBIDDEN',
        message: 'This is a read-only view: it cannot change the workspace.',
      });
    }
  });

  it('lets the server’s secret through to every route, and refuses a wrong one even beside a valid token', async () => {
    for (const request of [...readRoutes(alice), ...writeRoutes(alice).slice(0, 4)]) {
      expect((await call(withHeaders(request, asServer))).status).toBe(200);
    }
    // Nothing listens in a fake sandbox: the proxy got as far as the service.
    expect(
      await call({ method: 'GET', url: `/v1/sessions/${alice}/services/8000/`, headers: asServer }),
    ).toMatchObject({
      status: 502,
      error: 'SERVICE_UNAVAILABLE',
    });
    const wrong = { authorization: 'Bearer wrong-secret', 'x-academy-token': runner.token(alice, 'alice') };
    expect(await call({ method: 'GET', url: `/v1/sessions/${alice}/files?path=`, headers: wrong })).toEqual({
      status: 401,
      error: 'UNAUTHORIZED',
      message: 'The runner secret is wrong.',
    });
  });

  it('answers SESSION_NOT_FOUND for a well-formed id the runner does not know', async () => {
    const unknown = '0123456789abcdef0123';
    expect(
      await call({ method: 'GET', url: `/v1/sessions/${unknown}/files/tree`, headers: asServer }),
    ).toMatchObject({
      status: 404,
      error: 'SESSION_NOT_FOUND',
    });
  });
});

describe('the terminal WebSocket', () => {
  const terminal = (id: string, token: string) => `/v1/sessions/${id}/terminal?token=${token}`;

  it('opens for the owner’s token once: the token cannot be replayed', async () => {
    const token = runner.token(alice, 'alice');
    const socket = await runner.app.injectWS(terminal(alice, token));
    socket.terminate();
    await expect(runner.app.injectWS(terminal(alice, token))).rejects.toThrow(/401/);
  });

  it('opens for a read-only token, counted as a viewer', async () => {
    const socket = await runner.app.injectWS(
      terminal(alice, runner.token(alice, 'alice', { readOnly: true })),
    );
    socket.send(JSON.stringify({ type: 'resize', cols: 80, rows: 24 }));
    await vi.waitFor(() => expect(runner.sessions.viewers(alice)).toBe(1));
    socket.terminate();
  });

  it('refuses another session’s token, and pages on other origins before anything else', async () => {
    await expect(runner.app.injectWS(terminal(bob, runner.token(alice, 'alice')))).rejects.toThrow(/403/);
    const foreign = { headers: { origin: 'https://evil.example' } };
    await expect(runner.app.injectWS(terminal(alice, runner.token(alice, 'alice')), foreign)).rejects.toThrow(
      /403/,
    );
    expect(
      await call({ method: 'GET', url: '/v1/sessions/not-an-id/terminal', headers: foreign.headers }),
    ).toMatchObject({
      status: 403,
      message: 'WebSocket connections from https://evil.example are not allowed.',
    });
    const allowed = { headers: { origin: fakeRunnerOrigin } };
    const socket = await runner.app.injectWS(terminal(alice, runner.token(alice, 'alice')), allowed);
    socket.terminate();
  });

  it('refuses a stopped sandbox with SESSION_NOT_READY', async () => {
    await runner.sessions.stop(alice);
    expect(await call({ method: 'GET', url: terminal(alice, runner.token(alice, 'alice')) })).toMatchObject({
      status: 409,
      error: 'SESSION_NOT_READY',
    });
  });
});
