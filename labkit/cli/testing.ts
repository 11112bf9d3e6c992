/**
 * Test helpers for the `labkit runs` and `labkit models` tests: a real tracking server on a free
 * port with its data in a test's temporary folder, seeded over HTTP, and a captured `CliIo`.
 */
import type { AddressInfo } from 'node:net';
import { buildTrackingServer } from '../tracking/server';
import type { CliIo, Env } from './io';

export type TestServer = {
  uri: string;
  /** Calls the REST API and returns the JSON answer, throwing on an error status. */
  api: <T = Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
    method: 'GET' | 'POST' | 'PUT',
    endpoint: string,
    body?: unknown,
  ) => Promise<T>;
  close: () => Promise<void>;
};

export async function startTestServer(dataDir: string): Promise<TestServer> {
  const app = await buildTrackingServer({ dataDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const uri = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const api: TestServer['api'] = async (method, endpoint, body) => {
    const isQuery = method === 'GET';
    const url = new URL(`${uri}/api/2.0/mlflow/${endpoint}`);
    if (isQuery) {
      for (const [key, value] of Object.entries((body ?? {}) as Record<string, string>)) {
        url.searchParams.set(key, value);
      }
    }
    const response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      body: isQuery ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${endpoint}: ${response.status} ${text}`);
    return JSON.parse(text);
  };
  return { uri, api, close: () => app.close() };
}

export type SeedRun = {
  experimentId?: string;
  name: string;
  startTime: number;
  /** How long the run took; it is left RUNNING when undefined. */
  durationMs?: number;
  params?: Record<string, string>;
  /** Each key's history, logged at steps 0, 1, 2… */
  metrics?: Record<string, number[]>;
  tags?: Record<string, string>;
  status?: 'FINISHED' | 'FAILED' | 'KILLED';
};

/** Creates a run the way the Python client does (create, log-batch, update); returns its id. */
export async function seedRun(server: TestServer, run: SeedRun): Promise<string> {
  const { run: created } = await server.api('POST', 'runs/create', {
    experiment_id: run.experimentId,
    run_name: run.name,
    start_time: run.startTime,
    tags: Object.entries(run.tags ?? {}).map(([key, value]) => ({ key, value })),
  });
  const runId = created.info.run_id as string;
  const metrics = Object.entries(run.metrics ?? {}).flatMap(([key, values]) =>
    values.map((value, step) => ({
      key,
      value: Number.isFinite(value) ? value : String(value),
      timestamp: run.startTime + step,
      step,
    })),
  );
  const params = Object.entries(run.params ?? {}).map(([key, value]) => ({ key, value }));
  if (metrics.length || params.length) {
    await server.api('POST', 'runs/log-batch', { run_id: runId, metrics, params });
  }
  if (run.durationMs !== undefined) {
    await server.api('POST', 'runs/update', {
      run_id: runId,
      status: run.status ?? 'FINISHED',
      end_time: run.startTime + run.durationMs,
    });
  }
  return runId;
}

export type CapturedIo = CliIo & { stdout: () => string; stderr: () => string };

/** A `CliIo` that records what is written; no colour and no width limit unless asked. */
export function captureIo(
  env: Env,
  options: { width?: number; color?: boolean; now?: number } = {},
): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
    width: options.width,
    color: options.color ?? false,
    now: () => options.now ?? Date.now(),
    stdout: () => out.join('\n'),
    stderr: () => err.join('\n'),
  };
}
