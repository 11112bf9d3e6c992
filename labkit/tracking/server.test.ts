import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTrackingServer, mlflowCompatibleVersion } from './server';
import {
  apiPrefixes,
  queryOf,
  registryEndpoints,
  trackingEndpoints,
  type Endpoint,
  type ParsedResponse,
  type RequestFields,
} from './wire';

let dataDir: string;
let app: FastifyInstance;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labkit-server-'));
  app = await buildTrackingServer({ dataDir });
});

afterEach(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Fields = Record<string, unknown>;
/** A 2xx body; tests read nested fields freely and assert on them. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Reply = { status: number; body: Record<string, unknown> & { error_code?: string; message?: string } };

/** Calls an endpoint as MLflow's `call_endpoint` does: GET fields as query (lists repeated), else JSON. */
async function call(
  method: 'GET' | 'POST',
  endpoint: string,
  fields: Fields = {},
  prefix = '/api/2.0/mlflow',
) {
  const url = `${prefix}/${endpoint}`;
  const response =
    method === 'GET'
      ? await app.inject({ method, url, query: toQuery(fields) })
      : await app.inject({
          method,
          url,
          payload: JSON.stringify(fields),
          headers: { 'content-type': 'application/json' },
        });
  expect(response.headers['content-type']).toMatch(/application\/json/);
  return { status: response.statusCode, body: response.json() } as Reply;
}

function toQuery(fields: Fields): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map(String) : String(value),
    ]),
  );
}

async function ok(method: 'GET' | 'POST', endpoint: string, fields: Fields = {}) {
  const reply = await call(method, endpoint, fields);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body as Json;
}

async function createRun(fields: Fields = {}): Promise<string> {
  const { run } = await ok('POST', 'runs/create', { start_time: Date.now(), ...fields });
  return run.info.run_id as string;
}

describe('service endpoints', () => {
  it('answers /health with OK and /version with the MLflow version it follows', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect([health.statusCode, health.body]).toEqual([200, 'OK']);
    const version = await app.inject({ method: 'GET', url: '/version' });
    expect([version.statusCode, version.body]).toEqual([200, mlflowCompatibleVersion]);
  });

  it('answers an unknown endpoint or method with ENDPOINT_NOT_FOUND 404', async () => {
    const unknown = await call('POST', 'runs/explode', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error_code).toBe('ENDPOINT_NOT_FOUND');
    expect((await call('GET', 'runs/create')).status).toBe(404);
  });

  it('serves the same API under /ajax-api/2.0/mlflow', async () => {
    const reply = await call('GET', 'experiments/get', { experiment_id: '0' }, '/ajax-api/2.0/mlflow');
    expect(reply.status).toBe(200);
    expect(reply.body.experiment).toMatchObject({ name: 'Default' });
  });

  it('rejects a malformed JSON body with a 400, and treats an empty body as no fields', async () => {
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/experiments/create',
      payload: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error_code: 'BAD_REQUEST' });
    const empty = await app.inject({
      method: 'POST',
      url: '/api/2.0/mlflow/experiments/create',
      payload: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Missing value for required parameter 'name'",
    });
  });
});

