import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { md5Bytes } from '../data/hash';
import { git, gitInit, read, writeFiles } from '../pipelines/testing';
import { data } from './data';
import { captureIo } from './testing';

const newDir = tempDirsForEachTest('labkit-data-cli-');

async function run(cwd: string, ...args: string[]) {
  const io = captureIo({ PATH: process.env.PATH });
  const code = await data(args, io, cwd);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** A git repository with DVC initialised and a dataset folder. */
async function project(): Promise<string> {
  const root = newDir();
  writeFiles(root, { 'README.md': 'project\n' });
  gitInit(root);
  writeFiles(root, {
    'data/images/a.txt': 'a\n',
    'data/images/b/c.txt': 'c\n',
    'data/table.csv': 'x,y\n1,2\n',
  });
  expect((await run(root, 'init')).code).toBe(0);
  return root;
}

describe('labkit data add', () => {
  it('writes the .dvc file as DVC 3 does, caches the data read-only and git-ignores it', async () => {
    const root = await project();
    const added = await run(root, 'add', 'data/table.csv', 'data/images');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(
      'To track the changes with git, run:\n\n\tgit add data/.gitignore data/images.dvc data/table.csv.dvc',
    );
    expect(read(root, 'data/table.csv.dvc')).toBe(
      `outs:\n- md5: ${md5Bytes('x,y\n1,2\n')}\n  size: 8\n  hash: md5\n  path: table.csv\n`,
    );
    expect(read(root, 'data/images.dvc')).toMatch(
      /^outs:\n- md5: [0-9a-f]{32}\.dir\n {2}size: 4\n {2}nfiles: 2\n {2}hash: md5\n {2}path: images\n$/,
    );
    expect(read(root, 'data/.gitignore')).toBe('/table.csv\n/images\n');
    const object = path.join(
      root,
      '.dvc/cache/files/md5',
      md5Bytes('x,y\n1,2\n').slice(0, 2),
      md5Bytes('x,y\n1,2\n').slice(2),
    );
    expect(fs.statSync(object).mode & 0o777).toBe(0o444);
  });

  it('refuses a file git already tracks, with the way out', async () => {
    const root = await project();
    const result = await run(root, 'add', 'README.md');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("output 'README.md' is already tracked by SCM (e.g. Git).");
    expect(result.stderr).toContain("git rm -r --cached 'README.md'");
  });

  it('says to run init outside a DVC repository', async () => {
    const result = await run(newDir(), 'status');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/you are not inside of a DVC repository .* Run `labkit data init`/);
  });
});

describe('labkit data status, checkout, commit', () => {
  it('reports changes in dvc status words, and checkout puts the recorded data back', async () => {
    const root = await project();
    await run(root, 'add', 'data/table.csv', 'data/images');
    expect((await run(root, 'status')).stdout).toBe('Data and pipelines are up to date.');
    writeFiles(root, { 'data/table.csv': 'changed\n', 'data/images/extra.txt': 'new\n' });
    fs.rmSync(path.join(root, 'data/images/a.txt'));
    const status = await run(root, 'status');
    expect(status.stdout).toBe(
      'data/images.dvc:\n\tchanged outs:\n\t\tmodified:           data/images\n' +
        'data/table.csv.dvc:\n\tchanged outs:\n\t\tmodified:           data/table.csv',
    );
    const checkout = await run(root, 'checkout');
    expect(checkout.stdout).toBe('M       data/images/\nM       data/table.csv\n2 files modified');
    expect(read(root, 'data/table.csv')).toBe('x,y\n1,2\n');
    expect(fs.readdirSync(path.join(root, 'data/images')).sort()).toEqual(['a.txt', 'b']);
    expect((await run(root, 'status')).stdout).toBe('Data and pipelines are up to date.');
  });

  it('brings back the data of an earlier git revision after git checkout, and diff shows what changed', async () => {
    const root = await project();
    await run(root, 'add', 'data/images');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'images v1');
    writeFiles(root, { 'data/images/a.txt': 'a, second version\n', 'data/images/d.txt': 'd\n' });
    await run(root, 'add', 'data/images');

    const diff = await run(root, 'diff');
    expect(diff.stdout).toBe(
      'Added:\n    data/images/d.txt\n\nModified:\n    data/images/\n    data/images/a.txt\n\nfiles summary: 1 added, 0 deleted, 1 modified',
    );
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'images v2');
    const between = await run(root, 'diff', 'HEAD~1', 'HEAD', '--json');
    expect(JSON.parse(between.stdout)).toEqual({
      added: [{ path: 'data/images/d.txt' }],
      deleted: [],
      modified: [{ path: 'data/images/' }, { path: 'data/images/a.txt' }],
      'not in cache': [],
    });

    git(root, 'checkout', '-q', 'HEAD~1');
    expect((await run(root, 'checkout')).code).toBe(0);
    expect(read(root, 'data/images/a.txt')).toBe('a\n');
    expect(fs.existsSync(path.join(root, 'data/images/d.txt'))).toBe(false);
    git(root, 'checkout', '-q', 'main');
    await run(root, 'checkout');
    expect(read(root, 'data/images/a.txt')).toBe('a, second version\n');
  });

  it('commit records data changed in place', async () => {
    const root = await project();
    await run(root, 'add', 'data/table.csv');
    writeFiles(root, { 'data/table.csv': 'x,y\n3,4\n' });
    const committed = await run(root, 'commit');
    expect(committed.stdout).toContain('Committed data/table.csv');
    expect(read(root, 'data/table.csv.dvc')).toContain(`md5: ${md5Bytes('x,y\n3,4\n')}`);
    expect((await run(root, 'status')).stdout).toBe('Data and pipelines are up to date.');
  });
});

