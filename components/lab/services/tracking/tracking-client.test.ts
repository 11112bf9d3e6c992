import { describe, expect, it } from 'vitest';
import type { SessionAccess } from '../../session-access';
import {
  artifactDownloadPath,
  errorFromReply,
  quoteKey,
  quoteValue,
  readAtMost,
  TrackingClient,
  TrackingError,
} from './tracking-client';

type Call = { method: string; url: string; token: string | null; body: unknown };
type Reply = { status: number; body?: unknown; raw?: string; statusText?: string };

/** A tracking service behind a fake fetch: it records each request and answers the next reply. */
function fakeService(...replies: Reply[]) {
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
    const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    return new Response(text, { status: reply.status, statusText: reply.statusText });
  };
  let freshTokens = 0;
  const access: SessionAccess = {
    sessionId: '0123456789abcdef0123',
    runnerBase: '/runner',
    token: async () => 'cached-token',
    freshToken: async () => `fresh-token-${++freshTokens}`,
  };
  return { calls, client: new TrackingClient(access, fetchImpl) };
}

const base = '/runner/v1/sessions/0123456789abcdef0123/services/5000';
const runId = 'a'.repeat(32);

function runJson(overrides: Record<string, unknown> = {}) {
  return {
    info: {
      run_id: runId,
      run_uuid: runId,
      run_name: 'lucky-fox-1',
      experiment_id: '1',
      user_id: 'learner',
      status: 'FINISHED',
      start_time: 1000,
      end_time: 4000,
      artifact_uri: `mlflow-artifacts:/1/${runId}/artifacts`,
      lifecycle_stage: 'active',
      ...overrides,
    },
    data: {
      metrics: [
        { key: 'rmse', value: 0.5, timestamp: 3000, step: 9 },
        { key: 'loss', value: 'NaN', timestamp: 3000, step: 9 },
        { key: 'gain', value: 'Infinity', timestamp: 3000, step: 0 },
        { key: 'drop', value: '-Infinity', timestamp: 3000, step: 0 },
      ],
      params: [{ key: 'alpha', value: '0.1' }],
      tags: [{ key: 'mlflow.runName', value: 'lucky-fox-1' }],
    },
  };
}

