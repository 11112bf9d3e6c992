import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runs } from './runs';
import { captureIo } from './testing';
import { TrackingApiError, TrackingClient } from './tracking-client';

type Seen = { method: string; url: string; body: unknown };
type Answer = { status?: number; body: string | object };

/** A stand-in tracking server: records each request and answers the next canned reply. */
async function fakeServer(...answers: Answer[]) {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        body: text ? JSON.parse(text) : undefined,
      });
      const answer = answers.shift() ?? { status: 500, body: 'no more answers' };
      response.statusCode = answer.status ?? 200;
      response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, uri, client: new TrackingClient(uri) };
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const run = (id: string) => ({ info: { run_id: id, experiment_id: '0', status: 'FINISHED' } });

describe('the CLI’s tracking client', () => {
  it('follows page tokens for runs up to the maximum, asking only for what is still wanted', async () => {
    const { seen, client } = await fakeServer(
      { body: { runs: [run('a'), run('b')], next_page_token: 't1' } },
      { body: { runs: [run('c')], next_page_token: 't2' } },
    );
    const { runs: found, more } = await client.searchRuns({ experimentIds: ['0'], max: 3 });
    expect(found.map((r) => r.info.run_id)).toEqual(['a', 'b', 'c']);
    expect(more).toBe(true);
    expect(seen.map((request) => request.body)).toMatchObject([
      { experiment_ids: ['0'], max_results: 3, run_view_type: 'ACTIVE_ONLY' },
      { max_results: 1, page_token: 't1' },
    ]);
  });

  it('sends GET fields in the query string and decodes the reply (NaN, int64 as text)', async () => {
    const { seen, client } = await fakeServer({
      body: { metrics: [{ key: 'val loss', value: 'NaN', timestamp: '5', step: '2' }] },
    });
    const [metric] = await client.metricHistory('abc', 'val loss');
    expect(metric).toEqual({ key: 'val loss', value: NaN, timestamp: 5, step: 2 });
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: '/api/2.0/mlflow/metrics/get-history?run_id=abc&metric_key=val+loss',
    });
  });

  it('turns MLflow’s error body into a TrackingApiError with its code and sentence', async () => {
    const { client } = await fakeServer(
      { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=x not found' } },
      { status: 502, body: { detail: 'bad gateway' } },
      { body: '<html>not an API</html>' },
    );
    const missing = await client.getRun('x').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(TrackingApiError);
    expect(missing).toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=x not found' });
    await expect(client.getRun('x')).rejects.toMatchObject({ code: 'HTTP_502', status: 502 });
    await expect(client.getRun('x')).rejects.toMatchObject({ code: 'NOT_JSON' });
  });

  it('refuses a reply of the wrong shape with a sentence naming the field, not a crash later on', async () => {
    const { uri } = await fakeServer({ body: { experiments: [{ name: 5 }] } });
    const out = captureIo({ MLFLOW_TRACKING_URI: uri });
    expect(await runs(['list'], out)).toBe(1);
    expect(out.stderr()).toMatch(
      new RegExp(
        `^labkit runs list: ${uri} answered POST /api/2\\.0/mlflow/experiments/search with a reply labkit cannot ` +
          'read \\(experiments\\.0\\.experiment_id: .+\\)\\. Is MLFLOW_TRACKING_URI pointing at an MLflow tracking server\\?$',
      ),
    );
  });
});
