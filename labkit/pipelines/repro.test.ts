import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { md5Bytes } from '../data/hash';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { DvcRepo } from '../data/repo';
import { buildDag } from './dag';
import { loadProject } from './project';
import { pipelineReport } from './report';
import { makeRepo, read, runRepro, writeFiles } from './testing';

const newDir = tempDirsForEachTest('labkit-repro-');

/** prepare copies the input; train writes a model from it and the learning rate. Each run is counted. */
const twoStages = {
  'params.yaml': 'train:\n  lr: 0.1\n  epochs: 2\n',
  'data/input.txt': 'rows\n',
  'dvc.yaml': `stages:
  prepare:
    cmd: echo prepare >> runs.log && cp data/input.txt prepared.txt
    deps: [data/input.txt]
    outs: [prepared.txt]
  train:
    cmd: echo train >> runs.log && cat prepared.txt > model.txt && echo \${train.lr} >> model.txt
    deps: [prepared.txt]
    params: [train.lr]
    outs: [model.txt]
`,
};

function runs(root: string): string[] {
  return fs.existsSync(path.join(root, 'runs.log')) ? read(root, 'runs.log').trim().split('\n') : [];
}

describe('repro', () => {
  it('runs the stages in order, writes dvc.lock as DVC does, and skips them when nothing changed', async () => {
    const root = makeRepo(newDir(), twoStages);
    const first = await runRepro(root);
    expect(first.failure).toBeUndefined();
    expect(first.lines).toEqual([
      "Running stage 'prepare':",
      '> echo prepare >> runs.log && cp data/input.txt prepared.txt',
      "Generating lock file 'dvc.lock'",
      "Updating lock file 'dvc.lock'",
      "Running stage 'train':",
      '> echo train >> runs.log && cat prepared.txt > model.txt && echo 0.1 >> model.txt',
      "Updating lock file 'dvc.lock'",
      'Use `labkit data push` to send your updates to remote storage.',
    ]);
    expect(read(root, 'dvc.lock')).toBe(`schema: '2.0'
stages:
  prepare:
    cmd: echo prepare >> runs.log && cp data/input.txt prepared.txt
    deps:
    - path: data/input.txt
      hash: md5
      md5: ${md5Bytes('rows\n')}
      size: 5
    outs:
    - path: prepared.txt
      hash: md5
      md5: ${md5Bytes('rows\n')}
      size: 5
  train:
    cmd: echo train >> runs.log && cat prepared.txt > model.txt && echo 0.1 >>
      model.txt
    deps:
    - path: prepared.txt
      hash: md5
      md5: ${md5Bytes('rows\n')}
      size: 5
    params:
      params.yaml:
        train.lr: 0.1
    outs:
    - path: model.txt
      hash: md5
      md5: ${md5Bytes('rows\n0.1\n')}
      size: 9
`);
    expect(read(root, '.gitignore')).toBe('/prepared.txt\n/model.txt\n');
    const second = await runRepro(root);
    expect(second.lines).toEqual([
      "Stage 'prepare' didn't change, skipping",
      "Stage 'train' didn't change, skipping",
      'Data and pipelines are up to date.',
    ]);
    expect(runs(root)).toEqual(['prepare', 'train']);
  });

  it('reruns a stage whose command changed, and what depends on its changed output', async () => {
    const root = makeRepo(newDir(), twoStages);
    await runRepro(root);
    writeFiles(root, {
      'dvc.yaml': read(root, 'dvc.yaml').replace('cp data/input.txt', 'sed s/rows/ROWS/ data/input.txt >'),
    });
    await runRepro(root);
    expect(runs(root)).toEqual(['prepare', 'train', 'prepare', 'train']);
  });

  it('reruns a stage whose dependency changed, and not the stage after it when its output is the same', async () => {
    const root = makeRepo(newDir(), {
      ...twoStages,
      'dvc.yaml': twoStages['dvc.yaml'].replace(
        'cp data/input.txt prepared.txt',
        'head -c 4 data/input.txt > prepared.txt',
      ),
    });
    await runRepro(root);
    writeFiles(root, { 'data/input.txt': 'rowsXX\n' });
    const again = await runRepro(root);
    expect(again.lines).toContain("Stage 'train' didn't change, skipping");
    expect(runs(root)).toEqual(['prepare', 'train', 'prepare']);
  });

  it('reruns a stage whose parameter value changed, and restores it from the run-cache when it changes back', async () => {
    const root = makeRepo(newDir(), twoStages);
    await runRepro(root);
    writeFiles(root, { 'params.yaml': 'train:\n  lr: 0.5\n  epochs: 2\n' });
    await runRepro(root);
    expect(read(root, 'model.txt')).toBe('rows\n0.5\n');
    writeFiles(root, { 'params.yaml': 'train:\n  lr: 0.1\n  epochs: 2\n' });
    const back = await runRepro(root);
    expect(back.lines).toContain("Stage 'train' is cached - skipping run, checking out outputs");
    expect(read(root, 'model.txt')).toBe('rows\n0.1\n');
    expect(runs(root)).toEqual(['prepare', 'train', 'train']);
    // An untracked parameter changing is not a reason.
    writeFiles(root, { 'params.yaml': 'train:\n  lr: 0.1\n  epochs: 9\n' });
    expect((await runRepro(root)).lines.at(-1)).toBe('Data and pipelines are up to date.');
  });

  it('runs again rather than restoring with --no-run-cache and with -f', async () => {
    const root = makeRepo(newDir(), twoStages);
    await runRepro(root);
    writeFiles(root, { 'params.yaml': 'train:\n  lr: 0.5\n' });
    await runRepro(root);
    writeFiles(root, { 'params.yaml': 'train:\n  lr: 0.1\n' });
    await runRepro(root, { runCache: false });
    expect(runs(root)).toEqual(['prepare', 'train', 'train', 'train']);
    await runRepro(root, { force: true });
    expect(runs(root)).toEqual(['prepare', 'train', 'train', 'train', 'prepare', 'train']);
  });

  it('fails, before running anything, when a tracked parameter is removed from params.yaml', async () => {
    const root = makeRepo(newDir(), {
      ...twoStages,
      'dvc.yaml': twoStages['dvc.yaml'].replace('echo \${train.lr} >> model.txt', 'echo lr >> model.txt'),
    });
    await runRepro(root);
    const lock = read(root, 'dvc.lock');
    writeFiles(root, { 'params.yaml': 'train:\n  epochs: 2\n' });
    const result = await runRepro(root);
    expect(result.failure).toEqual({
      stage: 'train',
      message: "Parameters 'train.lr' are missing from 'params.yaml' (dvc.yaml, stage 'train', params).",
    });
    expect(runs(root)).toEqual(['prepare', 'train']);
    expect(read(root, 'dvc.lock')).toBe(lock);
  });

  it('reruns a stage tracking a whole params file when one of its keys is removed', async () => {
    const root = makeRepo(newDir(), {
      'params.yaml': 'lr: 0.1\nold_key: 1\n',
      'dvc.yaml': `stages:
  train:
    cmd: echo train >> runs.log && echo done > model.txt
    params:
    - params.yaml:
    outs: [model.txt]
`,
    });
    await runRepro(root);
    expect(read(root, 'dvc.lock')).toContain(
      'params:\n      params.yaml:\n        lr: 0.1\n        old_key: 1\n',
    );
    writeFiles(root, { 'params.yaml': 'lr: 0.1\n' });
    await runRepro(root);
    expect(runs(root)).toEqual(['train', 'train']);
    expect(read(root, 'dvc.lock')).not.toContain('old_key');
  });

  it('treats ./params.yaml and params.yaml as one file, so nothing reruns forever', async () => {
    const root = makeRepo(newDir(), {
      'params.yaml': 'lr: 0.1\nbatch: 8\n',
      'dvc.yaml': `stages:
  train:
    cmd: echo train >> runs.log && echo done > model.txt
    params:
    - ./params.yaml:
      - lr
    - batch
    outs: [model.txt]
`,
    });
    await runRepro(root);
    expect(read(root, 'dvc.lock')).toContain(
      'params:\n      params.yaml:\n        batch: 8\n        lr: 0.1\n',
    );
    expect((await runRepro(root)).lines.at(-1)).toBe('Data and pipelines are up to date.');
    // A lock written by DVC with the ./ key reads the same.
    writeFiles(root, {
      'dvc.lock': read(root, 'dvc.lock').replace('      params.yaml:', '      ./params.yaml:'),
    });
    expect((await runRepro(root)).lines.at(-1)).toBe('Data and pipelines are up to date.');
    expect(runs(root)).toEqual(['train']);
  });

  it('checks a deleted or edited output out of the cache instead of running the stage', async () => {
    const root = makeRepo(newDir(), twoStages);
    await runRepro(root);
    fs.rmSync(path.join(root, 'model.txt'));
    const restored = await runRepro(root);
    expect(restored.lines).toContain("Stage 'train' is cached - skipping run, checking out outputs");
    expect(read(root, 'model.txt')).toBe('rows\n0.1\n');
    fs.writeFileSync(path.join(root, 'model.txt'), 'edited by hand');
    await runRepro(root);
    expect(read(root, 'model.txt')).toBe('rows\n0.1\n');
    expect(runs(root)).toEqual(['prepare', 'train']);
  });

  it('always runs an always_changed stage and a stage with neither deps nor outs', async () => {
    const root = makeRepo(newDir(), {
      'dvc.yaml': `stages:
  fetch:
    cmd: echo fetch >> runs.log && date +%N > stamp.txt
    outs: [stamp.txt]
    always_changed: true
  notify:
    cmd: echo notify >> runs.log
`,
    });
    await runRepro(root);
    await runRepro(root);
    expect(runs(root)).toEqual(['fetch', 'notify', 'fetch', 'notify']);
  });

  it('never runs a frozen stage, nor what only it needs', async () => {
    const root = makeRepo(newDir(), {
      ...twoStages,
      'dvc.yaml': twoStages['dvc.yaml'].replace(
        '    outs: [model.txt]',
        '    outs: [model.txt]\n    frozen: true',
      ),
    });
    const result = await runRepro(root, { targets: ['train'] });
    expect(result.stderr).toContain(
      "WARNING: stage: 'train' is frozen. Its dependencies are not going to be reproduced.",
    );
    expect(result.lines).toContain("Stage 'train' is frozen: its command is not run.");
    expect(runs(root)).toEqual([]);
    expect(fs.existsSync(path.join(root, 'model.txt'))).toBe(false);
  });

  it('keeps a persist output in place while the command runs', async () => {
    const root = makeRepo(newDir(), {
      'data.txt': 'x\n',
      'dvc.yaml': `stages:
  append:
    cmd: cat data.txt >> history.txt
    deps: [data.txt]
    outs:
    - history.txt:
        persist: true
`,
    });
    await runRepro(root);
    writeFiles(root, { 'data.txt': 'y\n' });
    await runRepro(root);
    expect(read(root, 'history.txt')).toBe('x\ny\n');
  });

  it('deletes an output that is not persisted before running the command', async () => {
    const root = makeRepo(newDir(), {
      'data.txt': 'x\n',
      'dvc.yaml': `stages:
  append:
    cmd: cat data.txt >> history.txt
    deps: [data.txt]
    outs: [history.txt]
`,
    });
    await runRepro(root);
    writeFiles(root, { 'data.txt': 'y\n' });
    await runRepro(root);
    expect(read(root, 'history.txt')).toBe('y\n');
  });

  it('stops at a failing command: its exit code in the error, the previous lock and cache untouched, the log kept', async () => {
    const root = makeRepo(newDir(), twoStages);
    await runRepro(root);
    const lock = read(root, 'dvc.lock');
    const objects = new DvcRepo(root).cache.store.listObjects().sort();
    writeFiles(root, {
      'data/input.txt': 'changed\n',
      'dvc.yaml': twoStages['dvc.yaml'].replace(
        'cp data/input.txt prepared.txt',
        'echo half > prepared.txt && echo broken >&2 && exit 3',
      ),
    });
    const result = await runRepro(root);
    expect(result.failure?.stage).toBe('prepare');
    expect(result.failure?.message).toBe(
      "failed to run: echo prepare >> runs.log && echo half > prepared.txt && echo broken >&2 && exit 3, exited with 3 (dvc.yaml, stage 'prepare', cmd). " +
        'Its output is in .dvc/tmp/labkit/logs/prepare.log.',
    );
    expect(result.stderr).toContain('broken');
    expect(read(root, 'dvc.lock')).toBe(lock);
    expect(new DvcRepo(root).cache.store.listObjects().sort()).toEqual(objects);
    expect(runs(root)).toEqual(['prepare', 'train', 'prepare']);
    const log = read(root, '.dvc/tmp/labkit/logs/prepare.log');
    expect(log).toMatch(/^# labkit pipeline repro: stage 'prepare', started \d{4}-/);
    expect(log).toContain('broken\n# exited with 3 after ');

    const repo = DvcRepo.require(root);
    const project = loadProject(repo);
    const report = pipelineReport(project, buildDag(project.stages, [], root));
    expect(report.stages.map((stage) => [stage.name, stage.state])).toEqual([
      ['prepare', 'failed'],
      // Its dependency is what the failed command left behind.
      ['train', 'changed'],
    ]);
    expect(report.stages[0]?.lastRun).toMatchObject({
      state: 'failed',
      exitCode: 3,
      log: '.dvc/tmp/labkit/logs/prepare.log',
    });
  });

  it('fails on an output the command did not write, leaving dvc.lock as it was', async () => {
    const root = makeRepo(newDir(), {
      'dvc.yaml': 'stages:\n  make:\n    cmd: echo nothing\n    outs: [never.txt]\n',
    });
    const result = await runRepro(root);
    expect(result.failure?.message).toBe("output 'never.txt' does not exist (dvc.yaml, stage 'make', outs).");
    expect(fs.existsSync(path.join(root, 'dvc.lock'))).toBe(false);
  });

  it('names a missing dependency with the file, stage and field', async () => {
    const root = makeRepo(newDir(), {
      'dvc.yaml':
        'stages:\n  train:\n    cmd: cat data.csv > model.txt\n    deps: [data.csv]\n    outs: [model.txt]\n',
    });
    const result = await runRepro(root);
    expect(result.failure?.message).toBe(
      "missing dependency 'data.csv' (dvc.yaml, stage 'train', deps): no stage produces it and it is not in the workspace.",
    );
  });

  it('gives each command the stage and the run-cache key of its inputs', async () => {
    const root = makeRepo(newDir(), {
      'in.txt': 'x',
      'dvc.yaml': `stages:
  show:
    cmd: echo "$LABKIT_PIPELINE_STAGE $LABKIT_PIPELINE_LOCK_HASH" > env.txt
    deps: [in.txt]
    outs: [env.txt]
`,
    });
    await runRepro(root);
    expect(read(root, 'env.txt')).toMatch(/^show [0-9a-f]{64}\n$/);
    const runsDir = path.join(root, '.dvc', 'cache', 'runs');
    const key = read(root, 'env.txt').trim().split(' ')[1]!;
    expect(fs.existsSync(path.join(runsDir, key.slice(0, 2), key))).toBe(true);
  });

  it('runs a list cmd line by line, each printed, stopping at the first failure', async () => {
    const root = makeRepo(newDir(), {
      'dvc.yaml':
        'stages:\n  steps:\n    cmd:\n    - echo one > out.txt\n    - echo two >> out.txt\n    outs: [out.txt]\n',
    });
    const result = await runRepro(root);
    expect(result.lines.slice(0, 3)).toEqual([
      "Running stage 'steps':",
      '> echo one > out.txt',
      '> echo two >> out.txt',
    ]);
    expect(read(root, 'out.txt')).toBe('one\ntwo\n');
    expect(read(root, 'dvc.lock')).toContain(
      '    cmd:\n    - echo one > out.txt\n    - echo two >> out.txt\n',
    );
  });
});

describe('the repro lock', () => {
  it('refuses a second repro in the same repository while one runs, and frees it after', async () => {
    const root = makeRepo(newDir(), {
      'dvc.yaml': 'stages:\n  slow:\n    cmd: sleep 0.5 && echo done > out.txt\n    outs: [out.txt]\n',
    });
    const first = runRepro(root);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(runRepro(root)).rejects.toThrow(
      /^Unable to acquire lock: another labkit pipeline command \(pid \d+\)/,
    );
    expect((await first).failure).toBeUndefined();
    expect((await runRepro(root)).lines.at(-1)).toBe('Data and pipelines are up to date.');
  });
});

describe('repro plans', () => {
  it('runs only the named stage with -s, and the stages after it with --downstream', async () => {
    const root = makeRepo(newDir(), twoStages);
    await runRepro(root, { targets: ['prepare'] });
    expect(runs(root)).toEqual(['prepare']);
    writeFiles(root, { 'data/input.txt': 'new rows\n' });
    await runRepro(root, { targets: ['train'], single: true });
    expect(runs(root)).toEqual(['prepare', 'train']);
    writeFiles(root, { 'data/input.txt': 'newer rows\n' });
    await runRepro(root, { targets: ['prepare'], downstream: true });
    expect(runs(root)).toEqual(['prepare', 'train', 'prepare', 'train']);
  });

  it('prints what would run with --dry, downstream stages included, and runs nothing', async () => {
    const root = makeRepo(newDir(), twoStages);
    await runRepro(root);
    writeFiles(root, { 'data/input.txt': 'other\n' });
    const dry = await runRepro(root, { dry: true });
    expect(dry.lines).toEqual([
      "Running stage 'prepare':",
      '> echo prepare >> runs.log && cp data/input.txt prepared.txt',
      "Running stage 'train':",
      '> echo train >> runs.log && cat prepared.txt > model.txt && echo 0.1 >> model.txt',
    ]);
    expect(runs(root)).toEqual(['prepare', 'train']);
  });

  it('runs independent stages side by side with jobs', async () => {
    const stage = (name: string) =>
      `  ${name}:\n    cmd: sleep 0.6 && echo ${name} > ${name}.txt\n    outs: [${name}.txt]\n    always_changed: true\n`;
    const root = makeRepo(newDir(), { 'dvc.yaml': `stages:\n${stage('a')}${stage('b')}${stage('c')}` });
    const started = Date.now();
    const result = await runRepro(root, { jobs: 3 });
    expect(result.failure).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(['a', 'b', 'c'].map((name) => read(root, `${name}.txt`))).toEqual(['a\n', 'b\n', 'c\n']);
  });
});
