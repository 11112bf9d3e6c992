/**
 * The learner's workspace as the pipelines service sees it: read, never written. The service runs
 * as the labkit user, who can read the workspace but must leave the learner the only writer of
 * their files, so the repository it opens never saves anything (`close` does nothing) and learns
 * file hashes into a cache that lives in the service's memory, across requests: a large dataset
 * the learner changed is hashed once, not on every poll.
 *
 * A learner may plant links; whatever the service sends back as file content (logs, plot images)
 * must be inside the project once links are resolved ({@link insideProject}).
 */
import fs from 'node:fs';
import path from 'node:path';
import { HashCache } from '../../data/hash-cache';
import { DvcRepo } from '../../data/repo';

/** Folders below the workspace looked into for a DVC project (`.dvc/`), besides the workspace. */
const projectSearchDepth = 2;
const skippedFolders = new Set(['.git', '.dvc', 'node_modules', '.venv', 'venv', '__pycache__']);

/**
 * The DVC projects of a workspace, as folders relative to it (`.` for the workspace itself), the
 * workspace first, then by path; none inside another.
 */
export function findProjects(workspace: string): string[] {
  const found: string[] = [];
  const isProject = (dir: string) =>
    fs.statSync(path.join(dir, '.dvc'), { throwIfNoEntry: false })?.isDirectory() === true;
  const walk = (dir: string, depth: number) => {
    if (isProject(dir)) {
      found.push(path.relative(workspace, dir).split(path.sep).join('/') || '.');
      return;
    }
    if (depth === projectSearchDepth) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory() && !skippedFolders.has(entry.name)) walk(path.join(dir, entry.name), depth + 1);
    }
  };
  walk(workspace, 0);
  return found;
}

/** A DVC repository that never writes: hashes go to a cache in memory, `close` saves nothing. */
class ReadOnlyRepo extends DvcRepo {
  constructor(
    root: string,
    private readonly sharedHashes: HashCache,
  ) {
    super(root);
  }

  override get hashCache(): HashCache {
    return this.sharedHashes;
  }

  override close(): void {
    // The learner's files are theirs: nothing is saved.
  }
}

export class Workspace {
  /** Per project root: the hash cache, seeded from the learner's own once, then kept in memory. */
  private readonly hashCaches = new Map<string, HashCache>();

  constructor(readonly root: string) {}

  projects(): string[] {
    return findProjects(this.root);
  }

  /** The project named (a folder relative to the workspace), or the first one; undefined: none. */
  choose(requested: string | undefined): string | undefined {
    const projects = this.projects();
    if (requested === undefined) return projects[0];
    return projects.includes(requested) ? requested : undefined;
  }

  /** A read-only repository for a project found by {@link projects}. */
  open(project: string): DvcRepo {
    const root = path.resolve(this.root, project);
    let hashes = this.hashCaches.get(root);
    if (!hashes) {
      // The learner's hash cache is read once (it saves rehashing what they hashed already);
      // this copy is never saved.
      hashes = HashCache.open(path.join(root, '.dvc', 'tmp', 'labkit', 'hashes.json'));
      this.hashCaches.set(root, hashes);
    }
    return new ReadOnlyRepo(root, hashes);
  }
}

/**
 * Whether `file`, with every link resolved, is inside `root` (also resolved): what the service may
 * send. A missing file is not.
 */
export function insideProject(root: string, file: string): boolean {
  try {
    const realRoot = fs.realpathSync(root);
    const real = fs.realpathSync(file);
    return real === realRoot || real.startsWith(`${realRoot}${path.sep}`);
  } catch {
    return false;
  }
}
