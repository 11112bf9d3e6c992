/**
 * Whether a stage must run again, decided as DVC's `Stage.changed()` decides it, with the reasons
 * DVC's `dvc status` prints:
 *
 * - `changed command`: the command differs from the one in dvc.lock;
 * - `changed deps`: a dependency's hash differs from the lock (`modified`) or it is gone
 *   (`deleted`); a parameter's value differs (`modified`), it is gone from its file (`deleted`), or
 *   the lock has no values for its file (`new`); a whole tracked file compares key by key;
 * - `changed outs`: an output is gone (`deleted`), differs from the lock (`modified`), or its
 *   recorded content is not in the cache (`not in cache`);
 * - `always changed`: `always_changed: true`, or a command with neither deps nor outs.
 *
 * A frozen stage ignores its dependencies. Paths DVC would reach through a remote filesystem
 * (`s3://…`) cannot be checked here and are reported as external.
 */
import type { HashedPath } from '../data/hash';
import { pyEquals, type PyValue } from '../data/python-json';
import type { DvcRepo } from '../data/repo';
import { selectIn } from './interpolate';
import { entryHash, type LockEntry, type LockParams, type LockStage } from './lockfile';
import type { ParamsFiles } from './params-files';
import { isCallback, type ParamsDep, type Stage } from './stage';

export type DepState = 'modified' | 'deleted';
export type ParamState = 'modified' | 'deleted' | 'new';
export type OutState = 'modified' | 'deleted' | 'new' | 'not in cache';

export type StageStatus = {
  stage: Stage;
  lock: LockStage | undefined;
  commandChanged: boolean;
  alwaysChanged: boolean;
  deps: { path: string; state: DepState }[];
  /** `key` is undefined when the whole file is new or deleted. */
  params: { file: string; key?: string; state: ParamState }[];
  outs: { path: string; state: OutState }[];
  external: string[];
  /** Whether `repro` runs it (a frozen stage never has changed deps). */
  changed: boolean;
};

function sameCommand(a: string | string[], b: string | string[]): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && a.every((line, index) => line === b[index]);
}

/** The values of one params dependency now: `{key: value}` (whole file: its top-level keys). */
export function readParamValues(
  dep: ParamsDep,
  files: ParamsFiles,
  display: string,
): { values: Record<string, PyValue>; missing: string[] } | undefined {
  const content = files.read(dep.absolute, display);
  if (content === undefined) return undefined;
  if (dep.keys.length === 0) return { values: { ...content }, missing: [] };
  const values: Record<string, PyValue> = {};
  const missing: string[] = [];
  for (const key of dep.keys) {
    try {
      values[key] = selectIn(content, key);
    } catch {
      missing.push(key);
    }
  }
  return { values, missing };
}

function paramsStatus(
  dep: ParamsDep,
  recorded: Record<string, PyValue> | undefined,
  files: ParamsFiles,
  display: string,
): StageStatus['params'] {
  const current = readParamValues(dep, files, display);
  if (!current) return [{ file: dep.file, state: 'deleted' }];
  if (recorded === undefined) return [{ file: dep.file, state: 'new' }];
  const keys = dep.keys.length
    ? dep.keys
    : [...new Set([...Object.keys(current.values), ...Object.keys(recorded)])];
  const result: StageStatus['params'] = [];
  for (const key of keys) {
    const isCurrent = Object.hasOwn(current.values, key);
    const isRecorded = Object.hasOwn(recorded, key);
    if (!isCurrent) result.push({ file: dep.file, key, state: 'deleted' });
    else if (!isRecorded) result.push({ file: dep.file, key, state: 'new' });
    else if (!pyEquals(current.values[key], recorded[key]))
      result.push({ file: dep.file, key, state: 'modified' });
  }
  return result;
}

export type StatusContext = {
  repo: DvcRepo;
  files: ParamsFiles;
  /** Hashes computed so far in this command, by absolute path. */
  hashes: Map<string, HashedPath | undefined>;
};

