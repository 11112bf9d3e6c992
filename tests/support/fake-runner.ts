/**
 * A lab runner's API without Docker: the real session manager, routes and auth over the in-memory
 * FakeDriver and the fixture labs, for unit tests that call it with `app.inject`.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { mintBrowserToken } from '@/lab-runner/api/tokens';
import { FakeDriver } from '@/lab-runner/drivers/fake';
import { LabCatalog } from '@/lab-runner/labs';
import { buildRunnerApp } from '@/lab-runner/server/app';
import type { ExecBudgetOptions } from '@/lab-runner/server/exec-budget';
import { createRunnerMetrics } from '@/lab-runner/server/metrics';
import { NonceRegistry } from '@/lab-runner/server/nonces';
import { SessionManager } from '@/lab-runner/sessions/manager';

export const fakeRunnerSecret = 'unit-test-secret-0123456789abcdef';
export const fakeRunnerOrigin = 'http://localhost:3000';

export type FakeRunner = {
  app: FastifyInstance;
  sessions: SessionManager;
  driver: FakeDriver;
  /** A ready session for `userId` in the fixture lab sandbox-basics; its id. */
  startSession(userId: string): Promise<string>;
  token(sessionId: string, userId: string, options?: { readOnly?: boolean; ttlSeconds?: number }): string;
  close(): Promise<void>;
};

export async function startFakeRunner(options: { execBudget?: ExecBudgetOptions } = {}): Promise<FakeRunner> {
  const metrics = createRunnerMetrics();
  const driver = new FakeDriver();
  const labs = new LabCatalog(path.join(process.cwd(), 'tests', 'fixtures', 'labs'));
  const sessions = new SessionManager({
    driver,
    labs,
    metrics,
    defaultImage: 'fake-image',
    idleStopMs: 60 * 60_000,
    sessionTtlMs: 24 * 60 * 60_000,
    poolSize: 0,
    maxSessions: 10,
    maxSessionsPerUser: 3,
  });
  await sessions.start();
  const app = await buildRunnerApp({
    sessions,
    labs,
    metrics,
    secret: fakeRunnerSecret,
    allowedOrigins: [fakeRunnerOrigin],
    nonces: new NonceRegistry(),
    execBudget: options.execBudget,
  });
  // `injectWS` upgrades only on a ready app; `inject` would wait for it anyway.
  await app.ready();
  return {
    app,
    sessions,
    driver,
    async startSession(userId) {
      const { session } = await sessions.create(userId, 'sandbox-basics');
      return session.id;
    },
    token: (sessionId, userId, options = {}) =>
      mintBrowserToken(fakeRunnerSecret, { sessionId, userId, ...options }),
    async close() {
      await app.close();
      await sessions.close();
    },
  };
}
