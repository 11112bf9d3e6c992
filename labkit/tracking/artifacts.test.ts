import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeRelativePath } from './artifacts';
import { buildTrackingServer } from './server';

const proxy = '/api/2.0/mlflow-artifacts/artifacts';
const maxBytes = 1024;

let sandboxDir: string;
let dataDir: string;
let outsideDir: string;
let app: FastifyInstance;

/** Every file under `dir`, recursively, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => {
    return fs.lstatSync(path.join(dir, name)).isFile();
  });
}

beforeEach(async () => {
  // The data directory sits deep inside a sandbox and traversal attempts climb no higher than it:
  // should the path checks ever regress, escaped writes still land in the sandbox.
  sandboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labkit-artifacts-'));
  dataDir = path.join(sandboxDir, 'a/b/c/d/data');
  outsideDir = path.join(sandboxDir, 'outside');
  fs.mkdirSync(outsideDir, { recursive: true });
  fs.writeFileSync(path.join(outsideDir, 'secret.txt'), 'top secret');
  app = await buildTrackingServer({ dataDir, artifactMaxBytes: maxBytes });
});

afterEach(async () => {
  await app.close();
  fs.rmSync(sandboxDir, { recursive: true, force: true });
});

/** A 2xx body; tests read nested fields freely and assert on them. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function createRun(): Promise<{ runId: string; artifactUri: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', payload: '{}' });
  const run = (response.json() as Json).run;
  return { runId: run.info.run_id, artifactUri: run.info.artifact_uri };
}

function put(url: string, payload: string | Buffer | Readable, contentType = 'application/octet-stream') {
  return app.inject({ method: 'PUT', url, payload, headers: { 'content-type': contentType } });
}

describe('safeRelativePath', () => {
  it('normalises harmless paths', () => {
    expect(safeRelativePath('')).toBe('');
    expect(safeRelativePath('a/./b//c.txt')).toBe('a/b/c.txt');
  });

  it.each(['..', 'a/../../b', '/etc/passwd', 'a\\..\\b', 'a\0b', 'C:/x', 'file:///etc/passwd'])(
    'refuses %j',
    (input) => {
      expect(() => safeRelativePath(input)).toThrow(/Invalid path/);
    },
  );
});

describe('mlflow-artifacts proxy', () => {
  it('stores raw bytes of any content type under the data directory and serves them back', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const upload = await put(`${proxy}/0/abc/artifacts/model/weights.bin`, bytes, 'image/png');
    expect(upload.statusCode).toBe(200);
    expect(upload.json()).toEqual({});
    expect(fs.readFileSync(path.join(dataDir, 'artifacts/0/abc/artifacts/model/weights.bin'))).toEqual(bytes);

    const download = await app.inject({ method: 'GET', url: `${proxy}/0/abc/artifacts/model/weights.bin` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload).toEqual(bytes);
    expect(download.headers['content-length']).toBe('5');
  });

  it('accepts JSON-looking and empty bodies as plain bytes, and overwrites on a second PUT', async () => {
    expect(
      (await put(`${proxy}/0/r/artifacts/MLmodel`, '{"not": "parsed"}', 'application/json')).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: `${proxy}/0/r/artifacts/MLmodel` })).body).toBe(
      '{"not": "parsed"}',
    );
    expect((await put(`${proxy}/0/r/artifacts/MLmodel`, '')).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `${proxy}/0/r/artifacts/MLmodel` })).body).toBe('');
  });

  it('serves the same routes under /ajax-api', async () => {
    await put(`/ajax-api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/a.txt`, 'hi');
    expect((await app.inject({ method: 'GET', url: `${proxy}/0/r/artifacts/a.txt` })).body).toBe('hi');
  });

  it('refuses an upload over the size cap with a 413, by Content-Length or while streaming', async () => {
    const tooBig = await put(`${proxy}/0/r/artifacts/big.bin`, Buffer.alloc(maxBytes + 1));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({
      error_code: 'BAD_REQUEST',
      message: expect.stringContaining('limit'),
    });

    const chunks = Array.from({ length: 5 }, () => Buffer.alloc(maxBytes / 2));
    const streamed = await put(`${proxy}/0/r/artifacts/big.bin`, Readable.from(chunks));
    expect(streamed.statusCode).toBe(413);
    expect(fs.existsSync(path.join(dataDir, 'artifacts/0/r/artifacts/big.bin'))).toBe(false);
    expect(fs.readdirSync(path.join(dataDir, 'artifact-uploads'))).toEqual([]);

    expect((await put(`${proxy}/0/r/artifacts/fits.bin`, Buffer.alloc(maxBytes))).statusCode).toBe(200);
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for a missing file or a folder', async () => {
    await put(`${proxy}/0/r/artifacts/dir/a.txt`, 'a');
    for (const url of [`${proxy}/0/r/artifacts/nope.txt`, `${proxy}/0/r/artifacts/dir`]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    }
  });

  it('lists a folder by base name, with is_dir always and file_size only for files', async () => {
    await put(`${proxy}/0/r/artifacts/model/MLmodel`, 'flavors: {}');
    await put(`${proxy}/0/r/artifacts/model/data/model.pkl`, '12345');
    const response = await app.inject({ method: 'GET', url: proxy, query: { path: '0/r/artifacts/model' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      files: [
        { path: 'data', is_dir: true },
        { path: 'MLmodel', is_dir: false, file_size: 11 },
      ],
    });
    const missing = await app.inject({ method: 'GET', url: proxy, query: { path: '0/none' } });
    expect(missing.json()).toEqual({ files: [] });
    const root = await app.inject({ method: 'GET', url: proxy });
    expect(root.json()).toEqual({ files: [{ path: '0', is_dir: true }] });
  });

  it('deletes a file or a whole folder, and deleting what is gone is not an error', async () => {
    await put(`${proxy}/0/r/artifacts/dir/a.txt`, 'a');
    await put(`${proxy}/0/r/artifacts/b.txt`, 'b');
    expect((await app.inject({ method: 'DELETE', url: `${proxy}/0/r/artifacts/b.txt` })).json()).toEqual({});
    expect((await app.inject({ method: 'DELETE', url: `${proxy}/0/r/artifacts/dir` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `${proxy}/0/r/artifacts/dir` })).statusCode).toBe(200);
    const listing = await app.inject({ method: 'GET', url: proxy, query: { path: '0/r/artifacts' } });
    expect(listing.json()).toEqual({ files: [] });
  });
});

/**
 * Sends a request over a real socket with the path byte for byte: `app.inject` resolves dot
 * segments (even `%2e%2e`) before routing, which a real client need not do.
 */
