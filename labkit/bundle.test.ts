import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { labkitBundle, labkitBundleHash, writeLabkitBundle } from './bundle';

describe('the labkit bundle for the sandbox image', () => {
  const temp = tempDirsForEachTest();

  it('holds the wrapper, one ES module and the Python client without its tests', () => {
    const paths = labkitBundle().map((file) => file.path);
    expect(paths.slice(0, 2)).toEqual(['bin/labkit', 'lib/labkit.mjs']);
    const python = paths.filter((p) => p.startsWith('python/'));
    expect(python.every((p) => p.startsWith('python/labkit/') && p.endsWith('.py'))).toBe(true);
    expect(python.some((p) => p.includes('/tests/') || p.includes('__pycache__'))).toBe(false);
  });

  it('runs on plain Node with no node_modules beside it', () => {
    const dir = temp();
    writeLabkitBundle(dir);
    expect(fs.statSync(path.join(dir, 'bin', 'labkit')).mode & 0o777).toBe(0o755);
    const result = spawnSync(process.execPath, [path.join(dir, 'lib', 'labkit.mjs'), '--help'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Usage: labkit <command>/);
    const unknown = spawnSync(process.execPath, [path.join(dir, 'lib', 'labkit.mjs'), 'frobnicate'], {
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('hashes paths, modes and bytes, so any change rebuilds the image', () => {
    const files = labkitBundle();
    expect(labkitBundleHash(files)).toBe(labkitBundleHash(files));
    const changed = files.map((file, i) =>
      i === 1 ? { ...file, content: Buffer.concat([file.content, Buffer.from(' ')]) } : file,
    );
    expect(labkitBundleHash(changed)).not.toBe(labkitBundleHash(files));
    const chmodded = files.map((file, i) => (i === 0 ? { ...file, mode: 0o644 } : file));
    expect(labkitBundleHash(chmodded)).not.toBe(labkitBundleHash(files));
  });
});
