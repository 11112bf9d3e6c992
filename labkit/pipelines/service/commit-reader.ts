/**
 * Files as the learner's last commit (HEAD) holds them, for the parameters and metrics diff, read
 * without running git in the learner's repository. Git reads a repository's `.git/config`, and a
 * config can make git run programs (`core.fsmonitor`, hooks, …): running git there as the labkit
 * user would run what the learner wrote as that user, who keeps the tracking data checks trust.
 *
 * So HEAD is resolved here from the learner's files (`.git/HEAD`, the loose ref or `packed-refs`),
 * and the blobs are read by `git cat-file --batch` in a bare repository of the service's own
 * (its own config, none from the system or home) whose object store is the learner's
 * (`GIT_OBJECT_DIRECTORY`): git only reads objects there, which are data.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const hexId = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const maxSymbolicRefs = 5;
const maxBlobBytes = 16 * 1024 * 1024;
/** A batch whose output is larger fails as a whole (the diff then has no commit side). */
const maxOutputBytes = 64 * 1024 * 1024;

type GitLayout = { top: string; gitDir: string; commonDir: string };

/** The work tree holding `dir` and where its git data is (a `.git` folder, or a `.git` file's `gitdir:`). */
export function findGitLayout(dir: string): GitLayout | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const dotGit = path.join(current, '.git');
    const stat = fs.statSync(dotGit, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return { top: current, gitDir: dotGit, commonDir: dotGit };
    if (stat?.isFile()) {
      const match = /^gitdir:\s*(.+)$/m.exec(readText(dotGit) ?? '');
      if (!match) return undefined;
      const gitDir = path.resolve(current, match[1]!.trim());
      const common = readText(path.join(gitDir, 'commondir'))?.trim();
      return { top: current, gitDir, commonDir: common ? path.resolve(gitDir, common) : gitDir };
    }
    if (path.dirname(current) === current) return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A ref's commit from the loose file or `packed-refs`, following symbolic refs. */
function resolveRef(layout: GitLayout, ref: string, depth = 0): string | undefined {
  if (depth > maxSymbolicRefs || !/^refs\/[\w./-]+$/.test(ref) || ref.includes('..')) return undefined;
  const loose = readText(path.join(layout.commonDir, ...ref.split('/')))?.trim();
  if (loose !== undefined) return resolveValue(layout, loose, depth);
  for (const line of (readText(path.join(layout.commonDir, 'packed-refs')) ?? '').split('\n')) {
    const [id, name] = line.trim().split(' ');
    if (name === ref && id && hexId.test(id)) return id;
  }
  return undefined;
}

function resolveValue(layout: GitLayout, value: string, depth: number): string | undefined {
  if (hexId.test(value)) return value;
  const symbolic = /^ref:\s*(\S+)$/.exec(value);
  return symbolic ? resolveRef(layout, symbolic[1]!, depth + 1) : undefined;
}

/** The commit HEAD names; undefined before the first commit. */
export function headCommit(layout: GitLayout): string | undefined {
  const head = readText(path.join(layout.gitDir, 'HEAD'))?.trim();
  return head === undefined ? undefined : resolveValue(layout, head, 0);
}

export class CommitReader {
  private constructor(
    private readonly layout: GitLayout,
    readonly commit: string,
    private readonly viewDir: string,
  ) {}

  /**
   * A reader of HEAD for the repository holding `projectRoot`; `scratchDir` (the service's own) holds
   * the bare repository git runs in. Undefined outside git or before the first commit.
   */
  static atHead(projectRoot: string, scratchDir: string): CommitReader | undefined {
    const layout = findGitLayout(projectRoot);
    if (!layout) return undefined;
    const commit = headCommit(layout);
    if (!commit) return undefined;
    const viewDir = path.join(scratchDir, 'git-view');
    if (!fs.existsSync(path.join(viewDir, 'HEAD'))) {
      fs.mkdirSync(scratchDir, { recursive: true });
      const init = spawnSync('git', ['init', '--bare', '-q', viewDir], { env: gitEnvironment(scratchDir) });
      if (init.status !== 0) throw new Error(`git init failed: ${init.stderr?.toString().trim()}`);
    }
    return new CommitReader(layout, commit, viewDir);
  }

  /** Where `projectRoot` is in the commit's tree (`''` at the top). */
  prefixOf(projectRoot: string): string {
    return path.relative(this.layout.top, projectRoot).split(path.sep).join('/');
  }

  /** The files (paths from the work tree's top, `/`) as the commit holds them; absent ones are left out. */
  read(files: readonly string[]): Map<string, Buffer> {
    const wanted = [...new Set(files)].filter((file) => file !== '' && !/[\n\0]/.test(file));
    const found = new Map<string, Buffer>();
    if (!wanted.length) return found;
    const result = spawnSync('git', ['cat-file', '--batch'], {
      env: {
        ...gitEnvironment(path.dirname(this.viewDir)),
        GIT_DIR: this.viewDir,
        GIT_OBJECT_DIRECTORY: path.join(this.layout.commonDir, 'objects'),
      },
      input: wanted.map((file) => `${this.commit}:${file}\n`).join(''),
      maxBuffer: maxOutputBytes,
    });
    if (result.status !== 0 || !result.stdout) return found;
    const output = result.stdout;
    let at = 0;
    for (const file of wanted) {
      const end = output.indexOf(0x0a, at);
      if (end === -1) break;
      const header = output.subarray(at, end).toString('utf8');
      at = end + 1;
      const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!match) continue; // `<spec> missing`, or not a path in that commit
      const size = Number(match[2]);
      if (match[1] === 'blob' && size <= maxBlobBytes) found.set(file, output.subarray(at, at + size));
      at += size + 1;
    }
    return found;
  }
}

/** Git with no configuration but its own: nothing from the system, the home folder or a terminal. */
function gitEnvironment(home: string): NodeJS.ProcessEnv {
  // The whole environment of git, not added to this process's (whose type has more keys).
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
  } as unknown as NodeJS.ProcessEnv;
}
