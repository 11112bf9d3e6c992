import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { parseDvcYaml } from './dvc-yaml';
import { expandPipeline } from './expand';
import { writeFiles } from './testing';

const newDir = tempDirsForEachTest('labkit-expand-');

function expand(files: Record<string, string>, file = 'dvc.yaml') {
  const root = newDir();
  writeFiles(root, files);
  const dvcfile = path.join(root, file);
  return expandPipeline(parseDvcYaml(files[file] ?? '', file), { root, dvcfile, display: file });
}

describe('${} interpolation', () => {
  it('reads dotted and indexed paths from params.yaml, writing values as Python does', () => {
    const { stages } = expand({
      'params.yaml':
        'train:\n  lr: 0.0\n  seed: 42\n  entity: null\n  layers: [64, 32]\n  verbose: true\nname: base\n',
      'dvc.yaml': `stages:
  train:
    cmd: python train.py --lr \${train.lr} --seed \${ train.seed } --entity \${train.entity} --first \${train.layers[0]} --v \${train.verbose}
    outs:
    - \${name}/model.pkl
`,
    });
    expect(stages[0]!.cmd).toBe('python train.py --lr 0.0 --seed 42 --entity None --first 64 --v true');
    expect(stages[0]!.outs[0]!.path).toBe('base/model.pkl');
  });

  it('writes a mapping into cmd as flags, as DVC does', () => {
    const { stages } = expand({
      'params.yaml':
        "train:\n  max_depth: 5\n  eta: 0.2\n  objective: 'binary:logistic'\n  use_gpu: false\n  fast: true\n  nested: {a: 1}\n  layers: [1, 2]\n  note: two words\n",
      'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py ${train}\n',
    });
    expect(stages[0]!.cmd).toBe(
      "python train.py --max_depth 5 --eta 0.2 --objective binary:logistic --fast --nested.a 1 --layers 1 2 --note 'two words'",
    );
  });

  it('refuses a list or mapping written into text outside cmd, naming the field', () => {
    expect(() =>
      expand({
        'params.yaml': 'layers: [1, 2]\n',
        'dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    deps:\n    - data-${layers}\n',
      }),
    ).toThrow("failed to parse 'stages.s.deps' in 'dvc.yaml': Cannot interpolate data of type 'list'");
  });

  it('names the file, stage and field of a reference to nothing', () => {
    expect(() =>
      expand({
        'params.yaml': 'train: {lr: 1}\n',
        'dvc.yaml': 'stages:\n  train:\n    cmd: python train.py ${train.rate}\n',
      }),
    ).toThrow("failed to parse 'stages.train.cmd' in 'dvc.yaml': Could not find 'train.rate'");
  });

  it('leaves \\${} as ${}', () => {
    const { stages } = expand({ 'dvc.yaml': 'stages:\n  s:\n    cmd: echo \\${HOME}\n' });
    expect(stages[0]!.cmd).toBe('echo ${HOME}');
  });
});

describe('vars', () => {
  it('merges inline vars and vars files (whole or some keys) after params.yaml', () => {
    const { stages } = expand({
      'params.yaml': 'model: {name: forest}\n',
      'config/extra.yaml': 'paths: {data: data/raw}\nunused: 1\nother: {x: 1}\n',
      'dvc.yaml': `vars:
  - config/extra.yaml:paths,other.x
  - model: {depth: 3}
stages:
  s:
    cmd: echo \${model.name} \${model.depth} \${paths.data} \${other.x}
`,
    });
    expect(stages[0]!.cmd).toBe('echo forest 3 data/raw 1');
  });

  it('refuses a value given twice, naming both sources', () => {
    expect(() =>
      expand({
        'params.yaml': 'lr: 1\n',
        'dvc.yaml': 'vars:\n  - lr: 2\nstages:\n  s:\n    cmd: echo ${lr}\n',
      }),
    ).toThrow(
      "failed to parse 'vars' in 'dvc.yaml': cannot redefine 'lr' from 'vars[0]' as it already exists in 'params.yaml'",
    );
  });

  it("loads a stage's own vars relative to its wdir", () => {
    const { stages } = expand({
      'sub/local.yaml': 'size: 7\n',
      'dvc.yaml': 'stages:\n  s:\n    wdir: sub\n    vars: [local.yaml]\n    cmd: echo ${size}\n',
    });
    expect(stages[0]!.cmd).toBe('echo 7');
    expect(stages[0]!.wdir.endsWith(`${path.sep}sub`)).toBe(true);
  });

  it('says which vars file is missing', () => {
    expect(() => expand({ 'dvc.yaml': 'vars: [nope.yaml]\nstages:\n  s:\n    cmd: echo\n' })).toThrow(
      "failed to parse 'vars' in 'dvc.yaml': 'nope.yaml' does not exist",
    );
  });
});

