/**
 * Remote storage: a local folder (or mounted share) laid out as DVC 3 lays out any remote,
 * `files/md5/<2 hex>/<30 hex>`, so `dvc pull` from the same folder works too. `push` and `fetch`
 * copy the objects one side lacks; a directory's `.dir` listing is sent after its files, so a
 * listing on the remote always means its files are there.
 */
import path from 'node:path';
import { ObjectStore } from './cache';
import { isDirHash } from './hash';
import type { DvcRepo } from './repo';

export class RemoteError extends Error {
  override name = 'RemoteError';
}

export type Remote = { name: string; url: string; store: ObjectStore };

/** A remote's folder from its configured `url` (relative folders are relative to `.dvc/`). */
export function remoteFolder(dvcDir: string, url: string): string {
  const local = url.startsWith('file://') ? url.slice('file://'.length) : url;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(local)) {
    throw new RemoteError(
      `the remote "${url}" is not a local folder; labkit supports local-folder remotes only.`,
    );
  }
  return path.resolve(dvcDir, local);
}

/** The remote named `name`, else the default (`core.remote`); a clear error when there is none. */
export function resolveRemote(repo: DvcRepo, name?: string): Remote {
  const wanted = name ?? repo.config.get('core', 'remote');
  if (!wanted) {
    throw new RemoteError(
      'no remote specified. Set a default one with\n    labkit data remote default <name>\nor use\n    labkit data push -r <name>',
    );
  }
  const remote = repo.config.remotes().find((candidate) => candidate.name === wanted);
  if (!remote) {
    throw new RemoteError(
      `there is no remote named '${wanted}'. \`labkit data remote list\` shows the remotes there are.`,
    );
  }
  return { name: remote.name, url: remote.url, store: new ObjectStore(remoteFolder(repo.dvcDir, remote.url)) };
}

export type TransferResult = { transferred: number; missing: string[] };

function copyObject(from: ObjectStore, to: ObjectStore, md5: string): void {
  to.putFile(from.objectPath(md5), md5);
}

/**
 * Copies the objects behind `hashes` (directories with their files) from one store to the other,
 * skipping those already there. Objects the source lacks are reported, not fatal.
 */
export function transfer(from: ObjectStore, to: ObjectStore, hashes: Iterable<string>): TransferResult {
  let transferred = 0;
  const missing: string[] = [];
  const done = new Set<string>();
  const send = (md5: string) => {
    if (done.has(md5)) return;
    done.add(md5);
    if (to.has(md5)) return;
    if (!from.has(md5)) {
      missing.push(md5);
      return;
    }
    copyObject(from, to, md5);
    transferred += 1;
  };
  for (const md5 of hashes) {
    if (!isDirHash(md5)) {
      send(md5);
      continue;
    }
    const tree = from.readTree(md5) ?? to.readTree(md5);
    if (!tree) {
      missing.push(md5);
      continue;
    }
    const before = missing.length;
    for (const entry of tree) send(entry.md5);
    // The listing goes last, and only when all its files made it.
    if (missing.length === before) send(md5);
    else done.add(md5);
  }
  return { transferred, missing };
}

/** Of `hashes`, those (and their directories' files) that `store` does not hold. */
export function missingFrom(store: ObjectStore, hashes: Iterable<string>, listingsFrom: ObjectStore): string[] {
  const missing = new Set<string>();
  for (const md5 of hashes) {
    if (!store.has(md5)) missing.add(md5);
    if (isDirHash(md5)) {
      const tree = listingsFrom.readTree(md5) ?? store.readTree(md5);
      for (const entry of tree ?? []) if (!store.has(entry.md5)) missing.add(entry.md5);
    }
  }
  return [...missing];
}
