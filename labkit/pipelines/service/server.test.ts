import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { DvcRepo } from '../../data/repo';
import { RunStateStore } from '../run-state';
import { git, gitInit, makeRepo, runRepro, writeFiles } from '../testing';
import {
  diffViewSchema,
  errorReplySchema,
  logChunkSchema,
  pipelineViewSchema,
  plotsViewSchema,
  type PipelineView,
} from '../wire';
import { buildPipelinesServer } from './server';

const newDir = tempDirsForEachTest('labkit-pipelines-service-');
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const trainScript = [
  'import json',
  "params = open('params.yaml').read()",
  "lr = float(params.split('lr:')[1].split()[0])",
  "open('model.txt', 'w').write('model %s' % lr)",
  "json.dump({'acc': round(0.5 + lr, 3)}, open('metrics.json', 'w'))",
  "open('loss.csv', 'w').write('step,loss\\n0,1.0\\n1,0.5\\n')",
  "print('trained with lr', lr)",
  '',
].join('\n');

/** prepare copies the data; train writes a model, a metric and a plot, reading train.lr. */
const pipeline = {
  'params.yaml': 'train:\n  lr: 0.1\n',
  'data/input.txt': 'rows\n',
  'train.py': trainScript,
  'dvc.yaml': `stages:
  prepare:
    cmd: cp data/input.txt prepared.txt
    deps: [data/input.txt]
    outs: [prepared.txt]
  train:
    desc: Fits the model.
    cmd: python3 train.py
    deps: [prepared.txt, train.py]
    params: [train.lr]
    outs: [model.txt]
    metrics: [metrics.json]
    plots: [loss.csv]
`,
};

async function serve(workspace: string) {
  const app = await buildPipelinesServer({ workspace, dataDir: newDir() });
  apps.push(app);
  const get = async (url: string) => {
    const reply = await app.inject(url);
    const isJson = String(reply.headers['content-type']).startsWith('application/json');
    return { status: reply.statusCode, body: (isJson ? reply.json() : reply.body) as unknown, reply };
  };
  return {
    get,
    pipeline: async (query = '') => {
      const { status, body } = await get(`/api/v1/pipeline${query}`);
      expect(status, JSON.stringify(body)).toBe(200);
      return pipelineViewSchema.parse(body);
    },
  };
}

const stage = (view: PipelineView, id: string) => view.stages.find((item) => item.id === id)!;

