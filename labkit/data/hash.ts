/**
 * How DVC 3 names data by its content (`hash: md5`):
 *
 * - a file: the md5 of its raw bytes;
 * - a directory: the md5 of its listing — every file below it as `{"md5": …, "relpath": …}`,
 *   sorted by relpath, serialised as Python's `json.dumps(list, sort_keys=True)` — plus the suffix
 *   `.dir`. The listing itself is stored in the cache under that name (`<md5>.dir`), as DVC's
 *   `dvc_data` stores a tree. Empty folders leave no trace, as in DVC.
 *
 * Files are read through the hash cache, so unchanged files are not read twice.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HashCache, type FileStat } from './hash-cache';
import { compareCodePoints, pythonJsonString } from './python-json';

/** What `.dvc` files and `dvc.lock` record of an output: `md5` ends in `.dir` for a directory. */
export type HashInfo = { md5: string; size: number; nfiles?: number; isexec?: boolean };

/** One file of a directory, as its `.dir` listing holds it (size and isexec are labkit's extras). */
export type TreeEntry = { relpath: string; md5: string; size: number; isexec?: boolean };

export const dirSuffix = '.dir';

export function isDirHash(md5: string): boolean {
  return md5.endsWith(dirSuffix);
}

const chunkSize = 4 * 1024 * 1024;
let chunk: Buffer | undefined;

/** md5 of a file's bytes, read synchronously in 4 MiB chunks (the fastest way in Node). */
export function md5File(file: string): string {
  const hash = createHash('md5');
  chunk ??= Buffer.allocUnsafe(chunkSize);
  const fd = fs.openSync(file, 'r');
  try {
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunkSize, null);
      if (read === 0) break;
      hash.update(read === chunkSize ? chunk : chunk.subarray(0, read));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

export function md5Bytes(bytes: Buffer | string): string {
  return createHash('md5').update(bytes).digest('hex');
}

/**
 * The `.dir` listing's bytes, exactly as DVC writes and hashes them: Python's
 * `json.dumps([{"md5": …, "relpath": …}, …], sort_keys=True)`, written out directly (the keys are
 * already in sorted order) since a listing may hold many thousands of entries.
 */
export function treeBytes(entries: readonly TreeEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.relpath, b.relpath));
  const items = sorted.map(({ md5, relpath }) => `{"md5": ${pythonJsonString(md5)}, "relpath": ${pythonJsonString(relpath)}}`);
  return Buffer.from(`[${items.join(', ')}]`, 'utf8');
}

/** The directory hash (`<md5>.dir`) of a listing. */
export function treeHash(entries: readonly TreeEntry[]): string {
  return `${md5Bytes(treeBytes(entries))}${dirSuffix}`;
}

export function treeInfo(entries: readonly TreeEntry[]): HashInfo {
  return {
    md5: treeHash(entries),
    size: entries.reduce((sum, entry) => sum + entry.size, 0),
    nfiles: entries.length,
  };
}

/** Folders DVC never looks into, wherever they are. */
const alwaysIgnored = new Set(['.git', '.dvc', '.hg']);

/** Says whether a path (relative to the walked folder's repository) is left out, e.g. by `.dvcignore`. */
export type IgnoreFilter = (absolutePath: string, isDirectory: boolean) => boolean;

/** Every file below `dir` (following symbolic links to files), relative paths with `/`. */
export function listFiles(dir: string, ignore?: IgnoreFilter): { relpath: string; absolute: string }[] {
  const files: { relpath: string; absolute: string }[] = [];
  const walk = (absolute: string, relative: string) => {
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      if (entry.isDirectory() && alwaysIgnored.has(entry.name)) continue;
      const childAbsolute = `${absolute}${path.sep}${entry.name}`;
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = fs.statSync(childAbsolute, { throwIfNoEntry: false });
        isDirectory = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (ignore?.(childAbsolute, isDirectory)) continue;
      if (isDirectory) walk(childAbsolute, childRelative);
      else if (isFile) files.push({ relpath: childRelative, absolute: childAbsolute });
    }
  };
  walk(dir, '');
  return files;
}

function isExecutable(mode: number): boolean {
  return (mode & 0o100) !== 0;
}

export type HashedPath = { info: HashInfo; tree?: TreeEntry[] };

/** Hashes files and directories through a hash cache. */
export class Hasher {
  constructor(
    readonly cache: HashCache = HashCache.inMemory(),
    readonly ignore?: IgnoreFilter,
  ) {}

  /** md5, size and executable bit of one file, read only when the hash cache does not know it. */
  hashFile(file: string, stat?: fs.Stats): HashInfo {
    const fileStat = stat ?? fs.statSync(file);
    const key: FileStat = { ino: fileStat.ino, size: fileStat.size, mtimeMs: fileStat.mtimeMs };
    let md5 = this.cache.get(file, key);
    if (!md5) {
      md5 = md5File(file);
      this.cache.set(file, key, md5);
    }
    const info: HashInfo = { md5, size: fileStat.size };
    if (isExecutable(fileStat.mode)) info.isexec = true;
    return info;
  }

  /** The listing of a directory, each file hashed. */
  hashTree(dir: string): TreeEntry[] {
    return listFiles(dir.endsWith(path.sep) ? dir.slice(0, -1) : dir, this.ignore).map(({ relpath, absolute }) => {
      const { md5, size, isexec } = this.hashFile(absolute);
      return isexec ? { relpath, md5, size, isexec } : { relpath, md5, size };
    });
  }

  /** A file's or a directory's hash; undefined when nothing is there. */
  hashPath(target: string): HashedPath | undefined {
    const stat = fs.statSync(target, { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (stat.isDirectory()) {
      const tree = this.hashTree(target);
      return { info: treeInfo(tree), tree };
    }
    return { info: this.hashFile(target, stat) };
  }
}
