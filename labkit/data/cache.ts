/**
 * DVC 3's content-addressed cache, `.dvc/cache/files/md5/<first 2 hex>/<the other 30>` (a
 * directory's listing under its `.dir` name beside the files), read-only once written, and the
 * workspace made to match a hash from it. A local-folder remote has the same layout, so the same
 * class serves both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDirHash, listFiles, treeBytes, treeHash, type HashInfo, type TreeEntry } from './hash';
import type { HashCache } from './hash-cache';
import { defaultLinkTypes, linkFromCache, type LinkType } from './link';

export type TreeListing = { relpath: string; md5: string }[];

/** What checking out one output changed in the workspace. */
export type CheckoutChange = 'added' | 'modified' | 'deleted' | 'unchanged';

export class MissingCacheError extends Error {
  override name = 'MissingCacheError';
  constructor(
    readonly md5: string,
    readonly target: string,
  ) {
    super(`${target}: its content (${md5}) is not in the cache.`);
  }
}

export class ObjectStore {
  /** `<root>/files/md5`, where the objects are. */
  readonly objectsDir: string;

  constructor(
    /** `.dvc/cache` (or a remote's folder). */
    readonly root: string,
  ) {
    this.objectsDir = path.join(root, 'files', 'md5');
  }

  objectPath(md5: string): string {
    return path.join(this.objectsDir, md5.slice(0, 2), md5.slice(2));
  }

  has(md5: string): boolean {
    return fs.existsSync(this.objectPath(md5));
  }

  /** Every object's hash in the store (`<md5>` and `<md5>.dir`). */
  listObjects(): string[] {
    if (!fs.existsSync(this.objectsDir)) return [];
    const hashes: string[] = [];
    for (const prefix of fs.readdirSync(this.objectsDir)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of fs.readdirSync(path.join(this.objectsDir, prefix))) {
        if (/^[0-9a-f]{30}(\.dir)?$/.test(rest)) hashes.push(prefix + rest);
      }
    }
    return hashes;
  }

  /** Copies a file into the store under `md5` (atomically, read-only); nothing if it is there. */
  putFile(source: string, md5: string): void {
    const target = this.objectPath(md5);
    if (fs.existsSync(target)) return;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.copyFileSync(source, temporary, fs.constants.COPYFILE_FICLONE);
      fs.chmodSync(temporary, 0o444);
      fs.renameSync(temporary, target);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }

  /** Writes bytes into the store under `md5` (atomically, read-only). */
  putBytes(bytes: Buffer, md5: string): void {
    const target = this.objectPath(md5);
    if (fs.existsSync(target)) return;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, bytes, { mode: 0o444 });
    fs.renameSync(temporary, target);
  }

  /** Stores a directory's files (from the workspace folder `dir`) and its `.dir` listing. */
  putTree(dir: string, entries: readonly TreeEntry[]): string {
    for (const entry of entries) this.putFile(path.join(dir, ...entry.relpath.split('/')), entry.md5);
    const md5 = treeHash(entries);
    this.putBytes(treeBytes(entries), md5);
    return md5;
  }

  /** A directory's listing from its `.dir` object; undefined when the object is missing. */
  readTree(md5: string): TreeListing | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.objectPath(md5), 'utf8');
    } catch {
      return undefined;
    }
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) throw new Error(`The cache object ${md5} is not a directory listing.`);
    return parsed.map((entry) => {
      const { md5: fileMd5, relpath } = entry as { md5?: unknown; relpath?: unknown };
      if (typeof fileMd5 !== 'string' || typeof relpath !== 'string') {
        throw new Error(`The cache object ${md5} holds an entry without md5 and relpath.`);
      }
      return { md5: fileMd5, relpath };
    });
  }

  /** Whether everything `md5` needs (for a directory: its listing and every file) is here. */
  isComplete(md5: string): boolean {
    if (!isDirHash(md5)) return this.has(md5);
    const tree = this.readTree(md5);
    if (tree === undefined) return false;
    return tree.every((entry) => this.has(entry.md5));
  }

  /** The objects `md5` stands for: itself, and for a directory every file it lists (when readable). */
  objectsOf(md5: string): string[] {
    if (!isDirHash(md5)) return [md5];
    const tree = this.readTree(md5);
    return [md5, ...(tree ?? []).map((entry) => entry.md5)];
  }
}

