/**
 * The parameters the stages track and the metrics files, in the workspace against the last commit
 * (HEAD), as `labkit pipeline params diff` and `metrics diff` compare them, every key included and
 * marked when it changed. The commit's side is read by {@link CommitReader}; a metrics file kept
 * in the DVC cache rather than in git is read from the cache by the hash HEAD's dvc.lock records.
 * Only files inside the project (links resolved) are read on the workspace's side.
 */
import fs from 'node:fs';
import path from 'node:path';
import { numberOf } from '../../data/python-json';
import { entryHash, lockPathFor, parseLockFile } from '../lockfile';
import {
  diffValues,
  formatValue,
  metricsFiles,
  readMetrics,
  readParams,
  trackedParams,
  type FileReader,
} from '../metrics';
import type { Project } from '../project';
import type { DiffRow, DiffView } from '../wire';
import { CommitReader } from './commit-reader';
import { displayValue } from './pipeline-view';
import { insideProject } from './workspace';

function confinedWorkspaceReader(root: string): FileReader {
  return (relative) => {
    const file = path.join(root, relative);
    if (!insideProject(root, file)) return undefined;
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Paths (from the project's root) → md5, of the outputs HEAD's dvc.lock files record. */
function recordedOutputs(
  project: Project,
  atHead: (relative: string) => string | undefined,
): Map<string, string> {
  const recorded = new Map<string, string>();
  for (const pipeline of project.pipelines) {
    const lockFile = project.repo.relative(lockPathFor(pipeline.dvcfile));
    const text = atHead(lockFile);
    if (text === undefined) continue;
    let lock;
    try {
      lock = parseLockFile(text, lockFile, `${lockFile}@HEAD`);
    } catch {
      continue;
    }
    for (const stage of pipeline.stages) {
      for (const entry of lock.stages.get(stage.name)?.outs ?? []) {
        const md5 = entryHash(entry)?.md5;
        if (md5) recorded.set(project.repo.relative(path.resolve(stage.wdir, entry.path)), md5);
      }
    }
  }
  return recorded;
}

function headReader(project: Project, scratchDir: string, files: string[]) {
  const reader = CommitReader.atHead(project.repo.root, scratchDir);
  if (!reader) return undefined;
  const prefix = reader.prefixOf(project.repo.root);
  const inGit = (relative: string) => (prefix ? `${prefix}/${relative}` : relative);
  const lockFiles = project.pipelines.map((pipeline) => project.repo.relative(lockPathFor(pipeline.dvcfile)));
  const blobs = reader.read([...files, ...lockFiles].map(inGit));
  const atHead = (relative: string) => blobs.get(inGit(relative))?.toString('utf8');
  let recorded: Map<string, string> | undefined;
  const read: FileReader = (relative) => {
    const text = atHead(relative);
    if (text !== undefined) return text;
    recorded ??= recordedOutputs(project, atHead);
    const md5 = recorded.get(relative);
    if (!md5) return undefined;
    try {
      return fs.readFileSync(project.repo.cache.store.objectPath(md5), 'utf8');
    } catch {
      return undefined;
    }
  };
  return { commit: reader.commit.slice(0, 7), read };
}

type ValueText = (value: Parameters<typeof formatValue>[0]) => string | null;

function rowsOf(rows: ReturnType<typeof diffValues>, text: ValueText): DiffRow[] {
  return rows.map((row) => {
    const old = row.old === undefined ? null : text(row.old);
    const current = row.new === undefined ? null : text(row.new);
    const result: DiffRow = { file: row.file, key: row.key, old, new: current, changed: old !== current };
    if (row.change !== undefined && numberOf(row.old) !== undefined) result.change = row.change;
    return result;
  });
}

export function diffView(project: Project, scratchDir: string): DiffView {
  const tracked = trackedParams(project);
  const metrics = metricsFiles(project);
  const workspace = confinedWorkspaceReader(project.repo.root);
  const head = headReader(project, scratchDir, [...tracked.keys(), ...metrics]);
  const nothing: FileReader = () => undefined;
  const before = head?.read ?? nothing;
  return {
    commit: head?.commit ?? null,
    note: head ? null : 'No commit to compare with: the project is not in git, or has no commit yet.',
    params: rowsOf(
      diffValues(readParams(tracked, before), readParams(tracked, workspace), true),
      displayValue,
    ),
    metrics: rowsOf(
      diffValues(readMetrics(metrics, before), readMetrics(metrics, workspace), true),
      (value) => formatValue(value),
    ),
  };
}
