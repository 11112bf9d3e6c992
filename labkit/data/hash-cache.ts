/**
 * The hashes labkit already computed, keyed on a file's path, inode, size and modification time
 * (to the sub-millisecond), as DVC keeps them in its state database: a file whose four keys are unchanged
 * is not read again, so `status` over a dataset of 10,000 files costs 10,000 `stat` calls.
 *
 * Kept in `.dvc/tmp/labkit/hashes.json`, written atomically when something new was hashed. It is
 * a cache: losing it (or two processes overwriting each other's entries) only costs re-hashing.
 */
import fs from 'node:fs';
import path from 'node:path';

type Entry = [ino: number, size: number, mtimeMs: number, md5: string];

/** What identifies a file's version: `mtimeMs` keeps the sub-millisecond part the filesystem records. */
export type FileStat = { ino: number; size: number; mtimeMs: number };

export class HashCache {
  private entries: Record<string, Entry>;
  private dirty = false;

  private constructor(
    readonly file: string | undefined,
    entries: Record<string, Entry>,
  ) {
    this.entries = entries;
  }

  /** The cache kept in `file` (empty when the file is missing or unreadable). */
  static open(file: string): HashCache {
    let entries: Record<string, Entry> = {};
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: number; entries?: unknown };
      if (parsed.version === 2 && typeof parsed.entries === 'object' && parsed.entries !== null) {
        entries = parsed.entries as Record<string, Entry>;
      }
    } catch {
      // Missing or damaged: start over, it is only a cache.
    }
    return new HashCache(file, entries);
  }

  /** A cache that lives only in memory (outside a DVC repository). */
  static inMemory(): HashCache {
    return new HashCache(undefined, {});
  }

  get(file: string, stat: FileStat): string | undefined {
    const entry = this.entries[file];
    if (!entry) return undefined;
    const [ino, size, mtimeMs, md5] = entry;
    return ino === stat.ino && size === stat.size && mtimeMs === stat.mtimeMs ? md5 : undefined;
  }

  set(file: string, stat: FileStat, md5: string): void {
    this.entries[file] = [stat.ino, stat.size, stat.mtimeMs, md5];
    this.dirty = true;
  }

  /** Writes the cache if anything was added since it was opened or last saved. */
  save(): void {
    if (!this.dirty || !this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify({ version: 2, entries: this.entries }));
    fs.renameSync(temporary, this.file);
    this.dirty = false;
  }
}
