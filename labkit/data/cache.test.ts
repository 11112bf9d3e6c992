import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { writeFiles } from '../pipelines/testing';
import { Cache, MissingCacheError } from './cache';
import { Hasher } from './hash';
import { HashCache } from './hash-cache';

const newDir = tempDirsForEachTest('labkit-cache-');

function setup(linkTypes?: ('copy' | 'hardlink')[]) {
  const root = newDir();
  writeFiles(root, { 'data/a.txt': 'a\n', 'data/sub/b.txt': 'b\n' });
  const hashCache = HashCache.inMemory();
  const cache = new Cache(path.join(root, '.dvc', 'cache'), hashCache, linkTypes);
  const hasher = new Hasher(hashCache);
  const hashed = hasher.hashPath(path.join(root, 'data'))!;
  cache.save(path.join(root, 'data'), hashed.info, hashed.tree);
  return { root, cache, hasher, info: hashed.info };
}

describe('the cache', () => {
  it('stores files read-only under files/md5, with the folder listing beside them', () => {
    const { cache, info } = setup();
    expect(cache.store.isComplete(info.md5)).toBe(true);
    expect(cache.store.readTree(info.md5)?.map((entry) => entry.relpath)).toEqual(['a.txt', 'sub/b.txt']);
    const object = cache.store.objectPath(info.md5);
    expect(object).toMatch(new RegExp(`files/md5/${info.md5.slice(0, 2)}/${info.md5.slice(2)}$`));
    expect(fs.statSync(object).mode & 0o777).toBe(0o444);
  });

  it('checks a folder out exactly: changed files replaced, extra files removed, writable copies', () => {
    const { root, cache, hasher, info } = setup();
    const data = path.join(root, 'data');
    writeFiles(root, { 'data/a.txt': 'edited\n', 'data/extra/new.txt': 'new\n' });
    expect(cache.checkout(data, info, (file) => hasher.hashFile(file).md5)).toBe('modified');
    expect(fs.readFileSync(path.join(data, 'a.txt'), 'utf8')).toBe('a\n');
    expect(fs.existsSync(path.join(data, 'extra'))).toBe(false);
    expect(fs.statSync(path.join(data, 'a.txt')).mode & 0o200).toBe(0o200);
    fs.rmSync(data, { recursive: true });
    expect(cache.checkout(data, info, (file) => hasher.hashFile(file).md5)).toBe('added');
    expect(cache.checkout(data, info, (file) => hasher.hashFile(file).md5)).toBe('unchanged');
  });

  it('links from the cache when cache.type asks for hardlinks', () => {
    const { root, cache, hasher, info } = setup(['hardlink', 'copy']);
    const data = path.join(root, 'restored');
    cache.checkout(data, info, (file) => hasher.hashFile(file).md5);
    const [entry] = cache.store.readTree(info.md5)!;
    expect(fs.statSync(path.join(data, 'a.txt')).ino).toBe(fs.statSync(cache.store.objectPath(entry!.md5)).ino);
  });

  it('refuses, touching nothing, to check out what it does not hold', () => {
    const { root, cache, hasher } = setup();
    const target = path.join(root, 'data', 'a.txt');
    expect(() => cache.checkout(target, { md5: 'f'.repeat(32), size: 1 }, (file) => hasher.hashFile(file).md5)).toThrow(
      MissingCacheError,
    );
    expect(fs.readFileSync(target, 'utf8')).toBe('a\n');
  });
});
