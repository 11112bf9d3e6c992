/**
 * `add`: starts tracking a file or folder as `dvc add` does — hashes it, stores it in the cache,
 * writes `<name>.dvc` beside it and adds `/<name>` to its folder's `.gitignore`. Adding it again
 * after a change records the new content. Refused, with DVC's words: something git already
 * tracks, and anything outside the repository or inside `.dvc`/`.git`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeDvcFile } from './dvc-file';
import { isTrackedByGit } from './git';
import { ignoreOutput } from './gitignore';
import type { HashInfo } from './hash';
import type { DvcRepo } from './repo';

export class AddError extends Error {
  override name = 'AddError';
}

export type Added = { target: string; dvcFile: string; gitignore?: string; info: HashInfo };

/** Tracks `target` (absolute); returns the files a git user should add. */
export function addPath(repo: DvcRepo, target: string, gitRoot: string | undefined): Added {
  const display = repo.relative(target);
  if (display.startsWith('..') || path.isAbsolute(display)) {
    throw new AddError(`'${target}' is outside of the repository at ${repo.root}.`);
  }
  if (display === '.' || display.split('/').some((part) => part === '.dvc' || part === '.git')) {
    throw new AddError(`'${display}' cannot be tracked: it is the repository itself or inside .dvc or .git.`);
  }
  if (!fs.existsSync(target)) throw new AddError(`'${display}' does not exist.`);
  if (gitRoot && isTrackedByGit(repo.root, display)) {
    throw new AddError(
      `output '${display}' is already tracked by SCM (e.g. Git).\n` +
        '    You can remove it from Git, then add to DVC.\n' +
        '        To stop tracking from Git:\n' +
        `            git rm -r --cached '${display}'\n` +
        `            git commit -m "stop tracking ${display}"`,
    );
  }
  const hashed = repo.hasher.hashPath(target)!;
  repo.cache.save(target, hashed.info, hashed.tree);
  repo.cache.relink(target, hashed.info);
  const dvcFile = `${target}.dvc`;
  writeDvcFile(dvcFile, path.basename(target), hashed.info);
  const gitignore = ignoreOutput(target);
  return { target, dvcFile, info: hashed.info, ...(gitignore ? { gitignore } : {}) };
}
