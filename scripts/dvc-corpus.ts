/**
 * `tsx scripts/dvc-corpus.ts [folder]`: labkit's pipeline reader against real DVC projects. For
 * every `dvc.yaml` below the folder (by default the machine's shared DVC corpus, when it exists), it parses
 * the file, resolves `${}`/foreach/matrix, builds the DAG and computes each stage's status against
 * the `dvc.lock` beside it — as a read-only look: nothing is written, and since the data and code
 * of those projects are not there, deps and outs show as changed or missing, which is expected.
 *
 * One line per file: parsed ✓/✗, stages as written, stages once expanded, a status summary
 * (how many stages are up to date, changed, and why; how many the lock knows, and of those how
 * many resolve to the command and parameter values it records), and any error.
 * Exit status 1 when a file could not be parsed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DvcRepo } from '@/labkit/data/repo';
import { buildDag } from '@/labkit/pipelines/dag';
import { readDvcYaml } from '@/labkit/pipelines/dvc-yaml';
import { expandPipeline } from '@/labkit/pipelines/expand';
import { lockPathFor, readLockFile } from '@/labkit/pipelines/lockfile';
import { ParamsFiles } from '@/labkit/pipelines/params-files';
import { stageStatus, type StageStatus } from '@/labkit/pipelines/stage-status';

const defaultCorpus = '/work/shared/corpus/dvc';

function findDvcYamls(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const absolute = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '.git' && entry.name !== '.dvc')
      found.push(...findDvcYamls(absolute));
    else if (entry.isFile() && entry.name === 'dvc.yaml') found.push(absolute);
  }
  return found.sort();
}

function reasons(status: StageStatus): string[] {
  const found: string[] = [];
  if (status.lock === undefined) found.push('not in lock');
  if (status.commandChanged) found.push('cmd');
  if (status.deps.length) found.push('deps');
  if (status.params.length) found.push('params');
  if (status.outs.length) found.push('outs');
  if (status.external.length) found.push('external');
  if (status.alwaysChanged) found.push('always');
  return found;
}

/** The report line for one dvc.yaml. */
export function checkPipeline(file: string, corpusRoot: string): { line: string; ok: boolean } {
  const root = path.dirname(file);
  const display = path.relative(corpusRoot, file) || 'dvc.yaml';
  try {
    const raw = readDvcYaml(file, display);
    const written = Object.keys(raw.stages ?? {}).length;
    const files = new ParamsFiles();
    const pipeline = expandPipeline(raw, { root, dvcfile: file, display, files });
    buildDag(pipeline.stages, [], root);
    const lock = readLockFile(lockPathFor(file), 'dvc.lock');
    // A repository object over the folder, only read: its hash cache is never saved.
    const repo = new DvcRepo(root);
    const context = { repo, files, hashes: new Map() };
    const statuses = pipeline.stages.map((stage) => stageStatus(stage, lock.stages.get(stage.name), context));
    const changed = statuses.filter((status) => status.changed);
    const why = new Map<string, number>();
    for (const status of changed)
      for (const reason of reasons(status)) why.set(reason, (why.get(reason) ?? 0) + 1);
    const locked = statuses.filter((status) => status.lock !== undefined);
    const inLock = locked.length;
    const sameCommand = locked.filter((status) => !status.commandChanged).length;
    const sameParams = locked.filter((status) => status.params.length === 0).length;
    const summary =
      `${statuses.length - changed.length} up to date, ${changed.length} changed` +
      (why.size ? ` (${[...why].map(([reason, count]) => `${reason} ${count}`).join(', ')})` : '') +
      `, ${inLock}/${statuses.length} in dvc.lock (command as locked ${sameCommand}/${inLock}, ` +
      `params as locked ${sameParams}/${inLock})`;
    return {
      line: `✓ ${display}: ${written} stages, ${pipeline.stages.length} expanded; ${summary}`,
      ok: true,
    };
  } catch (error) {
    return { line: `✗ ${display}: ${(error as Error).message.replace(/\n/g, ' ')}`, ok: false };
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const folder = path.resolve(process.argv[2] ?? defaultCorpus);
  if (!fs.existsSync(folder)) {
    console.error(`dvc-corpus: ${folder} does not exist. Usage: tsx scripts/dvc-corpus.ts [folder]`);
    process.exit(2);
  }
  const files = findDvcYamls(folder);
  if (files.length === 0) console.log(`No dvc.yaml below ${folder}.`);
  let failed = 0;
  for (const file of files) {
    const { line, ok } = checkPipeline(file, folder);
    if (!ok) failed += 1;
    console.log(line);
  }
  console.log(`${files.length - failed} of ${files.length} dvc.yaml files parsed.`);
  process.exitCode = failed ? 1 : 0;
}
