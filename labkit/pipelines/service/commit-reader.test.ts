import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { git, gitInit, writeFiles } from '../testing';
import { CommitReader, findGitLayout, headCommit } from './commit-reader';

const newDir = tempDirsForEachTest('labkit-commit-reader-');

function committed(files: Record<string, string>): string {
  const root = newDir();
  writeFiles(root, files);
  gitInit(root);
  return root;
}

const read = (reader: CommitReader, files: string[]) =>
  Object.fromEntries([...reader.read(files)].map(([file, bytes]) => [file, bytes.toString('utf8')]));

describe('CommitReader', () => {
  it('reads files as HEAD holds them, whatever the workspace holds now', () => {
    const root = committed({ 'params.yaml': 'lr: 0.1\n', 'sub/metrics.json': '{"acc": 1}\n' });
    writeFiles(root, { 'params.yaml': 'lr: 0.5\n' });
    const reader = CommitReader.atHead(root, newDir())!;
    expect(reader.commit).toBe(git(root, 'rev-parse', 'HEAD').trim());
    expect(read(reader, ['params.yaml', 'sub/metrics.json', 'missing.txt', 'sub'])).toEqual({
      'params.yaml': 'lr: 0.1\n',
      'sub/metrics.json': '{"acc": 1}\n',
    });
  });

  it('knows where a project folder is in the commit', () => {
    const root = committed({ 'project/params.yaml': 'lr: 0.1\n' });
    const project = path.join(root, 'project');
    const reader = CommitReader.atHead(project, newDir())!;
    expect(reader.prefixOf(project)).toBe('project');
    expect(read(reader, ['project/params.yaml'])).toEqual({ 'project/params.yaml': 'lr: 0.1\n' });
  });

  it('follows HEAD through packed refs, and has nothing before the first commit or outside git', () => {
    const root = committed({ 'a.txt': 'a\n' });
    const head = git(root, 'rev-parse', 'HEAD').trim();
    git(root, 'pack-refs', '--all');
    expect(fs.existsSync(path.join(root, '.git', 'refs', 'heads', 'main'))).toBe(false);
    expect(headCommit(findGitLayout(root)!)).toBe(head);

    const empty = newDir();
    git(empty, 'init', '-q', '-b', 'main');
    expect(CommitReader.atHead(empty, newDir())).toBeUndefined();
    expect(findGitLayout(newDir())).toBeUndefined();
  });

  it('reads a linked work tree (a .git file naming its git folder)', () => {
    const root = committed({ 'a.txt': 'main\n' });
    const linked = path.join(newDir(), 'linked');
    git(root, 'worktree', 'add', '-q', '-b', 'other', linked);
    writeFiles(linked, { 'a.txt': 'other\n' });
    git(linked, 'commit', '-q', '-am', 'other');
    const reader = CommitReader.atHead(linked, newDir())!;
    expect(reader.commit).toBe(git(linked, 'rev-parse', 'HEAD').trim());
    expect(read(reader, ['a.txt'])).toEqual({ 'a.txt': 'other\n' });
  });

  it('never runs what the learner’s git configuration or hooks name', () => {
    const root = committed({ 'params.yaml': 'lr: 0.1\n' });
    const marker = path.join(newDir(), 'ran');
    const script = path.join(root, 'evil.sh');
    fs.writeFileSync(script, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    git(root, 'config', 'core.fsmonitor', script);
    git(root, 'config', 'core.pager', script);
    git(root, 'config', 'core.hooksPath', root);
    fs.copyFileSync(script, path.join(root, '.git', 'hooks', 'post-checkout'));
    const reader = CommitReader.atHead(root, newDir())!;
    expect(read(reader, ['params.yaml'])).toEqual({ 'params.yaml': 'lr: 0.1\n' });
    expect(fs.existsSync(marker)).toBe(false);
  });
});