describe('labkit data remote, push, pull, fetch, gc', () => {
  it('pushes to a local folder remote, and pulls into a fresh clone', async () => {
    const root = await project();
    const storage = path.join(newDir(), 'storage');
    expect((await run(root, 'remote', 'add', '-d', 'storage', storage)).code).toBe(0);
    expect(read(root, '.dvc/config')).toBe(
      `[core]\n    remote = storage\n['remote "storage"']\n    url = ${storage}\n`,
    );
    expect((await run(root, 'remote', 'list')).stdout).toBe(`storage\t${storage}\t(default)`);
    await run(root, 'add', 'data/images', 'data/table.csv');
    expect((await run(root, 'status', '-c')).stdout).toContain('\tnew:                data/table.csv');
    expect((await run(root, 'push')).stdout).toBe('4 files pushed');
    expect((await run(root, 'push')).stdout).toBe('Everything is up to date.');
    expect((await run(root, 'status', '-c')).stdout).toBe("Cache and remote 'storage' are in sync.");
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'data');

    const clone = path.join(newDir(), 'clone');
    git(path.dirname(clone), 'clone', '-q', root, clone);
    const pulled = await run(clone, 'pull');
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain('A       data/images/');
    expect(pulled.stdout).toContain('4 files fetched');
    expect(read(clone, 'data/images/b/c.txt')).toBe('c\n');
    expect(read(clone, 'data/table.csv')).toBe('x,y\n1,2\n');
  });

  it('says what to do without a remote, and refuses one that is not a folder', async () => {
    const root = await project();
    await run(root, 'add', 'data/table.csv');
    const push = await run(root, 'push');
    expect(push.code).toBe(1);
    expect(push.stderr).toContain(
      'no remote specified. Set a default one with\n    labkit data remote default <name>',
    );
    const s3 = await run(root, 'remote', 'add', 'cloud', 's3://bucket/path');
    expect(s3.stderr).toContain('labkit supports local-folder remotes only');
  });

  it('gc keeps what the workspace references and removes the rest', async () => {
    const root = await project();
    await run(root, 'add', 'data/table.csv');
    writeFiles(root, { 'data/table.csv': 'x,y\n5,6\n' });
    await run(root, 'add', 'data/table.csv');
    expect((await run(root, 'gc')).code).toBe(2);
    expect((await run(root, 'gc', '-w')).stdout).toBe('Removed 1 object from cache.');
    expect((await run(root, 'gc', '-w')).stdout).toBe("No unused 'local' cache to remove.");
    expect((await run(root, 'status')).stdout).toBe('Data and pipelines are up to date.');
  });
});

describe('labkit data as a command', () => {
  it('runs as a child process with --help and its exit codes', () => {
    const main = path.join(import.meta.dirname, 'main.ts');
    // tsx, found from the repository since the command runs in a temporary folder.
    const tsx = path.join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');
    const root = newDir();
    const labkit = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', pathToFileURL(tsx).href, main, ...args], {
        cwd: root,
        encoding: 'utf8',
      });
    const help = labkit('data', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: labkit data <subcommand>');
    const init = labkit('data', 'init');
    expect(init.status, init.stderr).toBe(0);
    expect(fs.existsSync(path.join(root, '.dvc', 'config'))).toBe(true);
    const wrong = labkit('data', 'add');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('labkit data add: Name the files or folders to add.');
  }, 60_000);
});
