import { describe, expect, it } from 'vitest';
import { FilesClient, FilesError } from './files-client';
import type { SessionAccess } from './session-access';

type Call = { method: string; url: string; token: string | null; body: unknown };
type Reply = { status: number; body?: unknown; statusText?: string };

/** A runner behind a fake fetch: it records each request and answers with the next reply. */
function fakeRunner(...replies: Reply[]) {
  const calls: Call[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    calls.push({
      method: init?.method ?? 'GET',
      url: String(input),
      token: headers.get('X-Academy-Token'),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const reply = replies.shift();
    if (!reply) throw new TypeError('fetch failed');
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    return new Response(text, { status: reply.status, statusText: reply.statusText });
  };
  let freshTokens = 0;
  const access: SessionAccess = {
    sessionId: '0123456789abcdef0123',
    runnerBase: '/runner',
    token: async () => 'cached-token',
    freshToken: async () => `fresh-token-${++freshTokens}`,
  };
  return { calls, client: new FilesClient(access, fetchImpl) };
}

const base = '/runner/v1/sessions/0123456789abcdef0123';

describe('FilesClient', () => {
  it('lists the workspace tree with the session token', async () => {
    const entries = [
      { path: 'data', type: 'directory', size: 4096, modifiedMs: 1 },
      { path: '.git', type: 'directory', size: 4096, modifiedMs: 1, skipped: true },
      { path: 'train.py', type: 'file', size: 12, modifiedMs: 2 },
    ];
    const { calls, client } = fakeRunner({ status: 200, body: { entries, truncated: false } });

    await expect(client.tree()).resolves.toEqual({ entries, truncated: false });
    expect(calls).toEqual([
      { method: 'GET', url: `${base}/files/tree`, token: 'cached-token', body: undefined },
    ]);
  });

  it('reads a file by its encoded path', async () => {
    const { calls, client } = fakeRunner({
      status: 200,
      body: { ok: true, type: 'file', path: 'src/a b.py', content: 'x = 1\n', size: 6, modifiedMs: 5 },
    });

    await expect(client.read('src/a b.py')).resolves.toEqual({ content: 'x = 1\n', size: 6, modifiedMs: 5 });
    expect(calls[0]?.url).toBe(`${base}/files?path=src%2Fa+b.py`);
  });

  it('refuses to read a folder as a file', async () => {
    const { client } = fakeRunner({
      status: 200,
      body: { ok: true, type: 'directory', path: 'src', entries: [] },
    });

    await expect(client.read('src')).rejects.toMatchObject({ code: 'NOT_A_FILE', status: 409 });
  });

  it('writes content and creates folders with PUT', async () => {
    const { calls, client } = fakeRunner(
      { status: 200, body: { ok: true, type: 'file', path: 'a.py', size: 3 } },
      { status: 200, body: { ok: true, type: 'directory', path: 'data' } },
    );

    await expect(client.write('a.py', 'é\n')).resolves.toEqual({ size: 3 });
    await client.mkdir('data');
    expect(calls.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'PUT', url: `${base}/files?path=a.py`, body: { content: 'é\n' } },
      { method: 'PUT', url: `${base}/files?path=data`, body: { type: 'directory' } },
    ]);
  });

  it('moves and deletes', async () => {
    const { calls, client } = fakeRunner(
      { status: 200, body: { ok: true, path: 'b.py' } },
      { status: 200, body: { ok: true, path: 'b.py' } },
    );

    await client.move('a.py', 'b.py');
    await client.remove('b.py');
    expect(calls.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'POST', url: `${base}/files/move`, body: { from: 'a.py', to: 'b.py' } },
      { method: 'DELETE', url: `${base}/files?path=b.py`, body: undefined },
    ]);
  });

  it('retries once with a fresh token after a 401', async () => {
    const { calls, client } = fakeRunner(
      { status: 401, body: { error: 'UNAUTHORIZED', message: 'The token has expired.' } },
      { status: 200, body: { entries: [], truncated: false } },
    );

    await expect(client.tree()).resolves.toEqual({ entries: [], truncated: false });
    expect(calls.map((call) => call.token)).toEqual(['cached-token', 'fresh-token-1']);
  });

  it('gives up after the retry is refused too', async () => {
    const { calls, client } = fakeRunner(
      { status: 401, body: { error: 'UNAUTHORIZED', message: 'The token has expired.' } },
      { status: 401, body: { error: 'UNAUTHORIZED', message: 'The token has expired.' } },
    );

    await expect(client.tree()).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(calls).toHaveLength(2);
  });

  it("throws the runner's code, message and status", async () => {
    const { client } = fakeRunner({
      status: 409,
      body: { error: 'ALREADY_EXISTS', message: "'x' already exists." },
    });

    const error = await client.mkdir('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FilesError);
    expect(error).toMatchObject({ code: 'ALREADY_EXISTS', message: "'x' already exists.", status: 409 });
  });

  it('explains an error reply that is not the runner’s JSON', async () => {
    const { client } = fakeRunner({ status: 502, statusText: 'Bad Gateway' });

    await expect(client.tree()).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: 'The lab runner answered 502 Bad Gateway.',
      status: 502,
    });
  });

  it('rejects a successful reply of the wrong shape', async () => {
    const { client } = fakeRunner({ status: 200, body: { entries: 'nope' } });

    await expect(client.tree()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('reports a network failure as NETWORK_ERROR with status 0', async () => {
    const { client } = fakeRunner();

    await expect(client.read('a.py')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it('stops a request when its signal is aborted, as cancelled rather than a network failure', async () => {
    const access: SessionAccess = {
      sessionId: '0123456789abcdef0123',
      runnerBase: '/runner',
      token: async () => 'cached-token',
      freshToken: async () => 'fresh-token',
    };
    // A runner that never answers: only the abort ends the request.
    const fetchImpl: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        if (init?.signal?.aborted) reject(init.signal.reason);
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const client = new FilesClient(access, fetchImpl);
    const controller = new AbortController();

    const tree = client.tree(controller.signal);
    const read = client.read('a.py', controller.signal);
    controller.abort();
    await expect(tree).rejects.toMatchObject({ name: 'AbortError' });
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
    await expect(client.tree(controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
