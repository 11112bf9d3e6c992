/** Who may reach a session: the server secret, or a valid, unexpired token for that session and its user. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintBrowserToken } from '@/lab-runner/api/tokens';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';

let t: TestRunner;
let aliceSession: string;
let bobSession: string;

beforeAll(async () => {
  t = await startTestRunner();
  aliceSession = await t.startSession('alice');
  bobSession = await t.startSession('bob');
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

const filesOf = (id: string) => `/v1/sessions/${id}/files?path=`;

async function status(pathname: string, headers: Record<string, string>, method = 'GET') {
  const response = await fetch(`${t.url}${pathname}`, { method, headers });
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error };
}

describe('runner authentication', () => {
  it('requires the secret for server-to-server endpoints', async () => {
    expect(await status('/v1/sessions', {})).toEqual({ status: 401, error: 'UNAUTHORIZED' });
    expect(await status('/v1/sessions', { authorization: 'Bearer wrong-secret' })).toEqual({
      status: 401,
      error: 'UNAUTHORIZED',
    });
    // A browser token never opens server-to-server endpoints.
    expect(
      await status(`/v1/sessions/${aliceSession}`, { 'x-academy-token': t.token(aliceSession, 'alice') }),
    ).toEqual({ status: 401, error: 'UNAUTHORIZED' });
  });

  it('accepts the session owner’s token for files', async () => {
    expect(
      (await status(filesOf(aliceSession), { 'x-academy-token': t.token(aliceSession, 'alice') })).status,
    ).toBe(200);
  });

  it('rejects a missing token with 401', async () => {
    expect(await status(filesOf(aliceSession), {})).toEqual({ status: 401, error: 'UNAUTHORIZED' });
  });

  it('rejects an expired token with 401', async () => {
    const expired = mintBrowserToken(
      t.config.secret,
      { sessionId: aliceSession, userId: 'alice', ttlSeconds: 60 },
      Date.now() - 120_000,
    );
    expect(await status(filesOf(aliceSession), { 'x-academy-token': expired })).toEqual({
      status: 401,
      error: 'UNAUTHORIZED',
    });
  });

  it('rejects a tampered token with 401', async () => {
    const token = t.token(aliceSession, 'alice');
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, s: bobSession, u: 'bob' })).toString('base64url');
    expect(await status(filesOf(bobSession), { 'x-academy-token': `${forged}.${signature}` })).toEqual({
      status: 401,
      error: 'UNAUTHORIZED',
    });
  });

  it('rejects another session’s token, and a token naming another user, with 403', async () => {
    expect(await status(filesOf(bobSession), { 'x-academy-token': t.token(aliceSession, 'alice') })).toEqual({
      status: 403,
      error: 'FORBIDDEN',
    });
    expect(await status(filesOf(bobSession), { 'x-academy-token': t.token(bobSession, 'alice') })).toEqual({
      status: 403,
      error: 'FORBIDDEN',
    });
  });

  it('guards the terminal and service endpoints the same way; only the terminal takes ?token=', async () => {
    const aliceToken = () => t.token(aliceSession, 'alice');
    for (const endpoint of [
      `/v1/sessions/${bobSession}/terminal`,
      `/v1/sessions/${bobSession}/services/8000/`,
    ]) {
      expect((await status(endpoint, {})).status).toBe(401);
      expect((await status(endpoint, { 'x-academy-token': aliceToken() })).status).toBe(403);
    }
    expect((await status(`/v1/sessions/${bobSession}/terminal?token=${aliceToken()}`, {})).status).toBe(403);
    // A service page's URL never carries a token that works.
    const bobToken = t.token(bobSession, 'bob');
    expect((await status(`/v1/sessions/${bobSession}/services/8000/?token=${bobToken}`, {})).status).toBe(
      401,
    );
  });
});
