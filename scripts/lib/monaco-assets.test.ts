import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { ensureMonacoAssets } from './monaco-assets';

const tempDir = tempDirsForEachTest('monaco-assets-');

/** A project whose node_modules holds a fake monaco-editor of the given version and files. */
function projectWithMonaco(version: string, files: Record<string, string>): string {
  const root = tempDir();
  installMonaco(root, version, files);
  return root;
}

function installMonaco(root: string, version: string, files: Record<string, string>): void {
  const packageRoot = path.join(root, 'node_modules', 'monaco-editor');
  fs.rmSync(packageRoot, { recursive: true, force: true });
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(packageRoot, 'min', 'vs', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  fs.writeFileSync(
    path.join(packageRoot, 'package.json'),
    JSON.stringify({ name: 'monaco-editor', version }),
  );
}

function publishedFiles(root: string): Record<string, string> {
  const vs = path.join(root, 'public', 'monaco', 'vs');
  const files = fs
    .readdirSync(vs, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile());
  return Object.fromEntries(
    files
      .map((entry) => path.join(entry.parentPath, entry.name))
      .map((file) => [path.relative(vs, file), fs.readFileSync(file, 'utf8')] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

describe('ensureMonacoAssets', () => {
  it('copies the AMD build to public/monaco/vs and records the version', () => {
    const root = projectWithMonaco('0.57.0', {
      'loader.js': 'loader',
      'editor/editor.main.js': 'main',
      'assets/editor.worker-abc.js': 'worker',
    });

    expect(ensureMonacoAssets(root)).toEqual({ copied: true });
    expect(publishedFiles(root)).toEqual({
      'assets/editor.worker-abc.js': 'worker',
      'editor/editor.main.js': 'main',
      'loader.js': 'loader',
    });
    expect(fs.readFileSync(path.join(root, 'public', 'monaco', '.version'), 'utf8')).toBe('0.57.0\n');
  });

  it('does nothing when the copy is of the installed version', () => {
    const root = projectWithMonaco('0.57.0', { 'loader.js': 'loader' });
    ensureMonacoAssets(root);

    expect(ensureMonacoAssets(root)).toEqual({ copied: false });
  });

  it('replaces the copy when another version is installed, removing stale files', () => {
    const root = projectWithMonaco('0.56.0', { 'loader.js': 'old loader', 'old-chunk-1234.js': 'old' });
    ensureMonacoAssets(root);
    installMonaco(root, '0.57.0', { 'loader.js': 'new loader', 'new-chunk-5678.js': 'new' });

    expect(ensureMonacoAssets(root)).toEqual({ copied: true });
    expect(publishedFiles(root)).toEqual({ 'loader.js': 'new loader', 'new-chunk-5678.js': 'new' });
    expect(fs.readdirSync(path.join(root, 'public', 'monaco')).sort()).toEqual(['.version', 'vs']);
  });

  it('copies again when the copy lost its files', () => {
    const root = projectWithMonaco('0.57.0', { 'loader.js': 'loader' });
    ensureMonacoAssets(root);
    fs.rmSync(path.join(root, 'public', 'monaco', 'vs'), { recursive: true });

    expect(ensureMonacoAssets(root)).toEqual({ copied: true });
    expect(publishedFiles(root)).toEqual({ 'loader.js': 'loader' });
  });

  it('says so when monaco-editor is not installed', () => {
    expect(() => ensureMonacoAssets(tempDir())).toThrow(/monaco-editor is not installed/);
  });
});
