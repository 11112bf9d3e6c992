import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { git, gitInit, makeRepo, read, writeFiles } from '../pipelines/testing';
import { pipeline } from './pipeline';
import { captureIo } from './testing';

const newDir = tempDirsForEachTest('labkit-pipeline-cli-');

async function run(cwd: string, ...args: string[]) {
  const io = captureIo({ PATH: process.env.PATH }, { now: Date.UTC(2025, 0, 2, 3, 4, 5) });
  const code = await pipeline(args, io, cwd);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

const files = {
  'params.yaml': '# learning settings\ntrain:\n  lr: 0.1\n  epochs: 2\n',
  'data.txt': 'rows\n',
  'dvc.yaml': `stages:
  prepare:
    cmd: cp data.txt prepared.txt
    deps: [data.txt]
    outs: [prepared.txt]
  train:
    cmd: >-
      printf '{"acc": %s, "loss": 0.5}' \${train.lr} > metrics.json
      && printf 'step,loss\\n0,1.0\\n1,0.4\\n' > loss.csv
    deps: [prepared.txt]
    params: [train.lr]
    metrics:
    - metrics.json:
        cache: false
    plots:
    - loss.csv:
        x: step
        y: loss
`,
};

describe('labkit pipeline repro and status', () => {
  it("prints DVC's lines, and status says why a stage would run", async () => {
    const root = makeRepo(newDir(), files);
    const status = await run(root, 'status');
    expect(status.stdout).toBe(
      'prepare:\n\tchanged deps:\n\t\tmodified:           data.txt\n\tchanged outs:\n\t\tdeleted:            prepared.txt\n' +
        'train:\n\tchanged deps:\n\t\tdeleted:            prepared.txt\n\t\tnew:                params.yaml\n' +
        '\tchanged outs:\n\t\tdeleted:            metrics.json\n\t\tdeleted:            loss.csv',
    );
    const repro = await run(root, 'repro');
    expect(repro.code).toBe(0);
    expect(repro.stdout.split('\n').slice(0, 4)).toEqual([
      "Running stage 'prepare':",
      '> cp data.txt prepared.txt',
      "Generating lock file 'dvc.lock'",
      "Updating lock file 'dvc.lock'",
    ]);
    expect((await run(root, 'status')).stdout).toBe('Data and pipelines are up to date.');
    writeFiles(root, {
      'params.yaml': 'train:\n  lr: 0.3\n  epochs: 2\n',
      'dvc.yaml': files['dvc.yaml'].replace('cp data.txt', 'cp -f data.txt'),
    });
    expect((await run(root, 'status')).stdout).toBe(
      // train's command holds \${train.lr}: it changed too.
      'prepare:\n\tchanged command\ntrain:\n\tchanged deps:\n\t\tparams.yaml:\n\t\t\tmodified:           train.lr\n\tchanged command',
    );
  });

  it('reports a failing stage with its exit code and exit status 1', async () => {
    const root = makeRepo(newDir(), { 'dvc.yaml': 'stages:\n  boom:\n    cmd: exit 7\n' });
    const result = await run(root, 'repro');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "labkit pipeline repro: failed to reproduce 'boom': failed to run: exit 7, exited with 7 (dvc.yaml, stage 'boom', cmd). " +
        'Its output is in .dvc/tmp/labkit/logs/boom.log.',
    );
  });

  it('reports a bad reference and a cycle before running anything', async () => {
    const root = makeRepo(newDir(), { 'dvc.yaml': 'stages:\n  a:\n    cmd: echo ${nowhere.lr}\n' });
    expect((await run(root, 'repro')).stderr).toBe(
      "labkit pipeline repro: failed to parse 'stages.a.cmd' in 'dvc.yaml': Could not find 'nowhere.lr'",
    );
    writeFiles(root, {
      'dvc.yaml':
        'stages:\n  a:\n    cmd: a\n    deps: [b]\n    outs: [a]\n  b:\n    cmd: b\n    deps: [a]\n    outs: [b]\n',
    });
    const cycle = await run(root, 'repro');
    expect(cycle.code).toBe(1);
    expect(cycle.stderr).toBe('labkit pipeline repro: Pipeline has a cycle involving: a, b.');
  });

  it('gives status and dag as JSON for tools, with states', async () => {
    const root = makeRepo(newDir(), files);
    await run(root, 'repro', 'prepare');
    const report = JSON.parse((await run(root, 'status', '--json')).stdout);
    expect(report.stages.map((stage: { name: string; state: string }) => [stage.name, stage.state])).toEqual([
      ['prepare', 'up to date'],
      ['train', 'changed'],
    ]);
    expect(report.stages[1]).toMatchObject({
      cmd: expect.stringContaining('printf'),
      deps: ['prepared.txt'],
      params: [{ file: 'params.yaml', keys: ['train.lr'] }],
      upstream: ['prepare'],
      changes: { command: false, params: [{ file: 'params.yaml', state: 'new' }] },
    });
    expect(report.stages[0].lastRun).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(report.edges).toEqual([{ from: 'prepare', to: 'train' }]);
    const dag = JSON.parse((await run(root, 'dag', '--json')).stdout);
    expect(dag.stages).toHaveLength(2);
  });

  it('draws the dag as text and Mermaid', async () => {
    const root = makeRepo(newDir(), files);
    expect((await run(root, 'dag')).stdout).toBe('prepare\ntrain  ← prepare');
    expect((await run(root, 'dag', '--md')).stdout).toBe(
      '```mermaid\nflowchart TD\n\tnode1["prepare"]\n\tnode2["train"]\n\tnode1-->node2\n```',
    );
  });
});

