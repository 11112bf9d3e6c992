/**
 * labkit's tracking server, run as the sandbox image runs it: the esbuild bundle of the `labkit`
 * command (`bundleCli()`, the exact bytes of /opt/labkit/lib: the entry and its chunks) started with
 * `node lib/labkit.mjs serve tracking` as a child process, driven over loopback HTTP with `fetch`.
 *
 *   log-batch      1000 metrics per request, sequential. Baseline: a bare node:http server in its
 *                  own process that reads the same bodies, JSON.parses them and answers `{}`, the
 *                  floor for any Node JSON API receiving them (a GET /health would leave out the
 *                  ~70 kB upload and parse, which any server must pay). Sent alternately to both.
 *   runs/search    10,000 runs in one experiment, each with 3 params and 3 metrics: no filter,
 *                  a metric filter, order_by a metric (100 results each), and paging through all
 *                  of them 1000 at a time. Baseline: experiments/get on the same server (the same
 *                  HTTP, routing and JSON path with no search), measured in between.
 *   memory         VmRSS (and RssAnon, the part not backed by files) of the server 1 s after it
 *                  answers /health, with those 10,000 runs loaded (2 s after the last write),
 *                  and again after the searches. Baseline: a bare `node -e "setInterval(()=>{},1e9)"`.
 *
 * Run alone: `node_modules/.bin/tsx tests/bench/labkit-tracking.ts [--json]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, writeLabkitBundle } from '@/labkit/bundle';
import { freePort } from './server';
import { summarize, percentile, type BenchResult } from './stats';

const log = (message: string) => console.error(`  ${message}`);

const batchSize = 1000;
const warmupBatches = 20;
const measuredBatches = 200;
const searchRuns = 10_000;
const seedConcurrency = 8;
const warmupSearches = 5;
const measuredSearches = 50;
const measuredScans = 10;
const memoryStarts = 5;

type Process = { child: ChildProcess; url: string; stop: () => Promise<void> };

async function waitHealthy(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before answering`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not answer ${url}/health within 30 s`);
}

function stopper(child: ChildProcess, cleanup: () => void = () => {}): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    cleanup();
  };
}

/** `node labkit.mjs serve tracking` on a free port with a fresh data folder. */
async function startTracking(bundle: string): Promise<Process> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labkit-bench-data-'));
  const child = spawn(
    process.execPath,
    [bundle, 'serve', 'tracking', '--port', String(port), '--data', dataDir],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const stop = stopper(child, () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, 'labkit serve tracking');
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, url, stop };
}

