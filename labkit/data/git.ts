/**
 * The few things labkit asks git, through the `git` command: whether a folder is in a work tree,
 * a file's content at a revision (`git show REV:PATH`, how `data diff`, `params diff` and
 * `metrics diff` read the other side), the files of a revision and whether git tracks a path.
 */
import { spawnSync } from 'node:child_process';

export class GitError extends Error {
  override name = 'GitError';
}

function git(cwd: string, args: string[], input?: string): { status: number; stdout: Buffer; stderr: string } {
  const result = spawnSync('git', args, { cwd, input, maxBuffer: 512 * 1024 * 1024 });
  if (result.error) throw new GitError(`git ${args[0]}: ${result.error.message}`);
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/** The top of the git work tree holding `cwd`, or undefined outside one (or without git). */
export function gitTopLevel(cwd: string): string | undefined {
  try {
    const result = git(cwd, ['rev-parse', '--show-toplevel']);
    return result.status === 0 ? result.stdout.toString('utf8').trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The commit a revision names; a revision git does not know is a `GitError` naming it. */
export function resolveRevision(cwd: string, revision: string): string {
  const result = git(cwd, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
  if (result.status !== 0) throw new GitError(`unknown git revision '${revision}'.`);
  return result.stdout.toString('utf8').trim();
}

/** A file at a revision (`path` relative to the work tree's top, with `/`), or undefined if absent. */
export function showFile(cwd: string, revision: string, path: string): Buffer | undefined {
  const result = git(cwd, ['show', `${revision}:${path}`]);
  return result.status === 0 ? result.stdout : undefined;
}

/** Every file path (from the top of the work tree) at a revision. */
export function listFilesAt(cwd: string, revision: string): string[] {
  const result = git(cwd, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', revision]);
  if (result.status !== 0) throw new GitError(`git ls-tree ${revision}: ${result.stderr.trim()}`);
  return result.stdout.toString('utf8').split('\0').filter(Boolean);
}

/** Every commit reachable from any branch or tag. */
export function allCommits(cwd: string): string[] {
  const result = git(cwd, ['rev-list', '--all']);
  if (result.status !== 0) return [];
  return result.stdout.toString('utf8').split('\n').filter(Boolean);
}

/** Whether git tracks `path` (relative to `cwd`). */
export function isTrackedByGit(cwd: string, path: string): boolean {
  try {
    return git(cwd, ['ls-files', '--error-unmatch', '--', path]).status === 0;
  } catch {
    return false;
  }
}