describe('foreach and matrix', () => {
  it('expands a list of values into name@value stages', () => {
    const { stages } = expand({
      'params.yaml': 'datasets: [micro, customer-1]\n',
      'dvc.yaml': `stages:
  evaluate:
    foreach: \${datasets}
    do:
      cmd: python evaluate.py --dataset=\${item}
      metrics:
      - reports/metrics_\${item}.json:
          cache: false
`,
    });
    expect(stages.map((stage) => [stage.name, stage.group, stage.cmd])).toEqual([
      ['evaluate@micro', 'evaluate', 'python evaluate.py --dataset=micro'],
      ['evaluate@customer-1', 'evaluate', 'python evaluate.py --dataset=customer-1'],
    ]);
    expect(stages[0]!.outs[0]).toMatchObject({
      path: 'reports/metrics_micro.json',
      kind: 'metrics',
      cache: false,
    });
  });

  it('names stages of a list of mappings by index, with ${item.field}', () => {
    const { stages } = expand({
      'params.yaml': 'formats:\n- {name: onnx, ext: onnx}\n- {name: coreml, ext: mlmodel}\n',
      'dvc.yaml':
        'stages:\n  export:\n    foreach: ${formats}\n    do:\n      cmd: export --include ${item.name}\n      outs:\n      - best.${item.ext}\n',
    });
    expect(stages.map((stage) => [stage.name, stage.outs[0]!.path])).toEqual([
      ['export@0', 'best.onnx'],
      ['export@1', 'best.mlmodel'],
    ]);
  });

  it('iterates a mapping with ${key} and ${item}', () => {
    const { stages } = expand({
      'dvc.yaml': `stages:
  build:
    foreach:
      us: {threshold: 10}
      gb: {threshold: 15}
    do:
      cmd: python train.py \${key} \${item.threshold}
`,
    });
    expect(stages.map((stage) => [stage.name, stage.cmd])).toEqual([
      ['build@us', 'python train.py us 10'],
      ['build@gb', 'python train.py gb 15'],
    ]);
  });

  it('expands every combination of a matrix, named as DVC names them', () => {
    const { stages } = expand({
      'params.yaml': 'lrs: [0.1, 0.01]\n',
      'dvc.yaml': `stages:
  train:
    matrix:
      model: [cnn, xgb]
      lr: \${lrs}
      config: [{depth: 1}]
    cmd: train \${item.model} \${item.lr} \${item.config.depth} \${key}
    outs:
    - models/\${key}.pkl
`,
    });
    expect(stages.map((stage) => [stage.name, stage.cmd])).toEqual([
      ['train@cnn-0.1-config0', 'train cnn 0.1 1 cnn-0.1-config0'],
      ['train@cnn-0.01-config0', 'train cnn 0.01 1 cnn-0.01-config0'],
      ['train@xgb-0.1-config0', 'train xgb 0.1 1 xgb-0.1-config0'],
      ['train@xgb-0.01-config0', 'train xgb 0.01 1 xgb-0.01-config0'],
    ]);
  });

  it('says where a foreach reference fails', () => {
    expect(() =>
      expand({ 'dvc.yaml': 'stages:\n  e:\n    foreach: ${missing}\n    do:\n      cmd: echo ${item}\n' }),
    ).toThrow("failed to parse 'stages.e.foreach' in 'dvc.yaml': Could not find 'missing'");
  });
});

describe('stages', () => {
  it('reads params in every form DVC accepts, merging per file', () => {
    const { stages } = expand({
      'dvc.yaml': `stages:
  s:
    cmd: echo
    params:
    - lr
    - params.yaml: [seed]
    - configs/dev.yaml: [train, train]
    - ./configs/dev.yaml: [eval]
    - whole.yaml:
    - whole.yaml: [ignored]
`,
    });
    expect(stages[0]!.params.map(({ file, keys }) => [file, keys])).toEqual([
      ['params.yaml', ['lr', 'seed']],
      ['configs/dev.yaml', ['train', 'eval']],
      ['whole.yaml', []],
    ]);
  });

  it('reads outputs in list and mapping form with their flags', () => {
    const { stages } = expand({
      'dvc.yaml': `stages:
  s:
    cmd: echo
    outs:
    - model.pkl
    - cache_off.bin:
        cache: false
        persist: true
        desc: a model
    plots:
    - roc.json:
        x: fpr
        y: tpr
        template: simple
`,
    });
    expect(
      stages[0]!.outs.map(({ path: p, kind, cache, persist, plot }) => ({ p, kind, cache, persist, plot })),
    ).toEqual([
      { p: 'model.pkl', kind: 'outs', cache: true, persist: false, plot: undefined },
      { p: 'cache_off.bin', kind: 'outs', cache: false, persist: true, plot: undefined },
      {
        p: 'roc.json',
        kind: 'plots',
        cache: true,
        persist: false,
        plot: { template: 'simple', x: 'fpr', y: 'tpr' },
      },
    ]);
  });

  it('addresses stages of a dvc.yaml in a subfolder by file:name', () => {
    const { stages } = expand({ 'sub/dvc.yaml': 'stages:\n  s:\n    cmd: echo\n' }, 'sub/dvc.yaml');
    expect(stages[0]!.addressing).toBe('sub/dvc.yaml:s');
  });

  it('accepts the top-level params, metrics, plots and artifacts', () => {
    const pipeline = expand({
      'dvc.yaml': `params: [results/params.yaml]
metrics: [eval/metrics.json]
plots:
- ROC:
    template: simple
    x: fpr
    y:
      eval/roc/train.json: tpr
- eval/importance.png
artifacts:
  model:
    path: model.pkl
    type: model
stages: {}
`,
    });
    expect(pipeline.metrics).toEqual(['eval/metrics.json']);
    expect(pipeline.plots).toHaveLength(2);
    expect(pipeline.artifacts.model?.path).toBe('model.pkl');
  });
});

describe('dvc.yaml schema', () => {
  it('refuses unknown keys, naming the stage and the field', () => {
    expect(() => parseDvcYaml('stages:\n  train:\n    cmd: echo\n    dep: [x]\n', 'dvc.yaml')).toThrow(
      /^dvc.yaml: field "stages.train": Unrecognized key: "dep"/,
    );
  });

  it('requires a command', () => {
    expect(() => parseDvcYaml('stages:\n  train:\n    deps: [x]\n', 'dvc.yaml')).toThrow(
      /field "stages.train.cmd"/,
    );
  });

  it('names the line of a YAML syntax error', () => {
    expect(() => parseDvcYaml('stages:\n  train:\n    cmd: a: b\n', 'dvc.yaml')).toThrow(
      /^dvc.yaml, line 3: not valid YAML/,
    );
  });
});
