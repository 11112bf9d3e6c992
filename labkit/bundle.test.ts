import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { bundleCli, labkitBundle, labkitBundleHash, writeLabkitBundle } from './bundle';

describe('the labkit bundle for the sandbox image', () => {
  const temp = tempDirsForEachTest();

  it('holds the wrapper, the entry module with its chunks and the Python client without its tests', () => {
    const paths = labkitBundle().map((file) => file.path);
    expect(paths.slice(0, 2)).toEqual(['bin/labkit', 'lib/labkit.mjs']);
    const chunks = paths.filter((p) => p.startsWith('lib/') && p !== 'lib/labkit.mjs');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((p) => /^lib\/chunks\/[\w-]+\.mjs$/.test(p))).toBe(true);
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

  it('loads only the code of the command that runs: a pipeline command never compiles the tracking server', () => {
    const files = new Map(bundleCli().map((file) => [file.path, file.content.toString('utf8')]));
    // What Node loads for a command: the entry, the command's chunk and what they import statically.
    const loaded = (start: string[]) => {
      const seen = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const text = files.get(file);
        if (text === undefined) throw new Error(`${file} is imported but not in the bundle`);
        for (const [, target] of text.matchAll(
          /(?:import|export)[^"'()]*?from\s*["'](\.{1,2}\/[^"']+)["']/g,
        )) {
          visit(path.posix.join(path.posix.dirname(file), target!));
        }
      };
      start.forEach(visit);
      return [...seen];
    };
    const commandChunk = (name: string) => {
      const found = [...files.keys()].find((file) => file.startsWith(`lib/chunks/${name}-`));
      if (!found) throw new Error(`no chunk for the ${name} command`);
      return found;
    };
    const size = (list: string[]) => list.reduce((total, file) => total + files.get(file)!.length, 0);
    const pipeline = loaded(['lib/labkit.mjs', commandChunk('pipeline')]);
    const serveChunk = commandChunk('serve');
    const serve = loaded(['lib/labkit.mjs', serveChunk]);
    const hasFastify = (file: string) => files.get(file)!.includes('fastify');
    expect(pipeline.length).toBeGreaterThan(2); // the shared chunks were followed
    expect(pipeline.some(hasFastify)).toBe(false);
    // `serve` loads the code of the one service it serves, by import(): each brings Fastify, and
    // neither brings the other.
    expect(serve.some(hasFastify)).toBe(false);
    const services = [...files.get(serveChunk)!.matchAll(/import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)].map(
      ([, target]) => path.posix.join(path.posix.dirname(serveChunk), target!),
    );
    expect(services).toHaveLength(2);
    for (const [index, service] of services.entries()) {
      const closure = loaded([service]);
      expect(closure.some(hasFastify)).toBe(true);
      expect(closure).not.toContain(services[1 - index]);
    }
    expect(size(pipeline)).toBeLessThan(size([...files.keys()]) / 2);
    // The entry itself imports no command statically.
    expect(loaded(['lib/labkit.mjs']).every((file) => size([file]) < 4096)).toBe(true);
  });

  it('hashes paths, modes and bytes, so any change rebuilds the image', () => {
    const files = labkitBundle();
    expect(labkitBundleHash(files)).toBe(labkitBundleHash(files));
    const changed = files.map((file, i) =>
      i === 1 ? { ...file, content: Buffer.concat([file.content, Buffer.from(' ')]) } : file,
    );
    expect(labkitBundleHash(changed)).not.toBe(labkitBundleHash(files));
    const lastChunk = files.findLastIndex((file) => file.path.startsWith('lib/chunks/'));
    const chunkChanged = files.map((file, i) =>
      i === lastChunk ? { ...file, content: Buffer.concat([file.content, Buffer.from(' ')]) } : file,
    );
    expect(labkitBundleHash(chunkChanged)).not.toBe(labkitBundleHash(files));
    const chmodded = files.map((file, i) => (i === 0 ? { ...file, mode: 0o644 } : file));
    expect(labkitBundleHash(chmodded)).not.toBe(labkitBundleHash(files));
  });
});
