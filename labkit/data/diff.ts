/**
 * `diff`: what changed in the tracked data between two versions (two git revisions, or a revision
 * and the workspace), as `dvc diff` reports it: files and folders added, deleted and modified,
 * folders also file by file (`data/features/` modified, `data/features/test.pkl` added). A folder
 * whose listing is not in the cache is reported `not in cache`.
 */
import type { ObjectStore, TreeListing } from './cache';
import { isDirHash, type HashInfo } from './hash';
import { compareCodePoints } from './python-json';

export type DiffState = 'added' | 'deleted' | 'modified' | 'not in cache';
export type DiffEntry = { path: string; state: DiffState };

/** One side: each tracked path's hash, and a folder's listing when it is at hand. */
export type DiffSide = Map<string, { info: HashInfo; tree?: TreeListing }>;

function listingOf(store: ObjectStore, side: { info: HashInfo; tree?: TreeListing }): TreeListing | undefined {
  return side.tree ?? store.readTree(side.info.md5);
}

export function diffSides(store: ObjectStore, before: DiffSide, after: DiffSide): DiffEntry[] {
  const entries: DiffEntry[] = [];
  const paths = new Set([...before.keys(), ...after.keys()]);
  for (const path of paths) {
    const old = before.get(path);
    const current = after.get(path);
    if (old && current && old.info.md5 === current.info.md5) continue;
    const oldIsDir = old !== undefined && isDirHash(old.info.md5);
    const newIsDir = current !== undefined && isDirHash(current.info.md5);
    if (!oldIsDir && !newIsDir) {
      entries.push({ path, state: !old ? 'added' : !current ? 'deleted' : 'modified' });
      continue;
    }
    const oldTree = old && oldIsDir ? listingOf(store, old) : undefined;
    const newTree = current && newIsDir ? listingOf(store, current) : undefined;
    if ((old && oldIsDir && !oldTree) || (current && newIsDir && !newTree)) {
      entries.push({ path: `${path}/`, state: 'not in cache' });
      continue;
    }
    entries.push({ path: `${path}/`, state: !old ? 'added' : !current ? 'deleted' : 'modified' });
    const oldFiles = new Map((oldTree ?? []).map((entry) => [entry.relpath, entry.md5]));
    const newFiles = new Map((newTree ?? []).map((entry) => [entry.relpath, entry.md5]));
    if (old && !oldIsDir) oldFiles.clear();
    if (current && !newIsDir) newFiles.clear();
    for (const relpath of new Set([...oldFiles.keys(), ...newFiles.keys()])) {
      const a = oldFiles.get(relpath);
      const b = newFiles.get(relpath);
      if (a === b) continue;
      entries.push({ path: `${path}/${relpath}`, state: a === undefined ? 'added' : b === undefined ? 'deleted' : 'modified' });
    }
  }
  return entries.sort((a, b) => compareCodePoints(a.path, b.path));
}
