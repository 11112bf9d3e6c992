/**
 * Everything a repository tracks, found as DVC finds it: every `dvc.yaml` (each with the
 * `dvc.lock` beside it) and every `.dvc` file below the root, `.dvcignore` respected and `.git`
 * and `.dvc` skipped. Loading checks each file's format and resolves its stages; the first
 * problem stops with the file and field named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hashInfoOf, readDvcFile } from '../data/dvc-file';
import type { HashInfo } from '../data/hash';
import { dvcignoreFilter } from '../data/ignore';
import type { DvcRepo } from '../data/repo';
import { readDvcYaml } from './dvc-yaml';
import { expandPipeline, type ExpandedPipeline } from './expand';
import { lockPathFor, readLockFile, type LockFile } from './lockfile';
import { ParamsFiles } from './params-files';
import type { Stage } from './stage';

/** One output of a `.dvc` file (a data source: `dvc add`ed data). */
export type DataSourceOut = {
  /** As written in the `.dvc` file, relative to its folder. */
  path: string;
  absolute: string;
  hash?: HashInfo;
  cache: boolean;
};

export type DataSource = {
  /** The `.dvc` file, absolute. */
  file: string;
  /** Relative to the root, how DVC names it (`data/data.xml.dvc`). */
  addressing: string;
  outs: DataSourceOut[];
  isImport: boolean;
};

export type Project = {
  repo: DvcRepo;
  pipelines: ExpandedPipeline[];
  stages: Stage[];
  dataSources: DataSource[];
  /** dvc.lock per dvc.yaml (absolute path of the dvc.yaml). */
  locks: Map<string, LockFile>;
  paramsFiles: ParamsFiles;
};

/** The `dvc.yaml` and `.dvc` files below `root`, sorted. */
export function findTrackingFiles(root: string): { dvcYamls: string[]; dvcFiles: string[] } {
  const ignore = dvcignoreFilter(root);
  const dvcYamls: string[] = [];
  const dvcFiles: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const { name } = entry;
      if (entry.isDirectory()) {
        if (name === '.git' || name === '.dvc') continue;
        const absolute = `${dir}${path.sep}${name}`;
        if (ignore?.(absolute, true)) continue;
        walk(absolute);
      } else if (entry.isFile() && (name === 'dvc.yaml' || name.endsWith('.dvc'))) {
        const absolute = `${dir}${path.sep}${name}`;
        if (ignore?.(absolute, false)) continue;
        (name === 'dvc.yaml' ? dvcYamls : dvcFiles).push(absolute);
      }
    }
  };
  walk(root);
  return { dvcYamls: dvcYamls.sort(), dvcFiles: dvcFiles.sort() };
}

export function loadDataSource(repo: DvcRepo, file: string): DataSource {
  const addressing = repo.relative(file);
  const parsed = readDvcFile(file, addressing);
  return {
    file,
    addressing,
    isImport: parsed.isImport,
    outs: parsed.outs.map((out) => {
      const source: DataSourceOut = {
        path: out.path,
        absolute: path.resolve(path.dirname(file), out.path),
        cache: out.cache ?? true,
      };
      const hash = hashInfoOf(out);
      if (hash) source.hash = hash;
      return source;
    }),
  };
}

/** Loads every pipeline and data source of the repository. */
export function loadProject(repo: DvcRepo): Project {
  const { dvcYamls, dvcFiles } = findTrackingFiles(repo.root);
  const paramsFiles = new ParamsFiles();
  const pipelines: ExpandedPipeline[] = [];
  const locks = new Map<string, LockFile>();
  for (const dvcfile of dvcYamls) {
    const display = repo.relative(dvcfile);
    const raw = readDvcYaml(dvcfile, display);
    pipelines.push(expandPipeline(raw, { root: repo.root, dvcfile, display, files: paramsFiles }));
    const lockFile = lockPathFor(dvcfile);
    locks.set(dvcfile, readLockFile(lockFile, repo.relative(lockFile)));
  }
  return {
    repo,
    pipelines,
    stages: pipelines.flatMap((pipeline) => pipeline.stages),
    dataSources: dvcFiles.map((file) => loadDataSource(repo, file)),
    locks,
    paramsFiles,
  };
}
