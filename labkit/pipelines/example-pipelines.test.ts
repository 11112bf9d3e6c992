/**
 * Small pipelines with the shapes of DVC's public example projects (the get-started pipeline's
 * prepare → featurize → train → evaluate over folders, a foreach over validation datasets whose
 * metrics a later stage collects from their folder, a parameters mapping written into a command
 * as flags, a foreach over a list of export formats), run for real with Python on generated data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { makeRepo, read, runRepro, writeFiles } from './testing';

const newDir = tempDirsForEachTest('labkit-examples-');

const getStarted = {
  'params.yaml': 'prepare:\n  split: 0.25\n  seed: 7\nfeaturize:\n  max_features: 3\ntrain:\n  n_est: 5\n',
  'data/data.csv': `${Array.from({ length: 20 }, (_, i) => `${i},text ${i % 4}`).join('\n')}\n`,
  'dvc.yaml': `stages:
  prepare:
    cmd: python3 src/prepare.py data/data.csv
    deps: [data/data.csv, src/prepare.py]
    params: [prepare.seed, prepare.split]
    outs: [data/prepared]
  featurize:
    cmd: python3 src/featurize.py data/prepared data/features
    deps: [data/prepared, src/featurize.py]
    params: [featurize.max_features]
    outs: [data/features]
  train:
    cmd: python3 src/train.py data/features model.pkl
    deps: [data/features, src/train.py]
    params: [train.n_est]
    outs: [model.pkl]
  evaluate:
    cmd: python3 src/evaluate.py model.pkl data/features
    deps: [data/features, model.pkl, src/evaluate.py]
    outs:
    - eval
metrics:
- eval/metrics.json
plots:
- eval/plots/roc.json:
    x: fpr
    y: tpr
`,
};

const scripts = {
  // Reads params.yaml without a YAML library: the lines `key: value` under a section.
  'src/params.py': `def section(name):
    values, current = {}, None
    for line in open("params.yaml"):
        if not line.startswith(" ") and line.strip().endswith(":"):
            current = line.strip()[:-1]
        elif current == name and ":" in line:
            key, value = line.strip().split(":", 1)
            values[key] = float(value) if "." in value else int(value)
    return values
`,
  'src/prepare.py': `import os, random, sys
from params import section
p = section("prepare")
rows = open(sys.argv[1]).read().splitlines()
random.Random(p["seed"]).shuffle(rows)
cut = int(len(rows) * p["split"])
os.makedirs("data/prepared", exist_ok=True)
open("data/prepared/test.csv", "w").write("\\n".join(rows[:cut]) + "\\n")
open("data/prepared/train.csv", "w").write("\\n".join(rows[cut:]) + "\\n")
`,
  'src/featurize.py': `import os, sys
from params import section
n = section("featurize")["max_features"]
os.makedirs(sys.argv[2], exist_ok=True)
for name in ("train", "test"):
    rows = open(os.path.join(sys.argv[1], name + ".csv")).read().splitlines()
    open(os.path.join(sys.argv[2], name + ".txt"), "w").write("\\n".join(str(len(r) % n) for r in rows) + "\\n")
`,
  'src/train.py': `import sys
from params import section
values = [int(v) for v in open(sys.argv[1] + "/train.txt").read().split()]
open(sys.argv[2], "w").write(str(sum(values) * section("train")["n_est"]))
`,
  'src/evaluate.py': `import json, os, sys
model = int(open(sys.argv[1]).read())
os.makedirs("eval/plots", exist_ok=True)
json.dump({"avg_prec": {"test": round(model / 1000, 4)}, "roc_auc": 0.5}, open("eval/metrics.json", "w"))
json.dump({"roc": [{"fpr": 0.0, "tpr": 0.0}, {"fpr": 0.5, "tpr": 0.8}, {"fpr": 1.0, "tpr": 1.0}]}, open("eval/plots/roc.json", "w"))
`,
};

describe('a get-started shaped pipeline', () => {
  it('runs over folders, records them as .dir entries, and reruns only what a parameter change reaches', async () => {
    const root = makeRepo(newDir(), { ...getStarted, ...scripts });
    const first = await runRepro(root);
    expect(first.failure).toBeUndefined();
    expect(first.lines.filter((line) => line.startsWith('Running stage'))).toHaveLength(4);
    const lock = read(root, 'dvc.lock');
    expect(lock).toMatch(
      /- path: data\/prepared\n {6}hash: md5\n {6}md5: [0-9a-f]{32}\.dir\n {6}size: \d+\n {6}nfiles: 2\n/,
    );
    expect(lock).toContain('        prepare.seed: 7\n        prepare.split: 0.25\n');
    expect(JSON.parse(read(root, 'eval/metrics.json'))).toHaveProperty('roc_auc', 0.5);

    const unchanged = await runRepro(root);
    expect(unchanged.lines.at(-1)).toBe('Data and pipelines are up to date.');

    writeFiles(root, { 'params.yaml': getStarted['params.yaml'].replace('n_est: 5', 'n_est: 6') });
    const again = await runRepro(root);
    expect(again.lines.filter((line) => line.startsWith('Running stage'))).toEqual([
      "Running stage 'train':",
      "Running stage 'evaluate':",
    ]);
    // Everything is back in place from the cache after deleting the outputs.
    fs.rmSync(path.join(root, 'data', 'features'), { recursive: true });
    fs.rmSync(path.join(root, 'eval'), { recursive: true });
    const restored = await runRepro(root);
    expect(restored.lines.filter((line) => line.includes('is cached'))).toEqual([
      "Stage 'featurize' is cached - skipping run, checking out outputs",
      "Stage 'evaluate' is cached - skipping run, checking out outputs",
    ]);
    expect(fs.readdirSync(path.join(root, 'data', 'features')).sort()).toEqual(['test.txt', 'train.txt']);
  });
});

describe('a foreach over validation datasets', () => {
  it('runs one stage per dataset, and a collecting stage that depends on their folder after them', async () => {
    const root = makeRepo(newDir(), {
      'params.yaml':
        "reports_dir: reports\nevaluate:\n  datasets: ['micro', 'customer-1']\n  metrics_dir: metrics\n",
      'evaluate.py': `import json, os, sys
os.makedirs("reports/metrics", exist_ok=True)
json.dump({"f1": len(sys.argv[1]) / 10}, open("reports/metrics/metrics_" + sys.argv[1] + ".json", "w"))
`,
      'collect.py': `import json, os
d = "reports/metrics"
json.dump({f: json.load(open(os.path.join(d, f))) for f in sorted(os.listdir(d))}, open("reports/metrics.json", "w"))
`,
      'dvc.yaml': `stages:
  evaluate:
    foreach: \${evaluate.datasets}
    do:
      cmd: python3 evaluate.py \${item}
      deps: [evaluate.py]
      params: [reports_dir, evaluate]
      metrics:
      - \${reports_dir}/\${evaluate.metrics_dir}/metrics_\${item}.json:
          cache: false
  collect_metrics:
    cmd: python3 collect.py
    deps:
    - collect.py
    - \${reports_dir}/\${evaluate.metrics_dir}
    metrics:
    - \${reports_dir}/metrics.json:
        cache: false
`,
    });
    const result = await runRepro(root, { jobs: 2 });
    expect(result.failure).toBeUndefined();
    expect(result.lines.filter((line) => line.startsWith('Running stage')).at(-1)).toBe(
      "Running stage 'collect_metrics':",
    );
    expect(JSON.parse(read(root, 'reports/metrics.json'))).toEqual({
      'metrics_customer-1.json': { f1: 1 },
      'metrics_micro.json': { f1: 0.5 },
    });
    const lock = read(root, 'dvc.lock');
    expect(lock).toContain('  evaluate@micro:\n    cmd: python3 evaluate.py micro\n');
    expect(lock).toMatch(
      /- path: reports\/metrics\n {6}hash: md5\n {6}md5: [0-9a-f]{32}\.dir\n {6}size: \d+\n {6}nfiles: 2/,
    );
    expect((await runRepro(root)).lines.at(-1)).toBe('Data and pipelines are up to date.');
  });
});

describe('parameters written into a command', () => {
  it('passes a params mapping as --key value flags, as DVC does, and a foreach over a list of mappings', async () => {
    const root = makeRepo(newDir(), {
      'params.yaml':
        "train:\n  max_depth: 5\n  eta: 0.2\n  objective: 'binary:logistic'\nexport:\n  formats:\n  - {name: onnx, ext: onnx}\n  - {name: coreml, ext: mlmodel}\n",
      'train.py': `import argparse
p = argparse.ArgumentParser()
p.add_argument("--max_depth", type=int)
p.add_argument("--eta", type=float)
p.add_argument("--objective")
a = p.parse_args()
open("model.txt", "w").write(f"{a.max_depth} {a.eta} {a.objective}\\n")
`,
      'dvc.yaml': `stages:
  training:
    cmd: python3 train.py \${train}
    deps: [train.py]
    outs: [model.txt]
  exports:
    foreach: \${export.formats}
    do:
      cmd: echo \${item.name} > best.\${item.ext}
      deps: [model.txt]
      outs:
      - best.\${item.ext}
`,
    });
    const result = await runRepro(root);
    expect(result.lines).toContain('> python3 train.py --max_depth 5 --eta 0.2 --objective binary:logistic');
    expect(read(root, 'model.txt')).toBe('5 0.2 binary:logistic\n');
    expect(read(root, 'best.onnx')).toBe('onnx\n');
    expect(read(root, 'dvc.lock')).toContain('  exports@1:\n    cmd: echo coreml > best.mlmodel\n');
  });
});
