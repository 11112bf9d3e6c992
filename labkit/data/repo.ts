/**
 * A DVC repository as labkit sees it: the folder holding `.dvc/`, its configuration, its cache and
 * hash cache, and where labkit keeps its own files (`.dvc/tmp/labkit/`: pipeline logs, run state,
 * experiments), which DVC's own `.dvc/.gitignore` already keeps out of git.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Cache } from './cache';
import { DvcConfig } from './config';
import { Hasher } from './hash';
import { HashCache } from './hash-cache';
import { dvcignoreFilter } from './ignore';
import { parseLinkTypes } from './link';

export class NotADvcRepoError extends Error {
  override name = 'NotADvcRepoError';
  constructor(cwd: string) {
    super(
      `you are not inside of a DVC repository (checked up from ${cwd}). ` +
        'Run `labkit data init` in the project folder first.',
    );
  }
}

/** A path relative to `root` with `/` separators, as DVC files write paths. */
export function toPosixRelative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/') || '.';
}

export class DvcRepo {
  readonly dvcDir: string;
  /** `.dvc/tmp/labkit`: logs, run state, experiments. */
  readonly labkitDir: string;
  readonly config: DvcConfig;
  private openedHashCache: HashCache | undefined;
  private openedCache: Cache | undefined;
  private openedHasher: Hasher | undefined;

  constructor(readonly root: string) {
    this.dvcDir = path.join(root, '.dvc');
    this.labkitDir = path.join(this.dvcDir, 'tmp', 'labkit');
    this.config = DvcConfig.load(this.dvcDir);
  }

  /** The repository `cwd` is in (its nearest ancestor with a `.dvc` folder), or undefined. */
  static find(cwd: string): DvcRepo | undefined {
    let dir = path.resolve(cwd);
    for (;;) {
      if (fs.statSync(path.join(dir, '.dvc'), { throwIfNoEntry: false })?.isDirectory()) return new DvcRepo(dir);
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }

  static require(cwd: string): DvcRepo {
    const repo = DvcRepo.find(cwd);
    if (!repo) throw new NotADvcRepoError(path.resolve(cwd));
    return repo;
  }

  /**
   * Makes `dir` a DVC repository as `dvc init` does: `.dvc/config`, `.dvc/.gitignore` (keeping the
   * cache, tmp and local config out of git) and an empty `.dvcignore`. Returns false when it is one.
   */
  static init(dir: string): boolean {
    const dvcDir = path.join(dir, '.dvc');
    if (fs.existsSync(dvcDir)) return false;
    fs.mkdirSync(dvcDir, { recursive: true });
    fs.writeFileSync(path.join(dvcDir, 'config'), '');
    fs.writeFileSync(path.join(dvcDir, '.gitignore'), '/config.local\n/tmp\n/cache\n');
    const dvcignore = path.join(dir, '.dvcignore');
    if (!fs.existsSync(dvcignore)) {
      fs.writeFileSync(
        dvcignore,
        '# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n',
      );
    }
    return true;
  }

  /** `.dvc/cache`, or `cache.dir` from the configuration (relative to `.dvc/`). */
  get cacheDir(): string {
    const configured = this.config.get('cache', 'dir');
    return configured ? path.resolve(this.dvcDir, configured) : path.join(this.dvcDir, 'cache');
  }

  get hashCache(): HashCache {
    this.openedHashCache ??= HashCache.open(path.join(this.labkitDir, 'hashes.json'));
    return this.openedHashCache;
  }

  get hasher(): Hasher {
    this.openedHasher ??= new Hasher(this.hashCache, dvcignoreFilter(this.root));
    return this.openedHasher;
  }

  get cache(): Cache {
    this.openedCache ??= new Cache(
      this.cacheDir,
      this.hashCache,
      parseLinkTypes(this.config.get('cache', 'type')),
    );
    return this.openedCache;
  }

  relative(absolute: string): string {
    return toPosixRelative(this.root, absolute);
  }

  /** Saves what was learnt about file hashes; call before exiting. */
  close(): void {
    this.openedHashCache?.save();
  }
}