describe('TrackingClient', () => {
  it('searches runs through the service proxy with the session token and MLflow’s body', async () => {
    const { calls, client } = fakeService({
      status: 200,
      body: { runs: [runJson()], next_page_token: 'abc' },
    });

    const page = await client.searchRuns({
      experimentIds: ['1'],
      filter: "params.alpha = '0.1'",
      orderBy: ['metrics.rmse ASC'],
    });

    expect(calls).toEqual([
      {
        method: 'POST',
        url: `${base}/api/2.0/mlflow/runs/search`,
        token: 'cached-token',
        body: {
          experiment_ids: ['1'],
          filter: "params.alpha = '0.1'",
          run_view_type: 'ACTIVE_ONLY',
          max_results: 1000,
          order_by: ['metrics.rmse ASC'],
        },
      },
    ]);
    expect(page.nextPageToken).toBe('abc');
    const [run] = page.runs;
    expect(run).toMatchObject({
      id: runId,
      name: 'lucky-fox-1',
      experimentId: '1',
      status: 'FINISHED',
      startTime: 1000,
      endTime: 4000,
      params: { alpha: '0.1' },
      tags: { 'mlflow.runName': 'lucky-fox-1' },
    });
    expect(run?.metrics.rmse).toEqual({ key: 'rmse', value: 0.5, timestamp: 3000, step: 9 });
    expect(run?.metrics.loss?.value).toBeNaN();
    expect(run?.metrics.gain?.value).toBe(Infinity);
    expect(run?.metrics.drop?.value).toBe(-Infinity);
  });

  it('decodes what MLflow leaves out or sends as strings: empty lists, int64 text, run_uuid only', async () => {
    const { client } = fakeService(
      { status: 200, body: {} },
      {
        status: 200,
        body: {
          run: {
            info: {
              run_uuid: runId,
              experiment_id: '0',
              status: 'RUNNING',
              start_time: '1700000000000',
              lifecycle_stage: 'active',
            },
            data: { tags: [{ key: 'mlflow.runName', value: 'from-tag' }] },
          },
        },
      },
    );

    await expect(client.searchRuns({ experimentIds: ['0'] })).resolves.toEqual({
      runs: [],
      nextPageToken: null,
    });
    const run = await client.run(runId);
    expect(run).toMatchObject({
      id: runId,
      name: 'from-tag',
      startTime: 1_700_000_000_000,
      endTime: null,
      metrics: {},
      params: {},
    });
  });

  it('turns MLflow’s error body into a readable error (a bad filter is a 400 with the server’s words)', async () => {
    const message = "Invalid filter string 'metrics.rmse <<< 2': expected a value after 'metrics.rmse <'.";
    const { client } = fakeService({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message } });

    const error = await client
      .searchRuns({ experimentIds: ['1'], filter: 'metrics.rmse <<< 2' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(TrackingError);
    expect(error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', status: 400, message });
    expect((error as TrackingError).isUnavailable).toBe(false);
  });

  it('reports the runner’s 502 (nothing listening yet) as the service being unavailable', async () => {
    const { client } = fakeService({
      status: 502,
      body: { error: 'SERVICE_UNAVAILABLE', message: 'Nothing answered on port 5000 inside the sandbox.' },
    });

    const error = (await client.experiments().catch((e) => e)) as TrackingError;
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 502 });
    expect(error.isUnavailable).toBe(true);
  });

  it('retries once with a fresh token after a 401', async () => {
    const { calls, client } = fakeService(
      { status: 401, body: { error: 'UNAUTHORIZED', message: 'Token expired.' } },
      {
        status: 200,
        body: { experiments: [{ experiment_id: '0', name: 'Default', lifecycle_stage: 'active' }] },
      },
    );

    await expect(client.experiments()).resolves.toEqual([
      { id: '0', name: 'Default', isActive: true, creationTime: null, lastUpdateTime: null },
    ]);
    expect(calls.map((c) => c.token)).toEqual(['cached-token', 'fresh-token-1']);
  });

  it('follows page tokens for experiments and metric histories', async () => {
    const { calls, client } = fakeService(
      {
        status: 200,
        body: { metrics: [{ key: 'rmse', value: 1, timestamp: 1, step: 0 }], next_page_token: 't1' },
      },
      { status: 200, body: { metrics: [{ key: 'rmse', value: 'NaN', timestamp: 2, step: 1 }] } },
    );

    const history = await client.metricHistory(runId, 'val loss');
    expect(history.map((m) => m.step)).toEqual([0, 1]);
    expect(history[1]?.value).toBeNaN();
    expect(calls.map((c) => c.url)).toEqual([
      `${base}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=val+loss`,
      `${base}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=val+loss&page_token=t1`,
    ]);
  });

  it('lists a folder of artifacts and reads a file through the artifact proxy, capped', async () => {
    const { calls, client } = fakeService(
      {
        status: 200,
        body: {
          root_uri: 'x',
          files: [
            { path: 'plots', is_dir: true },
            { path: 'm.json', is_dir: false, file_size: '12' },
          ],
        },
      },
      { status: 200, raw: 'x'.repeat(100) },
    );

    await expect(client.artifacts(runId, 'model')).resolves.toEqual([
      { path: 'plots', isDir: true, size: null },
      { path: 'm.json', isDir: false, size: 12 },
    ]);
    const file = await client.artifact(
      { artifactUri: `mlflow-artifacts:/1/${runId}/artifacts` },
      'a b/c.txt',
      10,
    );
    expect(file.bytes.byteLength).toBe(10);
    expect(file.isTruncated).toBe(true);
    expect(calls.map((c) => c.url)).toEqual([
      `${base}/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=model`,
      `${base}/api/2.0/mlflow-artifacts/artifacts/1/${runId}/artifacts/a%20b/c.txt`,
    ]);
  });

  it('reads a missing artifact as MLflow’s 404 error', async () => {
    const { client } = fakeService({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'File not found: a.txt' },
    });

    await expect(
      client.artifact({ artifactUri: `mlflow-artifacts:/1/${runId}/artifacts` }, 'a.txt', 10),
    ).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', message: 'File not found: a.txt' });
  });

  it('lists registered models and a model’s versions (newest first) with stages and aliases', async () => {
    const version = (n: string, stage: string, aliases: string[] = []) => ({
      name: 'house',
      version: n,
      creation_timestamp: 5,
      current_stage: stage,
      source: `runs:/${runId}/model`,
      run_id: runId,
      status: 'READY',
      aliases,
    });
    const { calls, client } = fakeService(
      {
        status: 200,
        body: {
          registered_models: [
            {
              name: 'house',
              aliases: [{ alias: 'champion', version: '2' }],
              latest_versions: [version('2', 'Production')],
            },
          ],
        },
      },
      {
        status: 200,
        body: { model_versions: [version('1', 'archived'), version('2', 'Production', ['champion'])] },
      },
    );

    const [model] = await client.registeredModels();
    expect(model).toMatchObject({ name: 'house', aliases: [{ alias: 'champion', version: '2' }] });
    const versions = await client.modelVersions('house');
    expect(versions.map((v) => [v.version, v.stage, v.aliases])).toEqual([
      ['2', 'Production', ['champion']],
      ['1', 'Archived', []],
    ]);
    expect(versions[0]?.runId).toBe(runId);
    expect(new URL(calls[1]?.url ?? '', 'http://x').searchParams.get('filter')).toBe("name = 'house'");
  });

  it('says so when the service cannot be reached or sends something else than JSON', async () => {
    const { client } = fakeService({ status: 200, raw: '<html>proxy page</html>' });
    await expect(client.experiments()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    await expect(client.experiments()).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });
});