/** The log-batch baseline: reads the body, parses it, answers {} (also /health, to start). */
const echoServerSource = `
const http = require('node:http');
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method === 'POST') JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const body = request.url === '/health' ? 'OK' : '{}';
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.listen(Number(process.argv[1]), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function startEchoServer(): Promise<Process> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', echoServerSource, String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = stopper(child);
  try {
    await waitHealthy(url, child, 'the baseline echo server');
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, url, stop };
}

/**
 * Resident memory of a process in MB from /proc (so Linux only): VmRSS, and RssAnon, its part not
 * backed by files (heap, stacks; what stays once the shared node binary's pages are left out).
 */
function memoryMegabytes(pid: number): { rss: number; anon: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    if (!match) throw new Error(`no ${name} for process ${pid}`);
    return Number(match[1]) / 1024;
  };
  return { rss: field('VmRSS'), anon: field('RssAnon') };
}

type MemorySamples = { rss: number[]; anon: number[] };
const noMemory = (): MemorySamples => ({ rss: [], anon: [] });
function addMemory(samples: MemorySamples, pid: number): void {
  const { rss, anon } = memoryMegabytes(pid);
  samples.rss.push(rss);
  samples.anon.push(anon);
}
function summarizeMemory(what: string, samples: MemorySamples, bare: MemorySamples): BenchResult[] {
  return [
    summarize(`labkit tracking: RSS ${what}`, 'MB', samples.rss, bare.rss),
    summarize(`labkit tracking: RssAnon ${what}`, 'MB', samples.anon, bare.anon),
  ];
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed(operation: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await operation();
  return performance.now() - started;
}

/** POSTs JSON, reads the whole answer, fails on an error status. */
async function post(url: string, body: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

async function get(url: string): Promise<unknown> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

// ── (a) log-batch ──────────────────────────────────────────────────────────────────────────────

function batchBody(runId: string, batch: number): string {
  const metrics = Array.from({ length: batchSize }, (_, i) => ({
    key: `metric_${i % 10}`,
    value: Math.sin(batch * batchSize + i),
    timestamp: 1_700_000_000_000 + batch * batchSize + i,
    step: batch * 100 + Math.floor(i / 10),
  }));
  return JSON.stringify({ run_id: runId, metrics });
}

async function benchLogBatch(bundle: string): Promise<BenchResult[]> {
  log(`log-batch: ${measuredBatches} sequential batches of ${batchSize} metrics (after ${warmupBatches})`);
  const tracking = await startTracking(bundle);
  const echo = await startEchoServer();
  try {
    const api = `${tracking.url}/api/2.0/mlflow`;
    const { experiment_id } = (await post(`${api}/experiments/create`, '{"name":"bench-logging"}')) as {
      experiment_id: string;
    };
    const { run } = (await post(`${api}/runs/create`, JSON.stringify({ experiment_id }))) as {
      run: { info: { run_id: string } };
    };
    const samples: number[] = [];
    const baseline: number[] = [];
    for (let batch = 0; batch < warmupBatches + measuredBatches; batch++) {
      const body = batchBody(run.info.run_id, batch);
      const toServer = () => timed(async () => void (await post(`${api}/runs/log-batch`, body)));
      const toEcho = () =>
        timed(async () => void (await post(`${echo.url}/api/2.0/mlflow/runs/log-batch`, body)));
      // Alternate which goes first, so neither always runs on a machine just woken by the other.
      let server: number;
      let bare: number;
      if (batch % 2 === 0) {
        server = await toServer();
        bare = await toEcho();
      } else {
        bare = await toEcho();
        server = await toServer();
      }
      if (batch >= warmupBatches) {
        samples.push(server);
        baseline.push(bare);
      }
    }
    const history = (await get(
      `${api}/metrics/get-history?run_id=${run.info.run_id}&metric_key=metric_0`,
    )) as { metrics: unknown[] };
    const expected = ((warmupBatches + measuredBatches) * batchSize) / 10;
    if (history.metrics.length !== expected) {
      throw new Error(`the server kept ${history.metrics.length} values of metric_0, expected ${expected}`);
    }
    const latency = summarize(`labkit tracking: log-batch of ${batchSize} metrics`, 'ms', samples, baseline);
    // Throughput from the same samples: p50 from the median latency, "p95" from the p95 latency
    // (the slow tail: 95 % of batches went at least this fast).
    const rate = (ms: number) => Math.round((batchSize / ms) * 1000);
    const throughput: BenchResult = {
      name: 'labkit tracking: log-batch throughput (sequential)',
      unit: 'metrics/s',
      p50: rate(percentile(samples, 50)),
      p95: rate(percentile(samples, 95)),
      n: samples.length,
      baseline: rate(percentile(baseline, 50)),
      ratio: Math.round((percentile(baseline, 50) / percentile(samples, 50)) * 1000) / 1000,
    };
    return [latency, throughput];
  } finally {
    await tracking.stop();
    await echo.stop();
  }
}

// ── (b) runs/search and (c) memory with 10,000 runs ─────────────────────────────────────────────

async function seedRuns(api: string, experimentId: string, count: number): Promise<void> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const { run } = (await post(
        `${api}/runs/create`,
        JSON.stringify({
          experiment_id: experimentId,
          run_name: `run-${i}`,
          start_time: 1_700_000_000_000 + i * 1000,
        }),
      )) as { run: { info: { run_id: string } } };
      const runId = run.info.run_id;
      await post(
        `${api}/runs/log-batch`,
        JSON.stringify({
          run_id: runId,
          params: [
            { key: 'model', value: ['forest', 'boosting', 'linear'][i % 3] },
            { key: 'n_estimators', value: String(50 + (i % 20) * 10) },
            { key: 'max_depth', value: String(3 + (i % 8)) },
          ],
          metrics: [
            { key: 'rmse', value: ((i * 7919) % 1000) / 1000, timestamp: 1_700_000_000_000 + i, step: 0 },
            { key: 'mae', value: ((i * 104729) % 1000) / 2000, timestamp: 1_700_000_000_000 + i, step: 0 },
            { key: 'r2', value: 1 - ((i * 7919) % 1000) / 1000, timestamp: 1_700_000_000_000 + i, step: 0 },
          ],
        }),
      );
      await post(
        `${api}/runs/update`,
        JSON.stringify({ run_id: runId, status: 'FINISHED', end_time: 1_700_000_000_000 + i * 1000 + 500 }),
      );
    }
  };
  await Promise.all(Array.from({ length: seedConcurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  log(`seeded ${count} runs (3 requests each, ${seedConcurrency} at a time) in ${seconds.toFixed(1)} s`);
}

/** Five memory readings 500 ms apart, after 2 s without requests. */
async function readMemory(server: Process): Promise<MemorySamples> {
  log('memory: 5 readings 500 ms apart, after 2 s idle');
  await settle(2000);
  const readings = noMemory();
  for (let i = 0; i < 5; i++) {
    addMemory(readings, server.child.pid as number);
    await settle(500);
  }
  return readings;
}

type Search = { name: string; body: (pageToken?: string) => object; scan?: boolean };

async function benchSearchAndMemory(bundle: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];

  log(`memory: ${memoryStarts} fresh servers and ${memoryStarts} bare node processes, RSS 1 s after start`);
  const idle = noMemory();
  const bare = noMemory();
  for (let i = 0; i < memoryStarts; i++) {
    const tracking = await startTracking(bundle);
    try {
      await settle(1000);
      addMemory(idle, tracking.child.pid as number);
    } finally {
      await tracking.stop();
    }
    const node = spawn(process.execPath, ['-e', 'setInterval(()=>{},1e9)'], { stdio: 'ignore' });
    try {
      await settle(1000);
      addMemory(bare, node.pid as number);
    } finally {
      await stopper(node)();
    }
  }
  results.push(...summarizeMemory('right after start', idle, bare));

  log(`runs/search: seeding ${searchRuns} runs in one experiment`);
  const tracking = await startTracking(bundle);
  try {
    const api = `${tracking.url}/api/2.0/mlflow`;
    const { experiment_id } = (await post(`${api}/experiments/create`, '{"name":"bench-search"}')) as {
      experiment_id: string;
    };
    await seedRuns(api, experiment_id, searchRuns);
    log('memory with 10,000 runs loaded');
    results.push(...summarizeMemory('with 10k runs loaded', await readMemory(tracking), bare));

    const searches: Search[] = [
      { name: 'no filter, 100 results', body: () => ({ max_results: 100 }) },
      {
        name: 'filter metrics.rmse < 0.5, 100 results',
        body: () => ({ max_results: 100, filter: 'metrics.rmse < 0.5' }),
      },
      {
        name: 'order_by metrics.rmse ASC, 100 results',
        body: () => ({ max_results: 100, order_by: ['metrics.rmse ASC'] }),
      },
      {
        name: 'all 10,000 runs, pages of 1000',
        body: (pageToken) => ({ max_results: 1000, page_token: pageToken }),
        scan: true,
      },
    ];
    const experimentGet = `${api}/experiments/get?experiment_id=${experiment_id}`;
    const baseline: number[] = [];
    for (const search of searches) {
      const rounds = search.scan ? measuredScans : measuredSearches;
      log(`runs/search, ${search.name}: ${rounds} times after ${warmupSearches}`);
      const samples: number[] = [];
      for (let round = 0; round < warmupSearches + rounds; round++) {
        let runsSeen = 0;
        const ms = await timed(async () => {
          let pageToken: string | undefined;
          do {
            const page = (await post(
              `${api}/runs/search`,
              JSON.stringify({ experiment_ids: [experiment_id], ...search.body(pageToken) }),
            )) as { runs?: unknown[]; next_page_token?: string };
            runsSeen += page.runs?.length ?? 0;
            pageToken = search.scan ? page.next_page_token : undefined;
          } while (pageToken);
        });
        const expected = search.scan ? searchRuns : 100;
        if (runsSeen !== expected)
          throw new Error(`${search.name}: got ${runsSeen} runs, expected ${expected}`);
        const base = await timed(async () => void (await get(experimentGet)));
        if (round >= warmupSearches) {
          samples.push(ms);
          baseline.push(base);
        }
      }
      results.push(summarize(`labkit tracking: runs/search over 10k runs, ${search.name}`, 'ms', samples));
    }
    // Every search is compared with the experiments/get samples taken between all of them.
    for (const result of results.filter((r) => r.name.includes('runs/search'))) {
      const base = percentile(baseline, 50);
      result.baseline = Math.round(base * 1000) / 1000;
      result.ratio = Math.round((result.p50 / base) * 1000) / 1000;
    }
    log(`experiments/get baseline: p50 ${percentile(baseline, 50).toFixed(2)} ms, n=${baseline.length}`);

    results.push(...summarizeMemory('with 10k runs, after the searches', await readMemory(tracking), bare));
  } finally {
    await tracking.stop();
  }
  return results;
}

export async function benchLabkitTracking(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labkit-bench-'));
  try {
    const files = bundleCli();
    writeLabkitBundle(dir, files);
    const bundle = path.join(dir, 'lib', 'labkit.mjs');
    const megabytes = files.reduce((total, file) => total + file.content.length, 0) / 1e6;
    log(
      `labkit bundle: ${megabytes.toFixed(1)} MB in ${files.length} files, run with ${process.execPath} ${process.version}`,
    );
    return [...(await benchLogBatch(bundle)), ...(await benchSearchAndMemory(bundle))];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: prints like `npm run bench` (or one JSON object with --json).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const isJson = process.argv.includes('--json');
  const results = await benchLabkitTracking();
  if (isJson) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else {
    for (const r of results) {
      const baseline =
        r.baseline === undefined ? '' : `   baseline p50 ${r.baseline} ${r.unit}, ratio ${r.ratio}×`;
      console.log(`${r.name}: p50 ${r.p50} ${r.unit}, p95 ${r.p95} ${r.unit}, n=${r.n}${baseline}`);
    }
  }
}
