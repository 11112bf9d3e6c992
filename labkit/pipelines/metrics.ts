/**
 * Metrics and parameters as `dvc metrics show|diff` and `dvc params diff` read them.
 *
 * Metrics files are the stages' `metrics:` outputs and the top-level `metrics:` entries (a folder
 * stands for the JSON and YAML files in it). Their values are flattened to dotted keys
 * (`{"eval": {"auc": 0.9}}` → `eval.auc`). Parameters are those the stages track (the keys they
 * list, or every key of a file tracked whole) and the files of the top-level `params:`.
 *
 * At a git revision a file is read with `git show`; a metrics file kept in the cache instead of
 * git is read from the cache, by the hash that revision's dvc.lock records for it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isPyMapping, numberOf, pythonNumberStr, type PyValue } from '../data/python-json';
import { gitTopLevel, showFile } from '../data/git';
import { listFiles } from '../data/hash';
import { parseYaml } from '../data/yaml-file';
import { flatten, selectIn } from './interpolate';
import type { Project } from './project';
import { recordedAt } from './tracked';

export type FlatValues = Map<string, PyValue>;
/** Per file (relative to the repository root), its flattened values. */
export type ValuesByFile = Map<string, FlatValues>;

const metricsExtensions = new Set(['.json', '.yaml', '.yml']);

/** The metrics files of the project, relative to the root. */
export function metricsFiles(project: Project): string[] {
  const found = new Set<string>();
  const add = (absolute: string) => {
    const stat = fs.statSync(absolute, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      for (const { absolute: file } of listFiles(absolute)) {
        if (metricsExtensions.has(path.extname(file).toLowerCase())) found.add(project.repo.relative(file));
      }
    } else {
      found.add(project.repo.relative(absolute));
    }
  };
  for (const stage of project.stages)
    for (const out of stage.outs) if (out.kind === 'metrics' && !out.external) add(out.absolute);
  for (const pipeline of project.pipelines) {
    for (const entry of pipeline.metrics) add(path.resolve(path.dirname(pipeline.dvcfile), entry));
  }
  return [...found].sort();
}

/** Scalar leaves of a metrics or params file, by dotted key. */
export function flattenValues(value: PyValue): FlatValues {
  const values: FlatValues = new Map();
  if (!isPyMapping(value)) return values;
  for (const [key, item] of flatten(value)) {
    if (!isPyMapping(item)) values.set(key, item);
  }
  return values;
}

/** A file's text, from the workspace (`revision` undefined) or a git revision (or the cache). */
export type FileReader = (relative: string) => string | undefined;

export function workspaceReader(root: string): FileReader {
  return (relative) => {
    try {
      return fs.readFileSync(path.join(root, relative), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Reads files as they were at a git revision; cached outputs through that revision's records. */
export function revisionReader(project: Project, revision: string): FileReader {
  const { repo } = project;
  const gitRoot = gitTopLevel(repo.root);
  if (!gitRoot) throw new Error(`'${revision}': this repository is not in a git work tree.`);
  let recorded: ReturnType<typeof recordedAt> | undefined;
  const prefix = path.relative(gitRoot, repo.root).split(path.sep).join('/');
  return (relative) => {
    const inGit = showFile(gitRoot, revision, prefix ? `${prefix}/${relative}` : relative);
    if (inGit) return inGit.toString('utf8');
    recorded ??= recordedAt(repo, gitRoot, revision);
    const hash = recorded.get(relative);
    if (!hash) return undefined;
    try {
      return fs.readFileSync(repo.cache.store.objectPath(hash.info.md5), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** The metrics of each file, as `read` sees them; unreadable files are left out. */
export function readMetrics(files: string[], read: FileReader): ValuesByFile {
  const result: ValuesByFile = new Map();
  for (const file of files) {
    const text = read(file);
    if (text === undefined) continue;
    try {
      result.set(file, flattenValues(parseYaml(text, file)));
    } catch {
      // A metrics file that is not JSON or YAML shows as absent, as DVC skips it with a warning.
    }
  }
  return result;
}

/** Which keys of which params files the project tracks (empty list: the whole file). */
export function trackedParams(project: Project): Map<string, string[]> {
  const tracked = new Map<string, string[]>();
  const add = (file: string, keys: string[]) => {
    const existing = tracked.get(file);
    if (existing !== undefined && existing.length === 0) return;
    tracked.set(file, keys.length === 0 ? [] : [...new Set([...(existing ?? []), ...keys])]);
  };
  for (const stage of project.stages)
    for (const dep of stage.params) add(project.repo.relative(dep.absolute), dep.keys);
  for (const pipeline of project.pipelines) {
    for (const entry of pipeline.params)
      add(project.repo.relative(path.resolve(path.dirname(pipeline.dvcfile), entry)), []);
  }
  return tracked;
}

/** The tracked parameters' values, flattened, per file. */
export function readParams(tracked: Map<string, string[]>, read: FileReader): ValuesByFile {
  const result: ValuesByFile = new Map();
  for (const [file, keys] of tracked) {
    const text = read(file);
    if (text === undefined) continue;
    let content: PyValue;
    try {
      content = parseYaml(text, file);
    } catch {
      continue;
    }
    if (keys.length === 0) {
      result.set(file, flattenValues(content));
      continue;
    }
    const values: FlatValues = new Map();
    for (const key of keys) {
      try {
        const value = selectIn(content, key);
        if (isPyMapping(value))
          for (const [inner, item] of flattenValues(value)) values.set(`${key}.${inner}`, item);
        else values.set(key, value);
      } catch {
        // A key missing at this revision is simply absent.
      }
    }
    result.set(file, values);
  }
  return result;
}

/** A value for a table cell: numbers as Python writes them (floats rounded to 5 decimals). */
export function formatValue(value: PyValue | undefined): string {
  if (value === undefined) return '-';
  const number = numberOf(value);
  if (number !== undefined) {
    if (typeof value === 'number' && !Number.isInteger(value))
      return pythonNumberStr(Math.round(value * 1e5) / 1e5);
    return pythonNumberStr(value as number);
  }
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

export type DiffRow = {
  file: string;
  key: string;
  old: PyValue | undefined;
  new: PyValue | undefined;
  change?: number;
};

/** Rows where the two sides differ (every row with `all`), with the numeric change when both are numbers. */
export function diffValues(before: ValuesByFile, after: ValuesByFile, all = false): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const file of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(file) ?? new Map();
    const b = after.get(file) ?? new Map();
    for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      const old = a.get(key);
      const current = b.get(key);
      const same = formatValue(old) === formatValue(current);
      if (same && !all) continue;
      const row: DiffRow = { file, key, old, new: current };
      const x = numberOf(old);
      const y = numberOf(current);
      if (x !== undefined && y !== undefined) row.change = y - x;
      rows.push(row);
    }
  }
  return rows;
}
