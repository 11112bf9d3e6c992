import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { HashCache } from './hash-cache';
import { Hasher, md5File, treeBytes, treeHash } from './hash';

const newDir = tempDirsForEachTest('labkit-hash-');

/** A tree with nested folders, non-ASCII names (NFC and an astral character), and an empty file. */
function fixtureTree(root: string): void {
  const files: Record<string, string> = {
    'train.csv': 'a,b\n1,2\n',
    'nested/deeper/values.json': '{"x": 1}\n',
    'nested/empty.txt': '',
    'données/été.txt': 'chaleur\n',
    'emoji/🙂.txt': 'smile\n',
    'Z-upper.txt': 'sorted before lower case\n',
    'windows.txt': 'line\r\nline\r\n',
  };
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  fs.mkdirSync(path.join(root, 'empty-folder'));
}

/** DVC's directory hash computed independently, by Python's json and hashlib. */
function pythonDirHash(root: string): { md5: string; listing: string } {
  const script = `
import hashlib, json, os, sys
root = sys.argv[1]
entries = []
for dirpath, dirnames, filenames in os.walk(root):
    for name in filenames:
        full = os.path.join(dirpath, name)
        relpath = os.path.relpath(full, root).replace(os.sep, "/")
        with open(full, "rb") as f:
            entries.append({"md5": hashlib.md5(f.read()).hexdigest(), "relpath": relpath})
entries.sort(key=lambda e: e["relpath"])
text = json.dumps(entries, sort_keys=True)
print(hashlib.md5(text.encode("utf-8")).hexdigest() + ".dir")
print(text)
`;
  const [md5 = '', listing = ''] = execFileSync('python3', ['-c', script, root], { encoding: 'utf8' }).split('\n');
  return { md5, listing };
}

describe('DVC 3 hashes', () => {
  it('hashes a file as md5sum does', () => {
    const file = path.join(newDir(), 'data.bin');
    fs.writeFileSync(file, Buffer.from(Array.from({ length: 5_000_000 }, (_, i) => (i * 31) % 251)));
    const expected = execFileSync('md5sum', [file], { encoding: 'utf8' }).split(' ')[0];
    expect(md5File(file)).toBe(expected);
    expect(new Hasher().hashFile(file)).toEqual({ md5: expected, size: 5_000_000 });
  });

  it('hashes a directory exactly as Python computes it: sorted listing, json.dumps(sort_keys=True), .dir', () => {
    const root = newDir();
    fixtureTree(root);
    const expected = pythonDirHash(root);
    const hashed = new Hasher().hashPath(root)!;
    expect(hashed.info.md5).toBe(expected.md5);
    expect(treeBytes(hashed.tree!).toString('utf8')).toBe(expected.listing);
    expect(hashed.info.nfiles).toBe(7);
    expect(hashed.info.size).toBe(hashed.tree!.reduce((sum, entry) => sum + entry.size, 0));
    // Non-ASCII names are written as \\uXXXX escapes, astral characters as surrogate pairs.
    expect(expected.listing).toContain('donn\\u00e9es/\\u00e9t\\u00e9.txt');
    expect(expected.listing).toContain('emoji/\\ud83d\\ude42.txt');
  });

  it('hashes an empty directory as the empty listing', () => {
    const root = newDir();
    expect(new Hasher().hashPath(root)!.info).toEqual({ md5: treeHash([]), size: 0, nfiles: 0 });
    expect(treeHash([])).toBe('d751713988987e9331980363e24189ce.dir');
  });

  it('leaves out folders DVC never looks into and what an ignore filter refuses', () => {
    const root = newDir();
    fs.writeFileSync(path.join(root, 'kept.txt'), 'kept');
    fs.mkdirSync(path.join(root, '.git'));
    fs.writeFileSync(path.join(root, '.git', 'HEAD'), 'ref');
    fs.writeFileSync(path.join(root, 'scratch.tmp'), 'ignored');
    const hasher = new Hasher(HashCache.inMemory(), (file) => file.endsWith('.tmp'));
    expect(hasher.hashTree(root).map((entry) => entry.relpath)).toEqual(['kept.txt']);
  });

  it('marks executable files as DVC does (isexec)', () => {
    const file = path.join(newDir(), 'run.sh');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
    expect(new Hasher().hashFile(file).isexec).toBe(true);
  });
});

describe('the hash cache', () => {
  it('answers from inode, size and mtime, and forgets a file whose content changed', () => {
    const dir = newDir();
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, 'one');
    const cacheFile = path.join(dir, 'hashes.json');
    const cache = HashCache.open(cacheFile);
    const first = new Hasher(cache).hashFile(file).md5;
    cache.save();

    const reopened = HashCache.open(cacheFile);
    const stat = fs.statSync(file);
    expect(reopened.get(file, { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs })).toBe(first);
    // A stale entry (same path, other mtime) is not used.
    fs.writeFileSync(file, 'two');
    fs.utimesSync(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(new Hasher(reopened).hashFile(file).md5).toBe(md5File(file));
    expect(new Hasher(reopened).hashFile(file).md5).not.toBe(first);
  });

  it('does not read a file whose inode, size and mtime it knows', () => {
    const file = path.join(newDir(), 'a.txt');
    fs.writeFileSync(file, 'abc');
    const stat = fs.statSync(file);
    const cache = HashCache.inMemory();
    cache.set(file, { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs }, 'f'.repeat(32));
    expect(new Hasher(cache).hashFile(file).md5).toBe('f'.repeat(32));
  });

  it('starts empty from a damaged file', () => {
    const file = path.join(newDir(), 'hashes.json');
    fs.writeFileSync(file, '{not json');
    const cache = HashCache.open(file);
    expect(cache.get('/x', { ino: 1, size: 1, mtimeMs: 1 })).toBeUndefined();
  });
});
