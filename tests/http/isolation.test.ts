/**
 * One learner cannot reach another's sandbox, files, terminal or progress through the web app, even
 * knowing the other's sandbox id: every /runner request needs a token the web app mints only for
 * the signed-in learner's own sandbox, and no endpoint takes a user id from a learner.
 */
import http from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, signUp, type Account } from './support';

const labId = 'reproducible-training';
let alice: Account;
let bob: Account;
let aliceSession: string;
let bobSession: string;

type TokenBody = { sessionId: string; token: string };

async function start(account: Account): Promise<string> {
  const response = await account.client.post(`/api/labs/${labId}/session`);
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { session: { id: string } }).session.id;
}

async function tokenOf(account: Account): Promise<TokenBody> {
  const response = await account.client.post(`/api/labs/${labId}/token`);
  expect(response.status).toBe(200);
  return (await response.json()) as TokenBody;
}

/** The status of a GET sent with exactly this path, as a hostile client could send it. */
function rawStatus(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(baseUrl), { path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });
}

/** Whether a WebSocket to the terminal opens (true) or is refused (the HTTP status). */
function openTerminal(sessionId: string, token: string): Promise<true | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(
      `${baseUrl.replace(/^http/, 'ws')}/runner/v1/sessions/${sessionId}/terminal?token=${token}`,
      { headers: { origin: baseUrl } },
    );
    ws.once('open', () => {
      ws.close();
      resolve(true);
    });
    ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

beforeAll(async () => {
  alice = await signUp('learner', { name: 'Alice' });
  bob = await signUp('learner', { name: 'Bob' });
  aliceSession = await start(alice);
  bobSession = await start(bob);
  expect(aliceSession).not.toBe(bobSession);
  const write = await alice.client.request(`/runner/v1/sessions/${aliceSession}/files?path=secret.txt`, {
    method: 'PUT',
    json: { content: 'alice only\n' },
    headers: { 'x-academy-token': (await tokenOf(alice)).token },
  });
  expect(write.status).toBe(200);
}, 300_000);

afterAll(async () => {
  for (const account of [alice, bob]) await account?.client.post(`/api/labs/${labId}/session/stop`);
}, 120_000);

describe('learner isolation', () => {
  it('gives each learner a token for their own sandbox only', async () => {
    expect((await tokenOf(alice)).sessionId).toBe(aliceSession);
    expect((await tokenOf(bob)).sessionId).toBe(bobSession);
  });

  it("refuses Bob's token on Alice's files, however he asks", async () => {
    const { token } = await tokenOf(bob);
    const tries = [
      await bob.client.get(`/runner/v1/sessions/${aliceSession}/files?path=secret.txt`, {
        headers: { 'x-academy-token': token },
      }),
      await bob.client.get(`/runner/v1/sessions/${aliceSession}/files/tree`, {
        headers: { 'x-academy-token': token },
      }),
      await bob.client.request(`/runner/v1/sessions/${aliceSession}/files?path=secret.txt`, {
        method: 'PUT',
        json: { content: 'bob was here\n' },
        headers: { 'x-academy-token': token },
      }),
      await bob.client.get(`/runner/v1/sessions/${aliceSession}/files?path=secret.txt&token=${token}`),
      await bob.client.get(`/runner/v1/sessions/${aliceSession}/files?path=secret.txt`),
    ];
    for (const response of tries) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(await response.text()).not.toContain('alice only');
    }
    const own = await alice.client.get(`/runner/v1/sessions/${aliceSession}/files?path=secret.txt`, {
      headers: { 'x-academy-token': (await tokenOf(alice)).token },
    });
    expect(((await own.json()) as { content: string }).content).toBe('alice only\n');
  });

  it("refuses Bob's token on Alice's terminal and the runner's own API", async () => {
    expect(await openTerminal(aliceSession, (await tokenOf(bob)).token)).not.toBe(true);
    expect(await openTerminal(aliceSession, 'not-a-token')).not.toBe(true);
    expect(await openTerminal(aliceSession, (await tokenOf(alice)).token)).toBe(true);
    // Runner endpoints other than files, terminal and services are not reachable from a browser.
    for (const path of [
      `/runner/v1/sessions/${aliceSession}`,
      `/runner/v1/sessions`,
      `/runner/v1/sessions/${aliceSession}/exec`,
    ]) {
      const response = await bob.client.get(path);
      expect(response.status).toBe(404);
    }
    // Nor with dots or slashes percent-encoded past the check (sent raw: fetch would resolve them).
    const { token } = await tokenOf(bob);
    for (const path of [
      `/runner/v1/sessions/${bobSession}/services/5000/%2e%2e/%2e%2e/exec?token=${token}`,
      `/runner/v1/sessions/${bobSession}/services/5000/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/metrics`,
      `/runner/v1/sessions/${bobSession}/services/5000/..%2F..%2Fexec?token=${token}`,
      `/runner/v1/sessions/${bobSession}/services/5000/..\\..\\exec?token=${token}`,
    ]) {
      expect(await rawStatus(path), path).toBe(404);
    }
  });

  it("shows Bob his own sandbox and progress, never Alice's, whatever he puts in the URL", async () => {
    const mine = await bob.client.get(`/api/labs/${labId}/session?userId=${alice.user.id}`);
    expect(((await mine.json()) as { session: { id: string } }).session.id).toBe(bobSession);
    const stop = await bob.client.post(`/api/labs/${labId}/session/stop`, { userId: alice.user.id });
    expect(stop.status).toBeLessThan(500);
    const aliceView = (await (await alice.client.get(`/api/labs/${labId}/session`)).json()) as {
      session: { id: string; state: string };
    };
    expect(aliceView.session).toMatchObject({ id: aliceSession, state: 'ready' });
    const progress = await bob.client.get(`/api/progress/summary?userId=${alice.user.id}`);
    expect(progress.status).toBe(200);
    expect(JSON.stringify(await progress.json())).not.toContain(alice.user.id);
  });
});
