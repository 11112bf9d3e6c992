/**
 * Every output the repository tracks — `.dvc` files' and stages' (from dvc.lock) — in the form
 * the data commands use, now or at a git revision. At a revision, `.dvc` files and dvc.lock files
 * are read with `git show`; a stage's lock paths are relative to its `wdir`, read from that
 * revision's dvc.yaml when it is written plainly (the dvc.yaml's folder otherwise).
 */
import path from 'node:path';
import { hashInfoOf, dvcFileSchema } from '../data/dvc-file';
import type { DiffSide } from '../data/diff';
import { listFilesAt, showFile } from '../data/git';
import { isPyMapping } from '../data/python-json';
import type { DvcRepo } from '../data/repo';
import type { TrackedOutput } from '../data/outputs';
import { parseYaml } from '../data/yaml-file';
import { entryHash, parseLockFile } from './lockfile';
import type { Project } from './project';

/** The tracked outputs of the workspace, with the content recorded for each. */
export function trackedOutputs(project: Project): TrackedOutput[] {
  const { repo } = project;
  const outputs: TrackedOutput[] = [];
  for (const source of project.dataSources) {
    for (const out of source.outs) {
      outputs.push({
        owner: source.addressing,
        absolute: out.absolute,
        display: repo.relative(out.absolute),
        cache: out.cache,
        ...(out.hash ? { hash: out.hash } : {}),
      });
    }
  }
  for (const stage of project.stages) {
    const lock = project.locks.get(stage.dvcfile)?.stages.get(stage.name);
    const recorded = new Map((lock?.outs ?? []).map((entry) => [entry.path, entryHash(entry)]));
    for (const out of stage.outs) {
      if (out.external) continue;
      const hash = recorded.get(out.path);
      outputs.push({
        owner: stage.addressing,
        absolute: out.absolute,
        display: repo.relative(out.absolute),
        cache: out.cache,
        ...(hash ? { hash } : {}),
      });
    }
  }
  return outputs;
}

/** The workspace side of a diff: each tracked output hashed as it is now. */
export function workspaceSide(repo: DvcRepo, outputs: TrackedOutput[]): DiffSide {
  const side: DiffSide = new Map();
  for (const output of outputs) {
    const hashed = repo.hasher.hashPath(output.absolute);
    if (hashed)
      side.set(output.display, { info: hashed.info, ...(hashed.tree ? { tree: hashed.tree } : {}) });
  }
  return side;
}

/** A stage's `wdir` as a revision's dvc.yaml writes it, when plain text. */
function wdirAt(dvcYamlText: string | undefined, stageName: string): string | undefined {
  if (!dvcYamlText) return undefined;
  try {
    const parsed = parseYaml(dvcYamlText, 'dvc.yaml');
    const stages = isPyMapping(parsed) && isPyMapping(parsed.stages) ? parsed.stages : {};
    const [group] = stageName.split('@');
    const entry = stages[stageName] ?? stages[group ?? ''];
    const definition = isPyMapping(entry) && isPyMapping(entry.do) ? entry.do : entry;
    const wdir = isPyMapping(definition) ? definition.wdir : undefined;
    return typeof wdir === 'string' && !wdir.includes('${') ? wdir : undefined;
  } catch {
    return undefined;
  }
}

/** The outputs recorded at a git revision (paths relative to the repository root). */
export function recordedAt(repo: DvcRepo, gitRoot: string, revision: string): DiffSide {
  const side: DiffSide = new Map();
  const prefix = path.relative(gitRoot, repo.root).split(path.sep).join('/');
  const inRepo = (file: string) => (prefix ? file.startsWith(`${prefix}/`) : true);
  const toRepo = (file: string) => (prefix ? file.slice(prefix.length + 1) : file);
  for (const file of listFilesAt(gitRoot, revision).filter(inRepo)) {
    const relative = toRepo(file);
    const name = path.posix.basename(relative);
    const text = () => showFile(gitRoot, revision, file)?.toString('utf8');
    if (name.endsWith('.dvc')) {
      const parsed = dvcFileSchema.safeParse(parseYaml(text() ?? '', `${relative}@${revision}`));
      if (!parsed.success) continue;
      for (const out of parsed.data.outs) {
        const hash = hashInfoOf(out);
        if (hash) side.set(path.posix.join(path.posix.dirname(relative), out.path), { info: hash });
      }
    } else if (name === 'dvc.lock') {
      const lock = parseLockFile(text() ?? '', relative, `${relative}@${revision}`);
      const dir = path.posix.dirname(relative);
      const dvcYaml = showFile(
        gitRoot,
        revision,
        path.posix.join(path.posix.dirname(file), 'dvc.yaml'),
      )?.toString('utf8');
      for (const [stageName, stage] of lock.stages) {
        const wdir = path.posix.join(dir, wdirAt(dvcYaml, stageName) ?? '.');
        for (const out of stage.outs ?? []) {
          const hash = entryHash(out);
          if (hash) side.set(path.posix.normalize(path.posix.join(wdir, out.path)), { info: hash });
        }
      }
    }
  }
  return side;
}