describe('labkit pipeline params, metrics, plots', () => {
  it('compares parameters and metrics with HEAD', async () => {
    const root = makeRepo(newDir(), files);
    await run(root, 'repro');
    gitInit(root);
    writeFiles(root, { 'params.yaml': 'train:\n  lr: 0.25\n  epochs: 2\n' });
    await run(root, 'repro');
    const params = await run(root, 'params', 'diff');
    expect(params.stdout).toBe(
      'Path         Param     HEAD  workspace\nparams.yaml  train.lr   0.1       0.25',
    );
    const metrics = await run(root, 'metrics', 'diff');
    expect(metrics.stdout).toBe(
      'Path          Metric  HEAD  workspace  Change\nmetrics.json  acc      0.1       0.25    0.15',
    );
    expect(JSON.parse((await run(root, 'metrics', 'diff', '--json')).stdout)).toEqual({
      'metrics.json': { acc: { old: 0.1, new: 0.25, diff: 0.15 } },
    });
    expect((await run(root, 'metrics', 'show')).stdout).toBe(
      'Path           acc  loss\nmetrics.json  0.25   0.5',
    );
  });

  it('draws plots into an HTML file with SVG', async () => {
    const root = makeRepo(newDir(), files);
    await run(root, 'repro');
    const shown = await run(root, 'plots', 'show');
    expect(shown.stdout).toBe(`file://${path.join(root, 'dvc_plots', 'index.html')}`);
    const html = read(root, 'dvc_plots/index.html');
    expect(html).toContain('<h2>loss.csv</h2><svg');
    expect(html).toContain('<polyline points=');
  });
});

describe('labkit pipeline exp', () => {
  it('runs experiments with -S, keeps params.yaml comments, and shows them in a table', async () => {
    const root = makeRepo(newDir(), files);
    const first = await run(root, 'exp', 'run', '-S', 'train.lr=0.5', '-n', 'fast');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Ran experiment(s): fast');
    expect(read(root, 'params.yaml')).toBe('# learning settings\ntrain:\n  lr: 0.5\n  epochs: 2\n');
    await run(
      root,
      'exp',
      'run',
      '-S',
      'params.yaml:train.lr=1.0',
      '-S',
      '+train.momentum=0.9',
      '-n',
      'slow',
    );
    expect(read(root, 'params.yaml')).toContain('lr: 1.0\n');
    const shown = await run(root, 'exp', 'show');
    expect(shown.stdout.split('\n').slice(1)).toEqual([
      'Experiment  Created   acc  loss  train.lr',
      'workspace   -           1   0.5         1',
      'slow        03:04:05    1   0.5         1',
      'fast        03:04:05  0.5   0.5       0.5',
    ]);
    const missing = await run(root, 'exp', 'run', '-S', 'train.nope=1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      "there is no 'train.nope' in 'params.yaml'. Use -S +train.nope=1 to add it.",
    );
  });
});

describe('labkit pipeline as a command', () => {
  it('runs as a child process: repro, then nothing to do', () => {
    const root = makeRepo(newDir(), files);
    const main = path.join(import.meta.dirname, 'main.ts');
    const tsx = path.join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');
    const labkit = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', pathToFileURL(tsx).href, main, ...args], {
        cwd: root,
        encoding: 'utf8',
      });
    const first = labkit('pipeline', 'repro');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain("Running stage 'train':");
    const second = labkit('pipeline', 'repro');
    expect(second.stdout).toBe(
      "Stage 'prepare' didn't change, skipping\nStage 'train' didn't change, skipping\nData and pipelines are up to date.\n",
    );
    expect(fs.existsSync(path.join(root, '.dvc', 'tmp', 'labkit', 'hashes.json'))).toBe(true);
    git(root, 'init', '-q');
  }, 60_000);
});
