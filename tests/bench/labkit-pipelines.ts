/**
 * labkit's data versioning and pipelines, run as a learner runs them in the sandbox: the esbuild
 * bundle of the `labkit` command (`bundleCli()`, the bytes of /opt/labkit/lib: the entry and the
 * chunks it imports) started with `node lib/labkit.mjs …` as a child process, in a temporary DVC
 * repository.
 *
 *   repro, nothing changed   `labkit pipeline repro` on a 4-stage pipeline (prepare → featurize →
 *                            train → evaluate, folders and files, params) that is up to date:
 *                            parse, expand, DAG, hash every dep and out (warm hash cache), answer
 *                            "didn't change". Target: p50 ≤ 150 ms. Baseline: `node -e ''`, the
 *                            start-up any Node command pays, measured alternately.
 *   hashing 100 MB           the md5 of 10 files of 10 MB each as labkit computes it (in this
 *                            process, no hash cache), against `md5sum` on the same files, both
 *                            from the page cache. Target: ratio ≤ 1.5.
 *   status, 10,000 files     `labkit data status` on a repository tracking a folder of 10,000
 *                            small files (`data.dvc`), warm: the hash cache knows every file, so
 *                            it costs a stat per file. Target: p50 ≤ 1 s. Baseline: `node -e ''`.
 *
 * Run alone: `node_modules/.bin/tsx tests/bench/labkit-pipelines.ts [--json]`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, writeLabkitBundle } from '@/labkit/bundle';
import { Hasher } from '@/labkit/data/hash';
import { summarize, type BenchResult } from './stats';

const log = (message: string) => console.error(`  ${message}`);

const reproRounds = 30;
const hashRounds = 10;
const hashFiles = 10;
const hashFileBytes = 10 * 1024 * 1024;
const statusFiles = 10_000;
const statusRounds = 10;

function timedRun(command: string, args: string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

function write(root: string, files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** A get-started shaped 4-stage pipeline over generated data, with shell commands. */
function fourStagePipeline(root: string): void {
  const rows = Array.from({ length: 5000 }, (_, i) => `${i},${(i * 7919) % 1000}`).join('\n');
  write(root, {
    'data/data.csv': `${rows}\n`,
    'params.yaml':
      'prepare:\n  split: 0.2\nfeaturize:\n  max_features: 100\ntrain:\n  n_est: 50\n  seed: 1\n',
    'dvc.yaml': `stages:
  prepare:
    cmd: mkdir -p data/prepared && head -n 4000 data/data.csv > data/prepared/train.csv && tail -n 1000 data/data.csv > data/prepared/test.csv
    deps: [data/data.csv]
    params: [prepare.split]
    outs: [data/prepared]
  featurize:
    cmd: mkdir -p data/features && cut -d, -f2 data/prepared/train.csv > data/features/train.txt && cut -d, -f2 data/prepared/test.csv > data/features/test.txt
    deps: [data/prepared]
    params: [featurize.max_features]
    outs: [data/features]
  train:
    cmd: sort -n data/features/train.txt | tail -n 1 > model.txt
    deps: [data/features]
    params: [train.n_est, train.seed]
    outs: [model.txt]
  evaluate:
    cmd: >-
      mkdir -p eval && printf '{"score": %s}' "$(cat model.txt)" > eval/metrics.json
    deps: [model.txt, data/features]
    metrics:
    - eval/metrics.json:
        cache: false
`,
  });
}

function alternate(
  rounds: number,
  measured: () => number,
  baseline: () => number,
): { samples: number[]; base: number[] } {
  const samples: number[] = [];
  const base: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      samples.push(measured());
      base.push(baseline());
    } else {
      base.push(baseline());
      samples.push(measured());
    }
  }
  return { samples, base };
}

