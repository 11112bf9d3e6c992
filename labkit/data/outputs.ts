/**
 * The data commands' view of a workspace: every tracked output (from a `.dvc` file or a stage in
 * dvc.lock) with the content recorded for it, and what `status`, `checkout`, `commit`, `push`,
 * `pull`, `fetch` and `gc` do with such a list.
 */
import fs from 'node:fs';
import { MissingCacheError, type CheckoutChange, type ObjectStore } from './cache';
import { isDirHash, type HashInfo } from './hash';
import type { DvcRepo } from './repo';

export type TrackedOutput = {
  /** The `.dvc` file or the stage it belongs to, as DVC names it (`data.xml.dvc`, `train`). */
  owner: string;
  absolute: string;
  /** Relative to the root, with `/`. */
  display: string;
  /** What was recorded for it; undefined when nothing was yet. */
  hash?: HashInfo;
  cache: boolean;
};

export type OutputState = 'modified' | 'deleted' | 'new' | 'not in cache';

/** DVC's `status` of one output: `not in cache` first, then the workspace against the record. */
export function outputState(repo: DvcRepo, output: TrackedOutput): OutputState | undefined {
  if (output.hash && output.cache && !repo.cache.store.isComplete(output.hash.md5)) return 'not in cache';
  const current = repo.hasher.hashPath(output.absolute);
  if (!current) return 'deleted';
  if (!output.hash) return 'new';
  if (current.info.md5 !== output.hash.md5) return 'modified';
  return undefined;
}

export type CheckoutSummary = {
  changes: { display: string; change: Exclude<CheckoutChange, 'unchanged'>; isDir: boolean }[];
  failed: string[];
};

/** Makes the workspace match every cached output's record; outputs the cache lacks are listed. */
export function checkoutOutputs(repo: DvcRepo, outputs: TrackedOutput[]): CheckoutSummary {
  const summary: CheckoutSummary = { changes: [], failed: [] };
  for (const output of outputs) {
    if (!output.cache || !output.hash) continue;
    try {
      const change = repo.cache.checkout(output.absolute, output.hash, (file) => repo.hasher.hashFile(file).md5);
      if (change !== 'unchanged') {
        summary.changes.push({ display: output.display, change, isDir: isDirHash(output.hash.md5) });
      }
    } catch (error) {
      if (!(error instanceof MissingCacheError)) throw error;
      summary.failed.push(output.display);
    }
  }
  return summary;
}

/** The objects (files and `.dir` listings with their files) the outputs need. */
export function usedObjects(store: ObjectStore, outputs: TrackedOutput[]): Set<string> {
  const used = new Set<string>();
  for (const output of outputs) {
    if (!output.cache || !output.hash) continue;
    for (const md5 of store.objectsOf(output.hash.md5)) used.add(md5);
  }
  return used;
}

/** Removes every object of `store` not in `used`; returns how many went. */
export function collectGarbage(store: ObjectStore, used: Set<string>): number {
  let removed = 0;
  for (const md5 of store.listObjects()) {
    if (used.has(md5)) continue;
    fs.rmSync(store.objectPath(md5), { force: true });
    removed += 1;
  }
  return removed;
}

/** The outputs' own hashes (a directory's `.dir` first, so transfers can read its listing). */
export function recordedHashes(outputs: TrackedOutput[]): string[] {
  return [...new Set(outputs.filter((output) => output.cache && output.hash).map((output) => output.hash!.md5))];
}
