/**
 * `dvc.lock`, schema 2.0: what each stage last ran with. Per stage, as DVC's
 * `to_single_stage_lockfile` writes it: `cmd`, then `deps` sorted by path, `params` per file
 * (`params.yaml` first, then the other files in order; keys sorted; values as read), then `outs`
 * sorted by path. A file or directory is `{path, hash: md5, md5, size[, nfiles][, isexec]}`.
 *
 * Stages keep their order in the file; a new stage is appended. The file is replaced atomically
 * (written beside it, then renamed), so a crash or a failing stage never leaves half a lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { HashInfo } from '../data/hash';
import { compareCodePoints, type PyValue } from '../data/python-json';
import { dumpYaml, parseYaml, validate } from '../data/yaml-file';
import { defaultParamsFile } from './params-files';
import { normalizeParamsFile } from './stage';

const anything = z.custom<PyValue>(() => true);

const lockEntrySchema = z.looseObject({
  path: z.string(),
  hash: z.string().optional(),
  md5: z.string().optional(),
  size: z.number().optional(),
  nfiles: z.number().optional(),
  isexec: z.boolean().optional(),
});

export const lockStageSchema = z.looseObject({
  cmd: z.union([z.string(), z.array(z.string())]),
  deps: z.array(lockEntrySchema).optional(),
  params: z.record(z.string(), z.record(z.string(), anything)).optional(),
  outs: z.array(lockEntrySchema).optional(),
});

const lockFileSchema = z.looseObject({
  schema: z.literal('2.0', { error: 'labkit reads dvc.lock schema 2.0 (DVC 2 and 3)' }),
  stages: z.record(z.string(), lockStageSchema).nullable().optional(),
});

export type LockEntry = z.output<typeof lockEntrySchema>;
export type LockStage = z.output<typeof lockStageSchema>;
export type LockParams = Record<string, Record<string, PyValue>>;

export type LockFile = { file: string; stages: Map<string, LockStage> };

/** The dvc.lock beside a dvc.yaml. */
export function lockPathFor(dvcfile: string): string {
  return path.join(path.dirname(dvcfile), 'dvc.lock');
}

/** Reads a dvc.lock (an absent one has no stages); params files are keyed by normalised path. */
export function readLockFile(file: string, display: string): LockFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, stages: new Map() };
    throw error;
  }
  return parseLockFile(text, file, display);
}

export function parseLockFile(text: string, file: string, display: string): LockFile {
  const value = parseYaml(text, display);
  if (value === null) return { file, stages: new Map() };
  const parsed = validate(lockFileSchema, value, display);
  const stages = new Map<string, LockStage>();
  for (const [name, stage] of Object.entries(parsed.stages ?? {})) {
    if (stage.params) {
      stage.params = Object.fromEntries(
        Object.entries(stage.params).map(([paramsFile, values]) => [normalizeParamsFile(paramsFile), values]),
      );
    }
    stages.set(name, stage);
  }
  return { file, stages };
}

/** A lock entry's hash, or undefined when it records none. */
export function entryHash(entry: LockEntry | undefined): HashInfo | undefined {
  if (!entry?.md5) return undefined;
  const info: HashInfo = { md5: entry.md5, size: entry.size ?? 0 };
  if (entry.nfiles !== undefined) info.nfiles = entry.nfiles;
  if (entry.isexec) info.isexec = true;
  return info;
}

/** `{path, hash: md5, md5, size[, nfiles][, isexec]}` in DVC's order. */
export function lockEntry(defPath: string, info: HashInfo): LockEntry {
  const entry: LockEntry = { path: defPath, hash: 'md5', md5: info.md5, size: info.size };
  if (info.nfiles !== undefined) entry.nfiles = info.nfiles;
  if (info.isexec) entry.isexec = true;
  return entry;
}

const byPath = (a: { path: string }, b: { path: string }) => compareCodePoints(a.path, b.path);

/** A stage's lock entry in DVC's order; empty sections are left out. */
export function buildLockStage(
  cmd: string | string[],
  deps: LockEntry[],
  params: LockParams,
  outs: LockEntry[],
): LockStage {
  const stage: LockStage = { cmd };
  if (deps.length) stage.deps = [...deps].sort(byPath);
  const files = Object.keys(params).sort(compareCodePoints);
  if (files.length) {
    const ordered = [
      ...files.filter((file) => file === defaultParamsFile),
      ...files.filter((file) => file !== defaultParamsFile),
    ];
    stage.params = Object.fromEntries(
      ordered.map((file) => {
        const values = params[file]!;
        const keys = Object.keys(values).sort(compareCodePoints);
        return [file, Object.fromEntries(keys.map((key) => [key, values[key]!]))];
      }),
    );
  }
  if (outs.length) stage.outs = [...outs].sort(byPath);
  return stage;
}

/** The text of a dvc.lock holding `stages`. */
export function renderLockFile(stages: Map<string, LockStage>): string {
  return dumpYaml({ schema: '2.0', stages: Object.fromEntries(stages) } as Record<string, unknown>);
}

/**
 * Sets one stage's entry and rewrites the file atomically. Returns whether the file was created
 * and whether the entry changed, for DVC's "Generating lock file" / "Updating lock file" lines.
 */
export function writeLockStage(
  file: string,
  display: string,
  name: string,
  entry: LockStage,
): { created: boolean; changed: boolean } {
  const existing = readLockFile(file, display);
  const created = !fs.existsSync(file);
  const before = existing.stages.get(name);
  const changed =
    before === undefined ||
    renderLockFile(new Map([[name, before]])) !== renderLockFile(new Map([[name, entry]]));
  if (!changed && !created) return { created, changed };
  existing.stages.set(name, entry);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, renderLockFile(existing.stages));
  fs.renameSync(temporary, file);
  return { created, changed };
}