function benchRepro(bundle: string, dir: string): BenchResult {
  const root = path.join(dir, 'pipeline');
  fs.mkdirSync(root);
  fourStagePipeline(root);
  execFileSync(process.execPath, [bundle, 'data', 'init'], { cwd: root });
  execFileSync(process.execPath, [bundle, 'pipeline', 'repro'], { cwd: root });
  const check = execFileSync(process.execPath, [bundle, 'pipeline', 'repro'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (!check.includes('Data and pipelines are up to date.'))
    throw new Error(`repro was not a no-op:\n${check}`);
  log(`repro of an up-to-date 4-stage pipeline: ${reproRounds} runs, alternating with node -e ''`);
  const { samples, base } = alternate(
    reproRounds,
    () => timedRun(process.execPath, [bundle, 'pipeline', 'repro'], root),
    () => timedRun(process.execPath, ['-e', ''], root),
  );
  return summarize(
    "labkit pipeline repro, nothing changed (4 stages; baseline node -e '')",
    'ms',
    samples,
    base,
  );
}

function benchHashing(dir: string): BenchResult {
  const root = path.join(dir, 'hashing');
  fs.mkdirSync(root);
  const files: string[] = [];
  for (let i = 0; i < hashFiles; i++) {
    const file = path.join(root, `part-${i}.bin`);
    const bytes = Buffer.alloc(hashFileBytes);
    for (let offset = 0; offset < bytes.length; offset += 4)
      bytes.writeUInt32LE((offset * 2654435761 + i) >>> 0, offset);
    fs.writeFileSync(file, bytes);
    files.push(file);
  }
  const expected = execFileSync('md5sum', files, { encoding: 'utf8' });
  const ours = files.map((file) => new Hasher().hashFile(file).md5);
  if (ours.some((md5, index) => !expected.split('\n')[index]?.startsWith(md5)))
    throw new Error('md5 mismatch with md5sum');
  log(`hashing ${hashFiles} × 10 MB: labkit (in process) against md5sum, ${hashRounds} rounds`);
  const { samples, base } = alternate(
    hashRounds,
    () => {
      const started = performance.now();
      for (const file of files) new Hasher().hashFile(file);
      return performance.now() - started;
    },
    () => timedRun('md5sum', files, root),
  );
  return summarize('labkit md5 of 100 MB (10 files; baseline md5sum)', 'ms', samples, base);
}

function benchStatus(bundle: string, dir: string): BenchResult {
  const root = path.join(dir, 'dataset');
  fs.mkdirSync(path.join(root, 'data'), { recursive: true });
  for (let i = 0; i < statusFiles; i++) {
    const sub = path.join(root, 'data', `shard-${String(i % 100).padStart(2, '0')}`);
    if (i < 100) fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, `item-${i}.txt`), `item ${i}\n`);
  }
  execFileSync(process.execPath, [bundle, 'data', 'init'], { cwd: root });
  const started = performance.now();
  execFileSync(process.execPath, [bundle, 'data', 'add', 'data'], { cwd: root });
  log(`added ${statusFiles} files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const first = execFileSync(process.execPath, [bundle, 'data', 'status'], { cwd: root, encoding: 'utf8' });
  if (!first.includes('up to date')) throw new Error(`status is not clean:\n${first}`);
  log(`status over ${statusFiles} files, warm: ${statusRounds} runs, alternating with node -e ''`);
  const { samples, base } = alternate(
    statusRounds,
    () => timedRun(process.execPath, [bundle, 'data', 'status'], root),
    () => timedRun(process.execPath, ['-e', ''], root),
  );
  return summarize("labkit data status, 10,000-file folder, warm (baseline node -e '')", 'ms', samples, base);
}

export async function benchLabkitPipelines(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labkit-pipelines-bench-'));
  try {
    const files = bundleCli();
    writeLabkitBundle(dir, files);
    const bundle = path.join(dir, 'lib', 'labkit.mjs');
    const megabytes = files.reduce((total, file) => total + file.content.length, 0) / 1e6;
    log(
      `labkit bundle: ${megabytes.toFixed(2)} MB in ${files.length} files, run with ${process.execPath} ${process.version}`,
    );
    return [benchRepro(bundle, dir), benchHashing(dir), benchStatus(bundle, dir)];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: prints like `npm run bench` (or one JSON object with --json).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const isJson = process.argv.includes('--json');
  const results = await benchLabkitPipelines();
  if (isJson) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else {
    for (const r of results) {
      const baseline =
        r.baseline === undefined ? '' : `   baseline p50 ${r.baseline} ${r.unit}, ratio ${r.ratio}×`;
      console.log(`${r.name}: p50 ${r.p50} ${r.unit}, p95 ${r.p95} ${r.unit}, n=${r.n}${baseline}`);
    }
  }
}
