/**
 * `GET /v1/capacity` against a real runner: the configured limits, and how many sandboxes use them
 * as one is started, stopped and destroyed. It is server-to-server only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';
import type { RunnerCapacity } from '@/lib/runner/client';

let t: TestRunner;

beforeAll(async () => {
  t = await startTestRunner({ MAX_SESSIONS: '7', MAX_SESSIONS_PER_USER: '3', IDLE_STOP_MINUTES: '12' });
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

async function capacity(): Promise<RunnerCapacity> {
  const response = await t.api('/v1/capacity');
  expect(response.status).toBe(200);
  return (await response.json()) as RunnerCapacity;
}

describe('GET /v1/capacity', () => {
  it('refuses a caller without the runner secret', async () => {
    const response = await t.api('/v1/capacity', {
      headers: { authorization: 'Bearer wrong-secret-000000' },
    });
    expect(response.status).toBe(401);
  });

  it('reports the limits, the sandboxes in use and the host memory as sandboxes come and go', async () => {
    const empty = await capacity();
    expect(empty).toMatchObject({
      maxSessions: 7,
      maxSessionsPerUser: 3,
      poolSize: 0,
      poolReady: 0,
      active: 0,
      stopped: 0,
      idleStopMs: 12 * 60_000,
    });
    expect(empty.sandboxMemoryMb).toBeGreaterThan(0);
    expect(empty.host.memoryTotalBytes).toBeGreaterThan(empty.host.memoryAvailableBytes);
    expect(empty.host.cpus).toBeGreaterThan(0);

    const id = await t.startSession('capacity-user');
    expect(await capacity()).toMatchObject({ active: 1, stopped: 0 });

    const stats = await t.api(`/v1/sessions/${id}/stats`);
    expect(stats.status).toBe(200);
    expect(((await stats.json()) as { memoryBytes: number }).memoryBytes).toBeGreaterThan(0);

    expect((await t.api(`/v1/sessions/${id}/stop`, { method: 'POST' })).status).toBe(200);
    expect(await capacity()).toMatchObject({ active: 0, stopped: 1 });

    expect((await t.api(`/v1/sessions/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await capacity()).toMatchObject({ active: 0, stopped: 0 });
  });
});