describe('experiments', () => {
  it('creates, gets by id and by name, and reports the Default experiment', async () => {
    const { experiment_id } = await ok('POST', 'experiments/create', {
      name: 'iris',
      tags: [{ key: 'team', value: 'ml' }],
    });
    expect(experiment_id).toBe('1');
    const { experiment } = await ok('GET', 'experiments/get', { experiment_id });
    expect(experiment).toMatchObject({
      experiment_id: '1',
      name: 'iris',
      artifact_location: 'mlflow-artifacts:/1',
      lifecycle_stage: 'active',
      tags: [{ key: 'team', value: 'ml' }],
    });
    expect(typeof experiment.creation_time).toBe('number');
    expect(
      (await ok('GET', 'experiments/get-by-name', { experiment_name: 'iris' })).experiment.experiment_id,
    ).toBe('1');
    expect((await ok('GET', 'experiments/get', { experiment_id: '0' })).experiment.name).toBe('Default');
  });

  it('maps errors to MLflow codes: missing name, duplicate, unknown id and name', async () => {
    expect(await call('POST', 'experiments/create', {})).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: "Missing value for required parameter 'name'" },
    });
    await ok('POST', 'experiments/create', { name: 'twice' });
    const duplicate = await call('POST', 'experiments/create', { name: 'twice' });
    expect([duplicate.status, duplicate.body.error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
    const unknown = await call('GET', 'experiments/get', { experiment_id: '99' });
    expect([unknown.status, unknown.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    const byName = await call('GET', 'experiments/get-by-name', { experiment_name: 'nope' });
    expect([byName.status, byName.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    const wrongType = await call('POST', 'experiments/create', { name: 42 });
    expect([wrongType.status, wrongType.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });

  it('renames, tags, deletes and restores, answering {} each time', async () => {
    const { experiment_id } = await ok('POST', 'experiments/create', { name: 'before' });
    expect(await ok('POST', 'experiments/update', { experiment_id, new_name: 'after' })).toEqual({});
    expect(
      await ok('POST', 'experiments/set-experiment-tag', { experiment_id, key: 'k', value: 'v' }),
    ).toEqual({});
    expect(await ok('POST', 'experiments/delete', { experiment_id })).toEqual({});
    const { experiment } = await ok('GET', 'experiments/get', { experiment_id });
    expect(experiment).toMatchObject({
      name: 'after',
      lifecycle_stage: 'deleted',
      tags: [{ key: 'k', value: 'v' }],
    });
    expect(await ok('POST', 'experiments/restore', { experiment_id })).toEqual({});
    expect((await ok('GET', 'experiments/get', { experiment_id })).experiment.lifecycle_stage).toBe('active');
  });

  it('deletes an experiment tag, answering {}; a missing tag is RESOURCE_DOES_NOT_EXIST 404', async () => {
    const { experiment_id } = await ok('POST', 'experiments/create', { name: 'tagged' });
    await ok('POST', 'experiments/set-experiment-tag', { experiment_id, key: 'k', value: 'v' });
    await ok('POST', 'experiments/set-experiment-tag', { experiment_id, key: 'keep', value: 'yes' });
    expect(await ok('POST', 'experiments/delete-experiment-tag', { experiment_id, key: 'k' })).toEqual({});
    const { experiment } = await ok('GET', 'experiments/get', { experiment_id });
    expect(experiment.tags).toEqual([{ key: 'keep', value: 'yes' }]);
    const again = await call('POST', 'experiments/delete-experiment-tag', { experiment_id, key: 'k' });
    expect(again).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: `No tag with name: k in experiment with id ${experiment_id}`,
      },
    });
    const missing = await call('POST', 'experiments/delete-experiment-tag', { experiment_id });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe("Missing value for required parameter 'key'");
  });

  it('searches by GET and POST with filter, order_by, view_type and paging', async () => {
    for (const name of ['exp-a', 'exp-b', 'exp-c']) await ok('POST', 'experiments/create', { name });
    const deleted = await ok('POST', 'experiments/create', { name: 'exp-gone' });
    await ok('POST', 'experiments/delete', { experiment_id: deleted.experiment_id });

    const byGet = await ok('GET', 'experiments/search', {
      filter: "name LIKE 'exp-%'",
      order_by: ['name DESC'],
      max_results: 2,
    });
    expect(byGet.experiments.map((e: { name: string }) => e.name)).toEqual(['exp-c', 'exp-b']);
    const next = await ok('GET', 'experiments/search', {
      filter: "name LIKE 'exp-%'",
      order_by: ['name DESC'],
      max_results: 2,
      page_token: byGet.next_page_token,
    });
    expect(next.experiments.map((e: { name: string }) => e.name)).toEqual(['exp-a']);
    expect(next.next_page_token).toBeUndefined();

    const byPost = await ok('POST', 'experiments/search', { view_type: 'DELETED_ONLY' });
    expect(byPost.experiments.map((e: { name: string }) => e.name)).toEqual(['exp-gone']);
    const all = await ok('POST', 'experiments/search', { view_type: 'ALL', max_results: 1000 });
    expect(all.experiments).toHaveLength(5);

    const bad = await call('POST', 'experiments/search', { filter: 'name = ' });
    expect([bad.status, bad.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const secondOrderClause = await call('GET', 'experiments/search', { order_by: ['name DESC', 'bogus'] });
    expect([secondOrderClause.status, secondOrderClause.body.error_code]).toEqual([
      400,
      'INVALID_PARAMETER_VALUE',
    ]);
    const badView = await call('POST', 'experiments/search', { view_type: 'SOME' });
    expect([badView.status, badView.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });
});

describe('runs', () => {
  it('creates a run shaped like MLflow’s Run, and gets it back', async () => {
    const { run } = await ok('POST', 'runs/create', {
      experiment_id: '0',
      run_name: 'first',
      start_time: 1700000000000,
      user_id: 'ann',
      tags: [{ key: 'mlflow.source.name', value: 'train.py' }],
    });
    expect(run.info).toEqual({
      run_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      run_uuid: run.info.run_id,
      run_name: 'first',
      experiment_id: '0',
      user_id: 'ann',
      status: 'RUNNING',
      start_time: 1700000000000,
      artifact_uri: `mlflow-artifacts:/0/${run.info.run_id}/artifacts`,
      lifecycle_stage: 'active',
    });
    expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'first' });
    expect(run.data.tags).toContainEqual({ key: 'mlflow.source.name', value: 'train.py' });
    const fetched = await ok('GET', 'runs/get', { run_id: run.info.run_id });
    expect(fetched.run.info).toEqual(run.info);
  });

  it('reads null fields as unset, as protobuf JSON does', async () => {
    const { run } = await ok('POST', 'runs/create', { experiment_id: null, run_name: null, tags: null });
    expect(run.info.experiment_id).toBe('0');
    const missing = await call('POST', 'experiments/create', { name: null });
    expect(missing.body.message).toBe("Missing value for required parameter 'name'");
  });

  it('names an unnamed run and accepts int64 fields sent as strings', async () => {
    const { run } = await ok('POST', 'runs/create', { experiment_id: '0', start_time: '1700000000000' });
    expect(run.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(run.info.start_time).toBe(1700000000000);
  });

  it('updates status, end time and name, answering run_info', async () => {
    const runId = await createRun();
    const { run_info } = await ok('POST', 'runs/update', {
      run_id: runId,
      status: 'FINISHED',
      end_time: 1700000009999,
      run_name: 'renamed',
    });
    expect(run_info).toMatchObject({
      run_id: runId,
      status: 'FINISHED',
      end_time: 1700000009999,
      run_name: 'renamed',
    });
    const bad = await call('POST', 'runs/update', { run_id: runId, status: 'DONE' });
    expect([bad.status, bad.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await ok('POST', 'runs/update', { run_uuid: runId, status: 'KILLED' })).run_info.status).toBe(
      'KILLED',
    );
  });

  it('deletes and restores a run', async () => {
    const runId = await createRun();
    expect(await ok('POST', 'runs/delete', { run_id: runId })).toEqual({});
    expect((await ok('GET', 'runs/get', { run_id: runId })).run.info.lifecycle_stage).toBe('deleted');
    const logToDeleted = await call('POST', 'runs/set-tag', { run_id: runId, key: 'a', value: 'b' });
    expect([logToDeleted.status, logToDeleted.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(await ok('POST', 'runs/restore', { run_id: runId })).toEqual({});
    expect((await ok('GET', 'runs/get', { run_id: runId })).run.info.lifecycle_stage).toBe('active');
  });

  it('answers an unknown run with RESOURCE_DOES_NOT_EXIST 404 and a missing run_id with 400', async () => {
    const unknown = await call('GET', 'runs/get', { run_id: 'a'.repeat(32) });
    expect(unknown).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'a'.repeat(32)} not found` },
    });
    expect(await call('GET', 'runs/get')).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Missing value for required parameter 'run_id'",
      },
    });
    const createInMissing = await call('POST', 'runs/create', { experiment_id: '77' });
    expect([createInMissing.status, createInMissing.body.error_code]).toEqual([
      404,
      'RESOURCE_DOES_NOT_EXIST',
    ]);
  });
});

describe('logging', () => {
  it('logs params write-once: same value is {}, a different value is INVALID_PARAMETER_VALUE 400', async () => {
    const runId = await createRun();
    expect(await ok('POST', 'runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).toEqual({});
    expect(await ok('POST', 'runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).toEqual({});
    const changed = await call('POST', 'runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' });
    expect([changed.status, changed.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(changed.body.message).toContain('Changing param values is not allowed');
    expect((await call('POST', 'runs/log-param', { run_id: runId, key: 'x', value: '1' })).status).toBe(404);
  });

  it('sets, overwrites and deletes tags', async () => {
    const runId = await createRun();
    await ok('POST', 'runs/set-tag', { run_id: runId, key: 'stage', value: 'a' });
    await ok('POST', 'runs/set-tag', { run_id: runId, key: 'stage', value: 'b' });
    let { run } = await ok('GET', 'runs/get', { run_id: runId });
    expect(run.data.tags).toContainEqual({ key: 'stage', value: 'b' });
    expect(await ok('POST', 'runs/delete-tag', { run_id: runId, key: 'stage' })).toEqual({});
    ({ run } = await ok('GET', 'runs/get', { run_id: runId }));
    expect(run.data.tags.map((t: { key: string }) => t.key)).not.toContain('stage');
    const again = await call('POST', 'runs/delete-tag', { run_id: runId, key: 'stage' });
    expect([again.status, again.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
  });

  it('logs metrics with history, requiring timestamp and defaulting step to 0', async () => {
    const runId = await createRun();
    await ok('POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: 0.9, timestamp: 1000 });
    await ok('POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: 0.4, timestamp: 2000, step: 1 });
    await ok('POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: 0.7, timestamp: 3000, step: 0 });
    const missing = await call('POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: 1 });
    expect(missing.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Missing value for required parameter 'timestamp'",
    });
    const { run } = await ok('GET', 'runs/get', { run_id: runId });
    expect(run.data.metrics).toEqual([{ key: 'loss', value: 0.4, timestamp: 2000, step: 1 }]);
    const { metrics } = await ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'loss' });
    expect(metrics).toEqual([
      { key: 'loss', value: 0.9, timestamp: 1000, step: 0 },
      { key: 'loss', value: 0.4, timestamp: 2000, step: 1 },
      { key: 'loss', value: 0.7, timestamp: 3000, step: 0 },
    ]);
    const firstPage = await ok('GET', 'metrics/get-history', {
      run_id: runId,
      metric_key: 'loss',
      max_results: 2,
    });
    expect(firstPage.metrics).toHaveLength(2);
    const secondPage = await ok('GET', 'metrics/get-history', {
      run_id: runId,
      metric_key: 'loss',
      max_results: 2,
      page_token: firstPage.next_page_token,
    });
    expect(secondPage.metrics.map((m: { value: number }) => m.value)).toEqual([0.7]);
  });

  it('encodes NaN and ±Infinity as strings both ways', async () => {
    const runId = await createRun();
    await ok('POST', 'runs/log-metric', { run_id: runId, key: 'nan', value: 'NaN', timestamp: 1 });
    await ok('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'up', value: 'Infinity', timestamp: 1, step: 0 },
        { key: 'down', value: '-Infinity', timestamp: 1, step: 0 },
      ],
    });
    const { run } = await ok('GET', 'runs/get', { run_id: runId });
    const values = Object.fromEntries(
      run.data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]),
    );
    expect(values).toEqual({ nan: 'NaN', up: 'Infinity', down: '-Infinity' });
    const history = await ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'nan' });
    expect(history.metrics[0].value).toBe('NaN');
    const notANumber = await call('POST', 'runs/log-metric', {
      run_id: runId,
      key: 'x',
      value: 'abc',
      timestamp: 1,
    });
    expect([notANumber.status, notANumber.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });

  it('logs a batch of metrics, params and tags, within MLflow’s limits', async () => {
    const runId = await createRun();
    expect(
      await ok('POST', 'runs/log-batch', {
        run_id: runId,
        metrics: [
          { key: 'acc', value: 0.5, timestamp: 1, step: 0 },
          { key: 'acc', value: 0.8, timestamp: 2, step: 1 },
        ],
        params: [{ key: 'depth', value: '3' }],
        tags: [{ key: 'model', value: 'tree' }],
      }),
    ).toEqual({});
    const { run } = await ok('GET', 'runs/get', { run_id: runId });
    expect(run.data.metrics).toEqual([{ key: 'acc', value: 0.8, timestamp: 2, step: 1 }]);
    expect(run.data.params).toEqual([{ key: 'depth', value: '3' }]);
    expect(run.data.tags).toContainEqual({ key: 'model', value: 'tree' });

    const tooMany = await call('POST', 'runs/log-batch', {
      run_id: runId,
      params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' })),
    });
    expect([tooMany.status, tooMany.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const missingTimestamp = await call('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'acc', value: 1, step: 0 }],
    });
    expect(missingTimestamp.body.message).toBe("Missing value for required parameter 'metrics[0].timestamp'");
    const conflicting = await call('POST', 'runs/log-batch', {
      run_id: runId,
      params: [{ key: 'depth', value: '4' }],
    });
    expect([conflicting.status, conflicting.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });

  it('logs dataset inputs and the log-model history tag', async () => {
    const runId = await createRun();
    const dataset = { name: 'iris', digest: 'd1', source_type: 'local', source: '{"uri": "iris.csv"}' };
    await ok('POST', 'runs/log-inputs', { run_id: runId, datasets: [{ tags: [], dataset }] });
    await ok('POST', 'runs/log-model', {
      run_id: runId,
      model_json: JSON.stringify({ artifact_path: 'model' }),
    });
    const { run } = await ok('GET', 'runs/get', { run_id: runId });
    expect(run.inputs.dataset_inputs).toEqual([{ tags: [], dataset }]);
    const history = run.data.tags.find((t: { key: string }) => t.key === 'mlflow.log-model.history');
    expect(JSON.parse(history.value)).toEqual([{ artifact_path: 'model' }]);
    await ok('POST', 'runs/set-tag', { run_id: runId, key: 'mlflow.log-model.history', value: 'not json' });
    await ok('POST', 'runs/log-model', { run_id: runId, model_json: '{"artifact_path": "again"}' });
    const notJson = await call('POST', 'runs/log-model', { run_id: runId, model_json: '{' });
    expect([notJson.status, notJson.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });
});

describe('runs/search', () => {
  it('filters, orders (missing last), pages, and rejects bad filters with 400', async () => {
    const { experiment_id } = await ok('POST', 'experiments/create', { name: 'sweep' });
    const ids: string[] = [];
    for (const [index, rmse] of [0.5, 0.2, undefined, 0.9].entries()) {
      const runId = await createRun({ experiment_id, start_time: 1000 + index });
      ids.push(runId);
      if (rmse !== undefined)
        await ok('POST', 'runs/log-metric', { run_id: runId, key: 'rmse', value: rmse, timestamp: 1 });
      await ok('POST', 'runs/log-parameter', { run_id: runId, key: 'i', value: String(index) });
    }
    const search = (fields: Fields) =>
      ok('POST', 'runs/search', { experiment_ids: [experiment_id], ...fields });
    const idsOf = (body: Json) => (body.runs as { info: { run_id: string } }[]).map((r) => r.info.run_id);

    expect(idsOf(await search({}))).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    expect(idsOf(await search({ order_by: ['metrics.rmse ASC'] }))).toEqual([ids[1], ids[0], ids[3], ids[2]]);
    expect(idsOf(await search({ order_by: ['metrics.rmse DESC'] }))).toEqual([
      ids[3],
      ids[0],
      ids[1],
      ids[2],
    ]);
    expect(idsOf(await search({ filter: 'metrics.rmse < 0.6', order_by: ['metrics.rmse'] }))).toEqual([
      ids[1],
      ids[0],
    ]);
    expect(idsOf(await search({ filter: `attributes.run_id IN ('${ids[0]}', '${ids[2]}')` }))).toEqual([
      ids[2],
      ids[0],
    ]);

    const first = await search({ max_results: 3 });
    expect(first.runs).toHaveLength(3);
    const rest = await search({ max_results: 3, page_token: first.next_page_token });
    expect(idsOf(rest)).toEqual([ids[0]]);
    expect(rest.next_page_token).toBeUndefined();

    for (const filter of [
      'metrics.rmse <',
      'params.i = 1',
      'metrics.a < 1 OR metrics.b > 1',
      "attributes.bogus = 'x'",
    ]) {
      const bad = await call('POST', 'runs/search', { experiment_ids: [experiment_id], filter });
      expect([bad.status, bad.body.error_code], filter).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    }
    const badToken = await call('POST', 'runs/search', { experiment_ids: [experiment_id], page_token: '!!' });
    expect([badToken.status, badToken.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const badOrder = await call('POST', 'runs/search', {
      experiment_ids: [experiment_id],
      order_by: ['metrics.x UP'],
    });
    expect([badOrder.status, badOrder.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });

  it('answers {"runs": []} when nothing matches', async () => {
    expect(await ok('POST', 'runs/search', { experiment_ids: ['0'] })).toEqual({ runs: [] });
  });
});

describe('persistence', () => {
  it('keeps experiments, runs, params, metrics and tags across a restart on the same directory', async () => {
    const { experiment_id } = await ok('POST', 'experiments/create', { name: 'durable' });
    const runId = await createRun({ experiment_id, run_name: 'kept' });
    await ok('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'acc', value: 'NaN', timestamp: 5, step: 2 }],
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'best', value: 'yes' }],
    });
    await ok('POST', 'runs/update', { run_id: runId, status: 'FINISHED', end_time: 99 });
    const before = await ok('GET', 'runs/get', { run_id: runId });

    await app.close();
    app = await buildTrackingServer({ dataDir });

    expect(await ok('GET', 'runs/get', { run_id: runId })).toEqual(before);
    expect(
      (await ok('GET', 'experiments/get-by-name', { experiment_name: 'durable' })).experiment.experiment_id,
    ).toBe(experiment_id);
    const { experiment_id: nextId } = await ok('POST', 'experiments/create', { name: 'after-restart' });
    expect(nextId).toBe(String(Number(experiment_id) + 1));
  });
});

describe('a session of the official mlflow 2.x Python client', () => {
  it('set_experiment, start_run, log, end_run, then search_runs', async () => {
    // mlflow.set_experiment("iris"): get-by-name → 404 → create → get
    const lookup = await call('GET', 'experiments/get-by-name', { experiment_name: 'iris' });
    expect([lookup.status, lookup.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    const { experiment_id } = await ok('POST', 'experiments/create', { name: 'iris' });
    const { experiment } = await ok('GET', 'experiments/get', { experiment_id });
    expect(experiment.lifecycle_stage).toBe('active');

    const runIds: string[] = [];
    for (const [index, lr] of ['0.1', '0.01', '0.001'].entries()) {
      // mlflow.start_run(): runs/create with the user and source tags
      const { run } = await ok('POST', 'runs/create', {
        experiment_id,
        user_id: 'learner',
        start_time: 1700000000000 + index,
        tags: [
          { key: 'mlflow.user', value: 'learner' },
          { key: 'mlflow.source.name', value: 'train.py' },
          { key: 'mlflow.source.type', value: 'LOCAL' },
        ],
      });
      const runId = run.info.run_id as string;
      runIds.push(runId);
      // mlflow.log_param / log_metric / log_metrics (batch) / set_tag
      await ok('POST', 'runs/log-parameter', { run_id: runId, run_uuid: runId, key: 'lr', value: lr });
      await ok('POST', 'runs/log-metric', {
        run_id: runId,
        run_uuid: runId,
        key: 'accuracy',
        value: 0.8 + index / 20,
        timestamp: 1700000000100,
        step: 0,
      });
      await ok('POST', 'runs/log-batch', {
        run_id: runId,
        metrics: [1, 2, 3].map((step) => ({
          key: 'loss',
          value: 1 / (step + index),
          timestamp: 1700000000200,
          step,
        })),
        params: [{ key: 'epochs', value: '3' }],
        tags: [{ key: 'model', value: 'logreg' }],
      });
      // mlflow.end_run(): runs/update FINISHED
      const { run_info } = await ok('POST', 'runs/update', {
        run_id: runId,
        run_uuid: runId,
        status: 'FINISHED',
        end_time: 1700000001000,
      });
      expect(run_info.status).toBe('FINISHED');
    }

    // mlflow.search_runs(filter_string=..., order_by=[...])
    const { runs } = await ok('POST', 'runs/search', {
      experiment_ids: [experiment_id],
      filter: "params.epochs = '3' and metrics.accuracy > 0.82 and attributes.status = 'FINISHED'",
      run_view_type: 'ACTIVE_ONLY',
      max_results: 1000,
      order_by: ['metrics.accuracy DESC'],
    });
    expect(runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runIds[2], runIds[1]]);
    expect(runs[0].data.params).toEqual(
      expect.arrayContaining([
        { key: 'lr', value: '0.001' },
        { key: 'epochs', value: '3' },
      ]),
    );
    expect(runs[0].data.metrics).toContainEqual({
      key: 'loss',
      value: 1 / 5,
      timestamp: 1700000000200,
      step: 3,
    });

    // MlflowClient().get_metric_history(run_id, "loss")
    const { metrics } = await ok('GET', 'metrics/get-history', { run_id: runIds[0], metric_key: 'loss' });
    expect(metrics.map((m: { step: number }) => m.step)).toEqual([1, 2, 3]);
  });
});

describe('the wire module’s endpoints', () => {
  const endpoints: Endpoint[] = [...Object.values(trackingEndpoints), ...Object.values(registryEndpoints)];

  it('are all served, with each of their methods, under both API prefixes', async () => {
    for (const endpoint of endpoints) {
      for (const method of endpoint.methods) {
        for (const prefix of apiPrefixes) {
          const response = await app.inject({ method, url: `${prefix}/${endpoint.path}` });
          const what = `${method} ${prefix}/${endpoint.path}`;
          expect(response.headers['content-type'], what).toMatch(/application\/json/);
          expect(response.json().error_code, what).not.toBe('ENDPOINT_NOT_FOUND');
        }
      }
    }
  });

  it('describe the replies: a session’s answers parse with their response schemas', async () => {
    /** Calls an endpoint as the clients do and decodes the answer with the endpoint's schema. */
    const send = async <E extends Endpoint>(endpoint: E, fields: RequestFields<E>) => {
      const [method] = endpoint.methods;
      const url = `${apiPrefixes[0]}/${endpoint.path}`;
      const response =
        method === 'GET'
          ? await app.inject({ method, url: `${url}?${queryOf(fields as Record<string, unknown>)}` })
          : await app.inject({ method, url, payload: fields as object });
      expect(response.statusCode, response.body).toBe(200);
      return (endpoint.response as E['response']).parse(response.json()) as ParsedResponse<E>;
    };
    const api = { ...trackingEndpoints, ...registryEndpoints };

    const { experiment_id } = await send(api.createExperiment, { name: 'wire' });
    const { run } = await send(api.createRun, { experiment_id, start_time: 1000 });
    const run_id = run.info.run_id;
    await send(api.logBatch, {
      run_id,
      metrics: [{ key: 'loss', value: 'NaN', timestamp: 2, step: 1 }],
      params: [{ key: 'lr', value: '0.1' }],
    });
    await send(api.logInputs, {
      run_id,
      datasets: [{ dataset: { name: 'd', digest: '1', source_type: 'local', source: 'x' } }],
    });
    const { run_info } = await send(api.updateRun, { run_id, status: 'FINISHED', end_time: 3000 });
    expect(run_info).toMatchObject({ run_id, status: 'FINISHED', end_time: 3000 });

    const found = await send(api.searchRuns, { experiment_ids: [experiment_id] });
    expect(found.runs[0]?.data.metrics[0]?.value).toBeNaN();
    expect(found.runs[0]?.inputs.dataset_inputs[0]?.dataset.name).toBe('d');
    const history = await send(api.getMetricHistory, { run_id, metric_key: 'loss' });
    expect(history.metrics).toHaveLength(1);
    expect((await send(api.listArtifacts, { run_id })).files).toEqual([]);
    const experiments = await send(api.searchExperiments, { view_type: 'ALL' });
    expect(experiments.experiments.map((experiment) => experiment.name)).toContain('wire');

    await send(api.createRegisteredModel, { name: 'm' });
    const { model_version } = await send(api.createModelVersion, {
      name: 'm',
      source: `runs:/${run_id}/model`,
      run_id,
    });
    await send(api.setAlias, { name: 'm', alias: 'champion', version: model_version.version });
    await send(api.transitionStage, { name: 'm', version: '1', stage: 'Staging' });
    const models = await send(api.searchRegisteredModels, {});
    expect(models.registered_models[0]).toMatchObject({
      name: 'm',
      aliases: [{ alias: 'champion', version: '1' }],
      latest_versions: [{ version: '1', current_stage: 'Staging' }],
    });
    const versions = await send(api.searchModelVersions, { filter: "name='m'" });
    expect(versions.model_versions[0]?.aliases).toEqual(['champion']);
  });
});
