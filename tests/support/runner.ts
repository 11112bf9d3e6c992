/**
 * A real lab runner for integration tests: real Docker, the real sandbox image, its own data
 * folder and the fixture labs. `stop()` destroys every sandbox it made.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseRunnerConfig, type RunnerConfig } from '@/lab-runner/config';
import { createRunner, type Runner } from '@/lab-runner/server/runner';
import { mintBrowserToken } from '@/lab-runner/api/tokens';
import { ensureImageForTests, getDocker } from './docker';

export const fixtureLabsDir = path.join(process.cwd(), 'tests', 'fixtures', 'labs');
export const testSecret = 'integration-test-secret-0123456789';

export type TestRunner = {
  url: string;
  runner: Runner;
  config: RunnerConfig;
  /** fetch against the runner with the server secret. */
  api(pathname: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Creates a ready session for `userId` in a fixture lab (default sandbox-basics) and returns its id. */
  startSession(userId?: string, labId?: string): Promise<string>;
  token(sessionId: string, userId: string, ttlSeconds?: number): string;
  stop(): Promise<void>;
};

export async function startTestRunner(env: Record<string, string> = {}): Promise<TestRunner> {
  const { docker } = await getDocker();
  const image = await ensureImageForTests();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-academy-runner-'));
  const config = parseRunnerConfig({
    RUNNER_SECRET: testSecret,
    RUNNER_DATA_DIR: dataDir,
    LABS_DIR: fixtureLabsDir,
    POOL_SIZE: '0',
    RUNNER_ALLOWED_ORIGINS: 'http://localhost:3000',
    ...env,
  });
  const runner = await createRunner(config, docker, image);
  await runner.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(runner.app.server.address() as AddressInfo).port}`;

  const api = (pathname: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${testSecret}`);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${url}${pathname}`, {
      ...init,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
  };

  return {
    url,
    runner,
    config,
    api,
    async startSession(userId = 'learner-1', labId = 'sandbox-basics') {
      const response = await api('/v1/sessions', { method: 'POST', json: { userId, labId } });
      const body = (await response.json()) as { id: string; state: string; message?: string };
      if (response.status !== 201 && response.status !== 200) {
        throw new Error(`could not start a session: ${response.status} ${JSON.stringify(body)}`);
      }
      return body.id;
    },
    token: (sessionId, userId, ttlSeconds) => mintBrowserToken(testSecret, { sessionId, userId, ttlSeconds }),
    async stop() {
      const sandboxes = runner.sessions.list();
      await Promise.allSettled(sandboxes.map((s) => runner.sessions.destroy(s.id)));
      await runner.sessions.drainPool();
      await runner.close();
      // Whatever a failed test left behind: every container and workspace of this runner.
      await runner.sessions.reapAll();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