/** A path's current hash, computed once per command. */
export function currentHash(context: StatusContext, absolute: string): HashedPath | undefined {
  if (!context.hashes.has(absolute)) context.hashes.set(absolute, context.repo.hasher.hashPath(absolute));
  return context.hashes.get(absolute);
}

export function stageStatus(stage: Stage, lock: LockStage | undefined, context: StatusContext): StageStatus {
  const { repo, files } = context;
  const lockDeps = new Map<string, LockEntry>((lock?.deps ?? []).map((entry) => [entry.path, entry]));
  const lockOuts = new Map<string, LockEntry>((lock?.outs ?? []).map((entry) => [entry.path, entry]));
  const lockParams: LockParams = lock?.params ?? {};
  const status: StageStatus = {
    stage,
    lock,
    commandChanged: lock !== undefined && !sameCommand(lock.cmd, stage.cmd),
    alwaysChanged: stage.alwaysChanged || isCallback(stage),
    deps: [],
    params: [],
    outs: [],
    external: [],
    changed: false,
  };
  if (!stage.frozen) {
    for (const dep of stage.deps) {
      if (dep.external) {
        status.external.push(dep.path);
        continue;
      }
      const current = currentHash(context, dep.absolute);
      const recorded = entryHash(lockDeps.get(dep.path));
      if (!current) status.deps.push({ path: dep.path, state: 'deleted' });
      else if (recorded?.md5 !== current.info.md5) status.deps.push({ path: dep.path, state: 'modified' });
    }
    for (const dep of stage.params) {
      status.params.push(...paramsStatus(dep, lockParams[dep.file], files, repo.relative(dep.absolute)));
    }
  }
  for (const out of stage.outs) {
    if (out.external) {
      status.external.push(out.path);
      continue;
    }
    const recorded = entryHash(lockOuts.get(out.path));
    if (recorded && out.cache && !repo.cache.store.isComplete(recorded.md5)) {
      status.outs.push({ path: out.path, state: 'not in cache' });
      continue;
    }
    const current = currentHash(context, out.absolute);
    if (!current) status.outs.push({ path: out.path, state: 'deleted' });
    else if (recorded?.md5 !== current.info.md5) status.outs.push({ path: out.path, state: 'modified' });
  }
  status.changed =
    status.commandChanged ||
    (!stage.frozen && status.alwaysChanged) ||
    (lock === undefined && !stage.frozen) ||
    status.deps.length > 0 ||
    status.params.length > 0 ||
    status.outs.length > 0 ||
    status.external.length > 0;
  return status;
}

/** DVC's `dvc status` entry for a stage: `changed deps`, `changed outs`, `always changed`, `changed command`. */
export function statusLines(status: StageStatus, indent = '\t'): string[] {
  const pad = (word: string) => `${word}:`.padEnd(20);
  const lines: string[] = [];
  if (status.deps.length || status.params.length) {
    lines.push(`${indent}changed deps:`);
    for (const dep of status.deps) lines.push(`${indent}${indent}${pad(dep.state)}${dep.path}`);
    const byFile = new Map<string, StageStatus['params']>();
    for (const param of status.params) byFile.set(param.file, [...(byFile.get(param.file) ?? []), param]);
    for (const [file, params] of byFile) {
      const whole = params.find((param) => param.key === undefined);
      if (whole) {
        lines.push(`${indent}${indent}${pad(whole.state)}${file}`);
        continue;
      }
      lines.push(`${indent}${indent}${file}:`);
      for (const param of params) lines.push(`${indent}${indent}${indent}${pad(param.state)}${param.key}`);
    }
  }
  if (status.outs.length) {
    lines.push(`${indent}changed outs:`);
    for (const out of status.outs) lines.push(`${indent}${indent}${pad(out.state)}${out.path}`);
  }
  for (const external of status.external) {
    lines.push(`${indent}not checked:        ${external} (remote paths are not supported by labkit)`);
  }
  if (status.alwaysChanged && !status.stage.frozen) lines.push(`${indent}always changed`);
  if (status.commandChanged) lines.push(`${indent}changed command`);
  if (status.lock === undefined && lines.length === 0 && !status.stage.frozen)
    lines.push(`${indent}not run yet`);
  return lines;
}