/** A workspace's cache: stores outputs and checks them out. */
export class Cache {
  readonly store: ObjectStore;

  constructor(
    root: string,
    readonly hashCache: HashCache,
    readonly linkTypes: readonly LinkType[] = defaultLinkTypes,
  ) {
    this.store = new ObjectStore(root);
  }

  /** Saves a hashed output (file or directory) into the cache. */
  save(target: string, info: HashInfo, tree?: readonly TreeEntry[]): void {
    if (isDirHash(info.md5)) {
      if (!tree) throw new Error(`save(${target}): a directory needs its listing.`);
      this.store.putTree(target, tree);
    } else {
      this.store.putFile(target, info.md5);
    }
  }

  private placeFile(md5: string, target: string, executable: boolean): void {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.rmSync(target, { force: true, recursive: true });
    linkFromCache(this.store.objectPath(md5), target, this.linkTypes, executable);
    const stat = fs.statSync(target);
    this.hashCache.set(target, { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs }, md5);
  }

  /**
   * Replaces a workspace file or folder, just cached, by links into the cache when the configured
   * link types start with `hardlink` or `symlink` (what they are chosen for: one copy on disk).
   */
  relink(target: string, info: HashInfo): void {
    if (this.linkTypes[0] !== 'hardlink' && this.linkTypes[0] !== 'symlink') return;
    const files = isDirHash(info.md5)
      ? (this.store.readTree(info.md5) ?? []).map((entry) => ({
          md5: entry.md5,
          file: path.join(target, ...entry.relpath.split('/')),
        }))
      : [{ md5: info.md5, file: target }];
    for (const { md5, file } of files) this.placeFile(md5, file, false);
  }

  /** The md5 of a workspace file if it is there (through the hash cache), else undefined. */
  private currentMd5(target: string): string | undefined {
    const stat = fs.statSync(target, { throwIfNoEntry: false });
    if (!stat?.isFile()) return undefined;
    const key = { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
    return this.hashCache.get(target, key);
  }

  /**
   * Makes `target` hold exactly the content `info` names: files that differ are replaced, files a
   * directory does not list are removed. Throws `MissingCacheError` (touching nothing) when the
   * cache lacks part of it. `hashOf` hashes a workspace file the hash cache does not know.
   */
  checkout(target: string, info: HashInfo, hashOf: (file: string) => string | undefined): CheckoutChange {
    if (!this.store.isComplete(info.md5)) throw new MissingCacheError(info.md5, target);
    const existed = fs.existsSync(target);
    if (!isDirHash(info.md5)) {
      const stat = fs.lstatSync(target, { throwIfNoEntry: false });
      if (stat?.isFile() && (this.currentMd5(target) ?? hashOf(target)) === info.md5) {
        return 'unchanged';
      }
      this.placeFile(info.md5, target, info.isexec === true);
      return existed ? 'modified' : 'added';
    }
    const tree = this.store.readTree(info.md5)!;
    const stat = fs.lstatSync(target, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) fs.rmSync(target, { force: true });
    fs.mkdirSync(target, { recursive: true });
    let changed = false;
    const wanted = new Set<string>();
    for (const entry of tree) {
      wanted.add(entry.relpath);
      const file = path.join(target, ...entry.relpath.split('/'));
      const fileStat = fs.lstatSync(file, { throwIfNoEntry: false });
      if (fileStat?.isFile() && (this.currentMd5(file) ?? hashOf(file)) === entry.md5) continue;
      const executable = fileStat ? (fileStat.mode & 0o100) !== 0 : false;
      this.placeFile(entry.md5, file, executable);
      changed = true;
    }
    for (const { relpath, absolute } of listFiles(target)) {
      if (!wanted.has(relpath)) {
        fs.rmSync(absolute, { force: true });
        changed = true;
      }
    }
    removeEmptyFolders(target);
    if (!existed) return 'added';
    return changed ? 'modified' : 'unchanged';
  }
}

/** Removes the empty folders below `dir` (not `dir` itself). */
function removeEmptyFolders(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const child = path.join(dir, entry.name);
    removeEmptyFolders(child);
    if (fs.readdirSync(child).length === 0) fs.rmdirSync(child);
  }
}

