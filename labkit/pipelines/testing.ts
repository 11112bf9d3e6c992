/**
 * Test helpers for the pipeline tests: a DVC repository in a temporary folder with the files a
 * test writes, `repro` run in-process with its output captured, and git for the tests that need
 * revisions.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DvcRepo } from '../data/repo';
import { buildDag } from './dag';
import { loadProject } from './project';
import { reproduce, type ReproOptions, type ReproResult } from './repro';

/** Writes files (relative path → content) below `root`. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** A DVC repository (`.dvc/` made as `labkit data init` makes it) holding `files`. */
export function makeRepo(root: string, files: Record<string, string> = {}): string {
  DvcRepo.init(root);
  writeFiles(root, files);
  return root;
}

export type ReproRun = ReproResult & { stdout: string; stderr: string; lines: string[] };

/** `repro` in `root`, as the command runs it, with its output captured. */
export async function runRepro(root: string, options: Partial<ReproOptions> = {}): Promise<ReproRun> {
  const out: string[] = [];
  const err: string[] = [];
  const repo = DvcRepo.require(root);
  const project = loadProject(repo);
  const dag = buildDag(project.stages, project.dataSources, repo.root);
  const result = await reproduce(
    project,
    dag,
    { targets: [], cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME }, ...options },
    { out: (line) => out.push(line), err: (line) => err.push(line) },
  );
  return { ...result, stdout: out.join('\n'), stderr: err.join('\n'), lines: out };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Learner',
      GIT_AUTHOR_EMAIL: 'learner@example.com',
      GIT_COMMITTER_NAME: 'Learner',
      GIT_COMMITTER_EMAIL: 'learner@example.com',
    },
  });
}

/** `git init` with one commit of everything there is. */
export function gitInit(cwd: string): void {
  git(cwd, 'init', '-q', '-b', 'main');
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '-m', 'start');
}

export function read(root: string, relative: string): string {
  return fs.readFileSync(path.join(root, relative), 'utf8');
}