async function rawRequest(
  method: string,
  rawPath: string,
  body = 'x',
): Promise<{ status: number; body: string }> {
  const address =
    app.server.address() ?? (await app.listen({ host: '127.0.0.1', port: 0 }), app.server.address());
  const { port } = address as AddressInfo;
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path: rawPath }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.on('error', reject);
    request.end(method === 'PUT' ? body : undefined);
  });
}

describe('artifact path safety', () => {
  const traversals = [
    '0/%2e%2e/%2e%2e/%2e%2e/escaped.txt',
    '0/%2E%2E/x',
    '0/..%2f..%2fx',
    '%2Ftmp%2Fescaped.txt',
    '/tmp/escaped.txt',
    '0/a%5c..%5cb',
    '0/a%00b',
  ];

  it.each(traversals)('refuses PUT, GET and DELETE of %j with a 400', async (encoded) => {
    for (const method of ['PUT', 'GET', 'DELETE']) {
      const response = await rawRequest(method, `${proxy}/${encoded}`);
      expect(response.status, `${method} ${encoded}`).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    }
    expect(filesUnder(sandboxDir).sort()).toEqual(['a/b/c/d/data/tracking.jsonl', 'outside/secret.txt']);
  });

  it('refuses a literal ../ sent unresolved over the wire', async () => {
    for (const method of ['PUT', 'GET', 'DELETE']) {
      const response = await rawRequest(method, `${proxy}/0/../../../../../../../outside/secret.txt`);
      expect(response.status, method).toBe(400);
      expect(response.body).not.toContain('top secret');
    }
    expect(filesUnder(sandboxDir).sort()).toEqual(['a/b/c/d/data/tracking.jsonl', 'outside/secret.txt']);
    expect(fs.readFileSync(path.join(outsideDir, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it.each(['../x', '/tmp', '0/../..'])('refuses listing ?path=%j', async (listPath) => {
    const response = await app.inject({ method: 'GET', url: proxy, query: { path: listPath } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
  });

  it('does not follow a symlink planted in the artifact tree to a place outside it', async () => {
    fs.mkdirSync(path.join(dataDir, 'artifacts/0/r/artifacts'), { recursive: true });
    fs.symlinkSync(outsideDir, path.join(dataDir, 'artifacts/0/r/artifacts/escape'));
    fs.symlinkSync(path.join(outsideDir, 'secret.txt'), path.join(dataDir, 'artifacts/0/r/artifacts/secret'));

    const attempts = [
      app.inject({ method: 'GET', url: `${proxy}/0/r/artifacts/escape/secret.txt` }),
      app.inject({ method: 'GET', url: `${proxy}/0/r/artifacts/secret` }),
      put(`${proxy}/0/r/artifacts/escape/secret.txt`, 'overwritten'),
      put(`${proxy}/0/r/artifacts/escape/new/planted.txt`, 'planted'),
      put(`${proxy}/0/r/artifacts/secret`, 'overwritten'),
      app.inject({ method: 'DELETE', url: `${proxy}/0/r/artifacts/escape/secret.txt` }),
      app.inject({ method: 'GET', url: proxy, query: { path: '0/r/artifacts/escape' } }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    }
    expect(fs.readFileSync(path.join(outsideDir, 'secret.txt'), 'utf8')).toBe('top secret');
    expect(fs.existsSync(path.join(outsideDir, 'new'))).toBe(false);
    // The links themselves are not listed either.
    const listing = await app.inject({ method: 'GET', url: proxy, query: { path: '0/r/artifacts' } });
    expect(listing.json()).toEqual({ files: [] });
  });
});

describe('artifacts/list', () => {
  it("lists a run's artifacts relative to its artifact root", async () => {
    const { runId, artifactUri } = await createRun();
    const root = artifactUri.replace('mlflow-artifacts:/', '');
    await put(`${proxy}/${root}/model/MLmodel`, 'abc');
    await put(`${proxy}/${root}/notes.txt`, 'hello');

    const top = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/artifacts/list',
      query: { run_id: runId },
    });
    expect(top.statusCode).toBe(200);
    expect(top.json()).toEqual({
      root_uri: artifactUri,
      files: [
        { path: 'model', is_dir: true },
        { path: 'notes.txt', is_dir: false, file_size: 5 },
      ],
    });
    const model = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/artifacts/list',
      query: { run_uuid: runId, path: 'model' },
    });
    expect(model.json()).toEqual({
      root_uri: artifactUri,
      files: [{ path: 'model/MLmodel', is_dir: false, file_size: 3 }],
    });
  });

  it('pages a large folder: 1000 entries at a time with next_page_token, or max_results', async () => {
    const { runId, artifactUri } = await createRun();
    const folder = path.join(dataDir, 'artifacts', artifactUri.replace('mlflow-artifacts:/', ''), 'many');
    fs.mkdirSync(folder, { recursive: true });
    const names = Array.from({ length: 1203 }, (_, i) => `f${String(i).padStart(4, '0')}.txt`);
    for (const name of names) fs.writeFileSync(path.join(folder, name), 'x');
    fs.mkdirSync(path.join(folder, 'zz-sub'));
    const list = async (query: Record<string, string>) => {
      const response = await app.inject({
        method: 'GET',
        url: '/api/2.0/mlflow/artifacts/list',
        query: { run_id: runId, path: 'many', ...query },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as Json;
    };
    const first = await list({});
    expect(first.files).toHaveLength(1000);
    expect(first.files[0]).toEqual({ path: 'many/f0000.txt', is_dir: false, file_size: 1 });
    expect(first.next_page_token).toEqual(expect.any(String));
    const second = await list({ page_token: first.next_page_token });
    expect(second.files).toHaveLength(204);
    expect(second.files.at(-1)).toEqual({ path: 'many/zz-sub', is_dir: true });
    expect(second).not.toHaveProperty('next_page_token');
    expect([...first.files, ...second.files].map((file: Json) => file.path)).toEqual([
      ...names.map((name) => `many/${name}`),
      'many/zz-sub',
    ]);

    const small = await list({ max_results: '500' });
    expect(small.files).toHaveLength(500);
    const rest = await list({ max_results: '500', page_token: small.next_page_token });
    expect(rest.files[0].path).toBe('many/f0500.txt');

    const bad = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/artifacts/list',
      query: { run_id: runId, page_token: 'not a token' },
    });
    expect(bad.statusCode).toBe(400);
    const tooMany = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/artifacts/list',
      query: { run_id: runId, max_results: '1001' },
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('refuses traversal out of the run root and answers 404 for an unknown run', async () => {
    const { runId } = await createRun();
    const escape = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/artifacts/list',
      query: { run_id: runId, path: '../../..' },
    });
    expect(escape.statusCode).toBe(400);
    expect(escape.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/artifacts/list',
      query: { run_id: 'f'.repeat(32) },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('keeps artifacts across a restart on the same data directory', async () => {
    await put(`${proxy}/0/r/artifacts/kept.txt`, 'still here');
    await app.close();
    app = await buildTrackingServer({ dataDir, artifactMaxBytes: maxBytes });
    expect((await app.inject({ method: 'GET', url: `${proxy}/0/r/artifacts/kept.txt` })).body).toBe(
      'still here',
    );
  });
});

describe("the Python client's log_artifact sequence", () => {
  it('reads the artifact_uri from runs/get, then PUTs to the proxy path it maps to', async () => {
    const { runId } = await createRun();
    const got = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/runs/get',
      query: { run_id: runId },
    });
    const artifactUri: string = (got.json() as Json).run.info.artifact_uri;
    expect(artifactUri).toMatch(/^mlflow-artifacts:\//);
    const url = `${proxy}/${artifactUri.slice('mlflow-artifacts:/'.length)}/plots/loss.png`;
    expect((await put(url, Buffer.from('PNG'), 'image/png')).statusCode).toBe(200);
    const listed = await app.inject({
      method: 'GET',
      url: '/api/2.0/mlflow/artifacts/list',
      query: { run_id: runId, path: 'plots' },
    });
    expect(listed.json().files).toEqual([{ path: 'plots/loss.png', is_dir: false, file_size: 3 }]);
  });
});