/** Every file below `root` with its size and modification time, to prove nothing was written. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      const stat = fs.lstatSync(file);
      files[path.relative(root, file)] = `${stat.size} ${stat.mtimeMs}`;
      if (entry.isDirectory()) walk(file);
    }
  };
  walk(root);
  return files;
}

describe('the pipelines service', () => {
  it('answers its health check, and says when the workspace has no project yet', async () => {
    const workspace = newDir();
    const { get, pipeline } = await serve(workspace);
    const health = await get('/health');
    expect(health.reply.body).toBe('OK');
    expect(await pipeline()).toEqual({
      project: null,
      projects: [],
      problem: null,
      repro: { running: false },
      stages: [],
      data: [],
      edges: [],
    });
    const diff = await get('/api/v1/diff');
    expect(diff.status).toBe(404);
    expect(errorReplySchema.parse(diff.body)).toMatchObject({ error: 'NO_PROJECT' });
    expect((await get('/api/v1/pipeline?project=elsewhere')).status).toBe(404);
  });

  it('shows each stage with its state, reasons, command, deps, params, outs and last run, and the graph', async () => {
    const root = makeRepo(newDir(), pipeline);
    const { pipeline: view } = await serve(root);

    const before = await view();
    expect(before).toMatchObject({ project: '.', projects: ['.'], problem: null, repro: { running: false } });
    expect(before.stages.map((item) => [item.id, item.state])).toEqual([
      ['prepare', 'changed'],
      ['train', 'changed'],
    ]);
    // Never run: said once, with what is missing, not every file as "modified".
    expect(stage(before, 'train').reasons).toEqual([
      'never run (not in dvc.lock)',
      'dependency prepared.txt deleted',
    ]);
    expect(stage(before, 'train').params).toEqual([
      { file: 'params.yaml', key: 'train.lr', value: '0.1', locked: null, state: 'new' },
    ]);
    expect(stage(before, 'prepare').deps[0]).toMatchObject({
      path: 'data/input.txt',
      locked: null,
      state: 'new',
    });

    const run = await runRepro(root);
    expect(run.failure).toBeUndefined();
    const after = await view();
    expect(after.stages.map((item) => item.state)).toEqual(['up to date', 'up to date']);
    const train = stage(after, 'train');
    expect(train).toMatchObject({
      name: 'train',
      dvcfile: 'dvc.yaml',
      wdir: '.',
      cmd: ['python3 train.py'],
      desc: 'Fits the model.',
      frozen: false,
      reasons: [],
      upstream: ['prepare'],
      lastRun: { state: 'succeeded', exitCode: 0 },
    });
    expect(train.lastRun?.durationMs).toBeGreaterThanOrEqual(0);
    expect(train.deps.map((dep) => [dep.path, dep.state, dep.hash === dep.locked])).toEqual([
      ['prepared.txt', 'unchanged', true],
      ['train.py', 'unchanged', true],
    ]);
    expect(train.outs.map((out) => [out.path, out.kind, out.cache, out.state])).toEqual([
      ['model.txt', 'outs', true, 'unchanged'],
      ['metrics.json', 'metrics', true, 'unchanged'],
      ['loss.csv', 'plots', true, 'unchanged'],
    ]);
    expect(after.data).toEqual([
      { id: 'data:data/input.txt', path: 'data/input.txt', kind: 'source' },
      { id: 'data:loss.csv', path: 'loss.csv', kind: 'plots', producer: 'train' },
      { id: 'data:metrics.json', path: 'metrics.json', kind: 'metrics', producer: 'train' },
      { id: 'data:model.txt', path: 'model.txt', kind: 'outs', producer: 'train' },
      { id: 'data:prepared.txt', path: 'prepared.txt', kind: 'outs', producer: 'prepare' },
      { id: 'data:train.py', path: 'train.py', kind: 'source' },
    ]);
    expect(after.edges).toContainEqual({ from: 'data:prepared.txt', to: 'stage:train' });
    expect(after.edges).toContainEqual({ from: 'stage:prepare', to: 'data:prepared.txt' });

    writeFiles(root, { 'params.yaml': 'train:\n  lr: 0.2\n' });
    const edited = await view();
    expect(stage(edited, 'prepare').state).toBe('up to date');
    expect(stage(edited, 'train')).toMatchObject({
      state: 'changed',
      reasons: ['parameter train.lr (params.yaml) modified'],
      params: [{ file: 'params.yaml', key: 'train.lr', value: '0.2', locked: '0.1', state: 'modified' }],
    });
  });

  it('shows a running repro and its running stage, and a failed stage as failed', async () => {
    const root = makeRepo(newDir(), {
      ...pipeline,
      'train.py': 'import sys\nprint("about to fail")\nsys.exit(3)\n',
    });
    const { get, pipeline: view } = await serve(root);
    const failed = await runRepro(root);
    expect(failed.failure).toBeDefined();
    const afterFailure = await view();
    expect(stage(afterFailure, 'train')).toMatchObject({
      state: 'failed',
      lastRun: { state: 'failed', exitCode: 3 },
    });
    const log = logChunkSchema.parse((await get('/api/v1/log?stage=train')).body);
    expect(log.text).toContain('about to fail');
    expect(log.lastRun).toMatchObject({ state: 'failed', exitCode: 3 });

    // What `repro` writes while it runs: its pid in the lock, the stage marked running.
    const repo = DvcRepo.require(root);
    fs.writeFileSync(path.join(repo.labkitDir, 'repro.lock'), String(process.pid));
    new RunStateStore(repo).record('train', {
      state: 'running',
      startedAt: Date.now(),
      log: '.dvc/tmp/labkit/logs/train.log',
      pid: process.pid,
    });
    const running = await view();
    expect(running.repro).toEqual({ running: true, pid: process.pid });
    expect(stage(running, 'train').state).toBe('running');
  });

  it('reports a dvc.yaml it cannot read as the problem, and refuses the views that need it', async () => {
    const root = makeRepo(newDir(), { 'dvc.yaml': 'stages:\n  a:\n    cmd: [unclosed\n' });
    const { get, pipeline: view } = await serve(root);
    const shown = await view();
    expect(shown.problem).toMatch(/^dvc\.yaml, line \d+: not valid YAML/);
    expect(shown.stages).toEqual([]);
    for (const url of ['/api/v1/diff', '/api/v1/plots']) {
      const reply = await get(url);
      expect(reply.status).toBe(409);
      expect(reply.body).toMatchObject({ error: 'PIPELINE_INVALID', message: shown.problem });
    }
  });

  it('finds projects in folders below the workspace and shows the one asked for', async () => {
    const workspace = newDir();
    makeRepo(path.join(workspace, 'b-project'), pipeline);
    makeRepo(path.join(workspace, 'labs', 'a-project'), {
      'dvc.yaml': 'stages:\n  hello:\n    cmd: echo hi > hi.txt\n    outs: [hi.txt]\n',
    });
    const { pipeline: view } = await serve(workspace);
    const first = await view();
    expect(first.projects).toEqual(['b-project', 'labs/a-project']);
    expect(first.project).toBe('b-project');
    const other = await view('?project=labs/a-project');
    expect(other.stages.map((item) => item.id)).toEqual(['hello']);
  });

  it('compares tracked params and metrics with the last commit, metrics read from the cache when git ignores them', async () => {
    const root = makeRepo(newDir(), pipeline);
    const { get } = await serve(root);
    await runRepro(root);
    gitInit(root);
    // metrics.json is a cached output: git ignores it, so HEAD's side comes from dvc.lock's md5.
    expect(git(root, 'ls-files')).not.toContain('metrics.json');
    writeFiles(root, { 'params.yaml': 'train:\n  lr: 0.3\n' });
    await runRepro(root);
    const diff = diffViewSchema.parse((await get('/api/v1/diff')).body);
    expect(diff.commit).toBe(git(root, 'rev-parse', '--short=7', 'HEAD').trim());
    expect(diff.note).toBeNull();
    expect(diff.params).toEqual([
      {
        file: 'params.yaml',
        key: 'train.lr',
        old: '0.1',
        new: '0.3',
        changed: true,
        change: expect.closeTo(0.2, 9),
      },
    ]);
    expect(diff.metrics).toEqual([
      {
        file: 'metrics.json',
        key: 'acc',
        old: '0.6',
        new: '0.8',
        changed: true,
        change: expect.closeTo(0.2, 9),
      },
    ]);
  });

  it('has no commit side outside git, and says why', async () => {
    const root = makeRepo(newDir(), pipeline);
    const { get } = await serve(root);
    await runRepro(root);
    const diff = diffViewSchema.parse((await get('/api/v1/diff')).body);
    expect(diff.commit).toBeNull();
    expect(diff.note).toMatch(/No commit to compare with/);
    expect(diff.metrics).toEqual([
      { file: 'metrics.json', key: 'acc', old: null, new: '0.6', changed: true },
    ]);
  });

  it('draws the plots as SVG and serves image plots, but nothing else and nothing outside the project', async () => {
    const outside = newDir();
    fs.writeFileSync(path.join(outside, 'secret.png'), 'not for the browser');
    const root = makeRepo(newDir(), {
      ...pipeline,
      'dvc.yaml': `${pipeline['dvc.yaml']}plots:
  - images/confusion.png
  - images/leak.png
`,
      'images/confusion.png': '\x89PNG fake bytes',
    });
    fs.symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'images', 'leak.png'));
    const { get } = await serve(root);
    await runRepro(root);
    const plots = plotsViewSchema.parse((await get('/api/v1/plots')).body);
    expect(plots.plots.map((plot) => [plot.kind, plot.id])).toEqual([
      ['chart', 'loss.csv'],
      ['image', 'images/confusion.png'],
    ]);
    const chart = plots.plots[0]!;
    expect(chart.kind === 'chart' && chart.svg).toMatch(/^<svg [^>]*role="img">.*<polyline /);
    expect(plots.warnings).toEqual(['images/leak.png: leads outside the project, so it is not shown here.']);

    const image = await get('/api/v1/plot-image?path=images/confusion.png');
    expect(image.status).toBe(200);
    expect(image.reply.headers['content-type']).toBe('image/png');
    expect(image.reply.rawPayload.equals(fs.readFileSync(path.join(root, 'images', 'confusion.png')))).toBe(
      true,
    );
    for (const refused of ['images/leak.png', 'params.yaml', '../secret.png', 'loss.csv']) {
      const reply = await get(`/api/v1/plot-image?path=${encodeURIComponent(refused)}`);
      expect(reply.status, refused).toBe(404);
      expect(reply.body).toMatchObject({ error: 'NOT_FOUND' });
    }
  });

  it('refuses bad queries with a sentence, and unknown endpoints with 404', async () => {
    const root = makeRepo(newDir(), pipeline);
    const { get } = await serve(root);
    const missing = await get('/api/v1/log');
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      error: 'BAD_REQUEST',
      message: expect.stringMatching(/^Invalid stage: /),
    });
    expect((await get('/api/v1/log?stage=train&offset=x')).status).toBe(400);
    const unknown = await get('/api/v1/run');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: 'ENDPOINT_NOT_FOUND',
      message: 'No endpoint for GET /api/v1/run.',
    });
    expect((await get('/api/v1/log?stage=..%2F..%2Fdvc.yaml')).body).toMatchObject({ text: '', size: 0 });
  });

  it('never writes into the workspace, whatever it is asked', async () => {
    const root = makeRepo(newDir(), pipeline);
    await runRepro(root);
    gitInit(root);
    writeFiles(root, { 'params.yaml': 'train:\n  lr: 0.2\n', 'data/input.txt': 'more rows\n' });
    const before = snapshot(root);
    const { get } = await serve(root);
    for (const url of [
      '/api/v1/pipeline',
      '/api/v1/log?stage=train',
      '/api/v1/diff',
      '/api/v1/plots',
      '/api/v1/plot-image?path=loss.csv',
    ]) {
      await get(url);
    }
    expect(snapshot(root)).toEqual(before);
  });
});