describe('decoding helpers', () => {
  it('writes a readable error for replies without an error body', () => {
    expect(errorFromReply(500, 'Internal Server Error', undefined).message).toBe(
      'The tracking service answered 500 Internal Server Error.',
    );
    expect(errorFromReply(504, 'Gateway Timeout', 'x').isUnavailable).toBe(true);
  });

  it('quotes keys and values for MLflow’s filter and order_by', () => {
    expect(quoteKey('rmse')).toBe('rmse');
    expect(quoteKey('val loss')).toBe('`val loss`');
    expect(quoteKey('val.loss')).toBe('`val.loss`');
    expect(quoteKey('a`b')).toBeNull();
    expect(quoteValue('house')).toBe("'house'");
    expect(quoteValue("bob's")).toBe('"bob\'s"');
  });

  it('maps a run’s artifact URI and a path onto the artifact proxy', () => {
    expect(artifactDownloadPath(`mlflow-artifacts:/1/${runId}/artifacts`, 'plots/loss curve.png')).toBe(
      `/api/2.0/mlflow-artifacts/artifacts/1/${runId}/artifacts/plots/loss%20curve.png`,
    );
    expect(artifactDownloadPath('mlflow-artifacts://host:5000/0/r/artifacts', 'a')).toBe(
      '/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/a',
    );
    expect(artifactDownloadPath('file:///tmp/mlruns/0/r/artifacts', 'a')).toBeNull();
    expect(artifactDownloadPath(null, 'a')).toBeNull();
  });

  it('reads a body up to a cap and says whether more was left', async () => {
    const body = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array([1, 2, 3]));
          controller.enqueue(new Uint8Array([4, 5, 6]));
          controller.close();
        },
      });
    await expect(readAtMost(new Response(body()), 4)).resolves.toEqual({
      bytes: new Uint8Array([1, 2, 3, 4]),
      isTruncated: true,
    });
    await expect(readAtMost(new Response(body()), 6)).resolves.toEqual({
      bytes: new Uint8Array([1, 2, 3, 4, 5, 6]),
      isTruncated: false,
    });
  });
});
