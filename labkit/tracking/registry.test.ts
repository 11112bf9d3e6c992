import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRegistryFilter } from './registry';
import { buildTrackingServer } from './server';

let dataDir: string;
let app: FastifyInstance;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labkit-registry-'));
  app = await buildTrackingServer({ dataDir });
});

afterEach(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A 2xx body; tests read nested fields freely and assert on them. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Calls an endpoint as MLflow's `call_endpoint` does: GET fields in the query, others as JSON. */
async function call(method: Method, endpoint: string, fields: Record<string, unknown> = {}) {
  const url = `/api/2.0/mlflow/${endpoint}`;
  const response =
    method === 'GET'
      ? await app.inject({
          method,
          url,
          query: Object.fromEntries(
            Object.entries(fields).map(([key, value]) => [
              key,
              Array.isArray(value) ? value.map(String) : String(value),
            ]),
          ),
        })
      : await app.inject({ method, url, payload: JSON.stringify(fields) });
  return { status: response.statusCode, body: response.json() as Json };
}

async function ok(method: Method, endpoint: string, fields: Record<string, unknown> = {}): Promise<Json> {
  const reply = await call(method, endpoint, fields);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

async function createVersion(name: string, source = `mlflow-artifacts:/0/r/artifacts/model`, runId = 'r') {
  return (await ok('POST', 'model-versions/create', { name, source, run_id: runId })).model_version;
}

describe('parseRegistryFilter', () => {
  it('reads =, !=, LIKE and ILIKE clauses joined by AND', () => {
    const [like] = parseRegistryFilter("name LIKE '%fraud%'", ['name']);
    expect(like?.test('my-fraud-model')).toBe(true);
    expect(like?.test('my-FRAUD-model')).toBe(false);
    const [ilike] = parseRegistryFilter("name ILIKE 'c_t%'", ['name']);
    expect(ilike?.test('CAT-model')).toBe(true);
    const clauses = parseRegistryFilter(`name = "a.b" AND run_id != 'x'`, ['name', 'run_id']);
    expect(clauses.map((clause) => clause.key)).toEqual(['name', 'run_id']);
    expect(clauses[0]?.test('a.b')).toBe(true);
    expect(clauses[0]?.test('aXb')).toBe(false);
  });

  it.each(["tags.x = 'y'", 'name = x', "name > 'a'", "run_id = 'x'"])('refuses %j', (filter) => {
    expect(() => parseRegistryFilter(filter, ['name'])).toThrow(/Invalid filter/);
  });
});

describe('registered models', () => {
  it('creates with tags and description, gets, and refuses a duplicate name', async () => {
    const created = await ok('POST', 'registered-models/create', {
      name: 'fraud',
      description: 'detects fraud',
      tags: [{ key: 'team', value: 'risk' }],
    });
    expect(created.registered_model).toMatchObject({
      name: 'fraud',
      description: 'detects fraud',
      tags: [{ key: 'team', value: 'risk' }],
      aliases: [],
      latest_versions: [],
    });
    expect(created.registered_model.creation_timestamp).toEqual(expect.any(Number));
    expect((await ok('GET', 'registered-models/get', { name: 'fraud' })).registered_model.name).toBe('fraud');

    const duplicate = await call('POST', 'registered-models/create', { name: 'fraud' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it("answers MLflow's not-found message and a missing-parameter 400", async () => {
    const missing = await call('GET', 'registered-models/get', { name: 'nope' });
    expect(missing).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=nope not found' },
    });
    const noName = await call('POST', 'registered-models/create', {});
    expect(noName.status).toBe(400);
    expect(noName.body).toMatchObject({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Missing value for required parameter 'name'",
    });
  });

  it('renames (with its versions), updates the description with PATCH and deletes with DELETE', async () => {
    await ok('POST', 'registered-models/create', { name: 'old' });
    await createVersion('old');
    const renamed = await ok('POST', 'registered-models/rename', { name: 'old', new_name: 'new' });
    expect(renamed.registered_model.name).toBe('new');
    expect((await ok('GET', 'model-versions/get', { name: 'new', version: '1' })).model_version.name).toBe(
      'new',
    );
    expect((await call('GET', 'registered-models/get', { name: 'old' })).status).toBe(404);

    const updated = await ok('PATCH', 'registered-models/update', { name: 'new', description: 'v2' });
    expect(updated.registered_model.description).toBe('v2');

    expect(await ok('DELETE', 'registered-models/delete', { name: 'new' })).toEqual({});
    expect((await call('GET', 'registered-models/get', { name: 'new' })).status).toBe(404);
    expect((await call('GET', 'model-versions/get', { name: 'new', version: '1' })).status).toBe(404);
  });

  it('sets and deletes tags', async () => {
    await ok('POST', 'registered-models/create', { name: 'm' });
    await ok('POST', 'registered-models/set-tag', { name: 'm', key: 'k', value: 'v' });
    expect((await ok('GET', 'registered-models/get', { name: 'm' })).registered_model.tags).toEqual([
      { key: 'k', value: 'v' },
    ]);
    await ok('DELETE', 'registered-models/delete-tag', { name: 'm', key: 'k' });
    expect((await ok('GET', 'registered-models/get', { name: 'm' })).registered_model.tags).toEqual([]);
  });

  it('searches by name filter, orders by name and pages with tokens', async () => {
    for (const name of ['cat-b', 'dog', 'cat-a', 'Cat-c'])
      await ok('POST', 'registered-models/create', { name });
    const names = (body: Json) => body.registered_models.map((model: Json) => model.name);

    expect(names(await ok('GET', 'registered-models/search'))).toEqual(['Cat-c', 'cat-a', 'cat-b', 'dog']);
    expect(names(await ok('GET', 'registered-models/search', { filter: "name = 'dog'" }))).toEqual(['dog']);
    expect(names(await ok('GET', 'registered-models/search', { filter: "name LIKE 'cat%'" }))).toEqual([
      'cat-a',
      'cat-b',
    ]);
    expect(names(await ok('GET', 'registered-models/search', { filter: "name ILIKE 'cat%'" }))).toEqual([
      'Cat-c',
      'cat-a',
      'cat-b',
    ]);
    expect(names(await ok('GET', 'registered-models/search', { order_by: ['name DESC'] }))).toEqual([
      'dog',
      'cat-b',
      'cat-a',
      'Cat-c',
    ]);

    const first = await ok('GET', 'registered-models/search', { max_results: 3 });
    expect(names(first)).toHaveLength(3);
    expect(first.next_page_token).toEqual(expect.any(String));
    const second = await ok('GET', 'registered-models/search', {
      max_results: 3,
      page_token: first.next_page_token,
    });
    expect(names(second)).toEqual(['dog']);
    expect(second.next_page_token).toBeUndefined();

    for (const fields of [{ filter: "tags.a = 'b'" }, { order_by: ['size'] }, { page_token: 'bogus!' }]) {
      const reply = await call('GET', 'registered-models/search', fields);
      expect(reply.status, JSON.stringify(fields)).toBe(400);
      expect(reply.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });
});

describe('model versions', () => {
  beforeEach(async () => {
    await ok('POST', 'registered-models/create', { name: 'm' });
  });

  it('numbers versions per model from 1, READY at once, with source and run_id', async () => {
    const first = await createVersion('m', 'mlflow-artifacts:/0/abc/artifacts/model', 'abc');
    expect(first).toMatchObject({
      name: 'm',
      version: '1',
      status: 'READY',
      current_stage: 'None',
      source: 'mlflow-artifacts:/0/abc/artifacts/model',
      run_id: 'abc',
      aliases: [],
      tags: [],
    });
    expect((await createVersion('m')).version).toBe('2');
    await ok('POST', 'registered-models/create', { name: 'other' });
    expect((await createVersion('other')).version).toBe('1');

    const unknownModel = await call('POST', 'model-versions/create', { name: 'nope', source: 's' });
    expect(unknownModel.status).toBe(404);
    const noSource = await call('POST', 'model-versions/create', { name: 'm' });
    expect(noSource.status).toBe(400);
  });

  it('gets, updates with PATCH, deletes with DELETE, and does not reuse a deleted number', async () => {
    await createVersion('m');
    await createVersion('m');
    const updated = await ok('PATCH', 'model-versions/update', {
      name: 'm',
      version: '1',
      description: 'first',
    });
    expect(updated.model_version.description).toBe('first');
    await ok('DELETE', 'model-versions/delete', { name: 'm', version: '2' });
    const gone = await call('GET', 'model-versions/get', { name: 'm', version: '2' });
    expect(gone).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Model Version (name=m, version=2) not found' },
    });
    expect((await createVersion('m')).version).toBe('3');
    expect((await call('GET', 'model-versions/get', { name: 'm', version: 'one' })).status).toBe(400);
  });

  it("searches by name and run_id and gives the download URI as the version's source", async () => {
    await createVersion('m', 's1', 'run-a');
    await createVersion('m', 's2', 'run-b');
    await ok('POST', 'registered-models/create', { name: 'n' });
    await createVersion('n', 's3', 'run-a');
    const found = (fields: Record<string, unknown>) =>
      ok('GET', 'model-versions/search', fields).then((body) =>
        body.model_versions.map((v: Json) => `${v.name}/${v.version}`),
      );
    expect(await found({ filter: "name='m'" })).toEqual(['m/2', 'm/1']);
    expect(await found({ filter: "run_id='run-a'" })).toEqual(['m/1', 'n/1']);
    expect(await found({ filter: "name = 'm' AND run_id = 'run-b'" })).toEqual(['m/2']);
    expect((await call('GET', 'model-versions/search', { filter: "source = 'x'" })).status).toBe(400);

    expect(await ok('GET', 'model-versions/get-download-uri', { name: 'm', version: '2' })).toEqual({
      artifact_uri: 's2',
    });
  });

  it('transitions stages, archiving the others when asked, and reports latest versions per stage', async () => {
    for (let i = 0; i < 3; i++) await createVersion('m');
    await ok('POST', 'model-versions/transition-stage', { name: 'm', version: '1', stage: 'Production' });
    const second = await ok('POST', 'model-versions/transition-stage', {
      name: 'm',
      version: '2',
      stage: 'production',
      archive_existing_versions: true,
    });
    expect(second.model_version.current_stage).toBe('Production');
    expect(
      (await ok('GET', 'model-versions/get', { name: 'm', version: '1' })).model_version.current_stage,
    ).toBe('Archived');

    const latest = await ok('POST', 'registered-models/get-latest-versions', {
      name: 'm',
      stages: ['Production'],
    });
    expect(latest.model_versions.map((v: Json) => v.version)).toEqual(['2']);
    const all = await ok('GET', 'registered-models/get-latest-versions', { name: 'm' });
    expect(all.model_versions.map((v: Json) => [v.current_stage, v.version])).toEqual([
      ['None', '3'],
      ['Production', '2'],
      ['Archived', '1'],
    ]);
    const model = (await ok('GET', 'registered-models/get', { name: 'm' })).registered_model;
    expect(model.latest_versions.map((v: Json) => v.version)).toEqual(['3', '2', '1']);

    const bad = await call('POST', 'model-versions/transition-stage', {
      name: 'm',
      version: '1',
      stage: 'Live',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('sets and deletes version tags', async () => {
    await createVersion('m');
    await ok('POST', 'model-versions/set-tag', { name: 'm', version: '1', key: 'validated', value: 'yes' });
    expect((await ok('GET', 'model-versions/get', { name: 'm', version: '1' })).model_version.tags).toEqual([
      { key: 'validated', value: 'yes' },
    ]);
    await ok('DELETE', 'model-versions/delete-tag', { name: 'm', version: '1', key: 'validated' });
    expect((await ok('GET', 'model-versions/get', { name: 'm', version: '1' })).model_version.tags).toEqual(
      [],
    );
  });
});

describe('aliases', () => {
  beforeEach(async () => {
    await ok('POST', 'registered-models/create', { name: 'm' });
    await createVersion('m');
    await createVersion('m');
  });

  it('sets, moves, reads and deletes an alias, shown on the model and the version', async () => {
    await ok('POST', 'registered-models/alias', { name: 'm', alias: 'champion', version: '1' });
    await ok('POST', 'registered-models/alias', { name: 'm', alias: 'champion', version: '2' });
    const byAlias = await ok('GET', 'registered-models/alias', { name: 'm', alias: 'champion' });
    expect(byAlias.model_version).toMatchObject({ version: '2', aliases: ['champion'] });
    expect(
      (await ok('GET', 'model-versions/get', { name: 'm', version: '1' })).model_version.aliases,
    ).toEqual([]);
    expect((await ok('GET', 'registered-models/get', { name: 'm' })).registered_model.aliases).toEqual([
      { alias: 'champion', version: '2' },
    ]);

    await ok('DELETE', 'registered-models/alias', { name: 'm', alias: 'champion' });
    expect(await call('GET', 'registered-models/alias', { name: 'm', alias: 'champion' })).toEqual({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'Registered model alias champion not found.' },
    });
  });

  it('deletes an alias given in the query string, as newer clients send it', async () => {
    await ok('POST', 'registered-models/alias', { name: 'm', alias: 'prod', version: '1' });
    const response = await app.inject({
      method: 'DELETE',
      url: '/api/2.0/mlflow/registered-models/alias',
      query: { name: 'm', alias: 'prod' },
    });
    expect(response.statusCode).toBe(200);
    const lookup = await call('GET', 'registered-models/alias', { name: 'm', alias: 'prod' });
    expect(lookup.body.message).toBe('Registered model alias prod not found.');
  });

  it.each(['latest', 'LATEST', 'v1', 'V12', 'bad alias'])('refuses the alias %j', async (alias) => {
    const reply = await call('POST', 'registered-models/alias', { name: 'm', alias, version: '1' });
    expect(reply.status).toBe(400);
    expect(reply.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('refuses an alias to a missing version and drops aliases of a deleted version', async () => {
    expect(
      (await call('POST', 'registered-models/alias', { name: 'm', alias: 'a', version: '9' })).status,
    ).toBe(404);
    await ok('POST', 'registered-models/alias', { name: 'm', alias: 'a', version: '1' });
    await ok('DELETE', 'model-versions/delete', { name: 'm', version: '1' });
    expect((await ok('GET', 'registered-models/get', { name: 'm' })).registered_model.aliases).toEqual([]);
  });
});

describe('registry persistence', () => {
  it('keeps models, versions, stages, tags and aliases across a restart', async () => {
    await ok('POST', 'registered-models/create', { name: 'm', tags: [{ key: 't', value: '1' }] });
    await createVersion('m');
    await createVersion('m');
    await ok('POST', 'model-versions/transition-stage', { name: 'm', version: '2', stage: 'Staging' });
    await ok('POST', 'registered-models/alias', { name: 'm', alias: 'champion', version: '1' });
    await ok('POST', 'registered-models/rename', { name: 'm', new_name: 'kept' });
    const before = await ok('GET', 'registered-models/get', { name: 'kept' });

    await app.close();
    app = await buildTrackingServer({ dataDir });
    expect(await ok('GET', 'registered-models/get', { name: 'kept' })).toEqual(before);
    expect((await createVersion('kept')).version).toBe('3');
  });
});

describe("the Python client's request sequences", () => {
  it('register_model: create (tolerating RESOURCE_ALREADY_EXISTS), create version, poll get until READY', async () => {
    const run = (await ok('POST', 'runs/create', {})).run;
    const source = `${run.info.artifact_uri}/model`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const create = await call('POST', 'registered-models/create', { name: 'clf' });
      expect(create.status === 200 || create.body.error_code === 'RESOURCE_ALREADY_EXISTS').toBe(true);
      const version = (
        await ok('POST', 'model-versions/create', { name: 'clf', source, run_id: run.info.run_id })
      ).model_version;
      const polled = await ok('GET', 'model-versions/get', { name: 'clf', version: version.version });
      expect(polled.model_version).toMatchObject({ status: 'READY', version: String(attempt + 1), source });
    }
  });

  it('load_model("models:/clf@champion"): GET alias, get-download-uri, then proxy list and GET files', async () => {
    const run = (await ok('POST', 'runs/create', {})).run;
    const modelRoot = `${run.info.artifact_uri.replace('mlflow-artifacts:/', '')}/model`;
    const proxy = '/api/2.0/mlflow-artifacts/artifacts';
    for (const [file, content] of [
      ['MLmodel', 'flavors: {}'],
      ['model.pkl', 'pickle'],
    ] as const) {
      const put = await app.inject({ method: 'PUT', url: `${proxy}/${modelRoot}/${file}`, payload: content });
      expect(put.statusCode).toBe(200);
    }
    await ok('POST', 'registered-models/create', { name: 'clf' });
    await createVersion('clf', `${run.info.artifact_uri}/model`, run.info.run_id);
    await ok('POST', 'registered-models/alias', { name: 'clf', alias: 'champion', version: '1' });

    const version = (await ok('GET', 'registered-models/alias', { name: 'clf', alias: 'champion' }))
      .model_version;
    const { artifact_uri } = await ok('GET', 'model-versions/get-download-uri', {
      name: 'clf',
      version: version.version,
    });
    expect(artifact_uri).toBe(`${run.info.artifact_uri}/model`);
    const proxyPath = artifact_uri.replace('mlflow-artifacts:/', '');
    const listing = await app.inject({ method: 'GET', url: proxy, query: { path: proxyPath } });
    expect(listing.json()).toEqual({
      files: [
        { path: 'MLmodel', is_dir: false, file_size: 11 },
        { path: 'model.pkl', is_dir: false, file_size: 6 },
      ],
    });
    const mlmodel = await app.inject({ method: 'GET', url: `${proxy}/${proxyPath}/MLmodel` });
    expect(mlmodel.body).toBe('flavors: {}');
  });
});
