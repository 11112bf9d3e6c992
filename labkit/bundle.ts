/**
 * What the sandbox image carries of labkit, under `/opt/labkit`:
 *
 *   bin/labkit          sh wrapper: `exec node /opt/labkit/lib/labkit.mjs "$@"`
 *   lib/labkit.mjs      the `labkit` command's entry (cli/main.ts), bundled by esbuild for the
 *                       image's Node 18: no node_modules, no native addon
 *   lib/chunks/*.mjs    the code of each command, split out by esbuild (`splitting`, ES module
 *                       chunks), which the entry loads with `import()` when that command runs: a
 *                       `labkit pipeline repro` compiles the pipeline engine, not the tracking
 *                       server (Node's start-up is mostly compiling what it loads)
 *   python/labkit/      the learner-facing Python client (standard library only); the image puts
 *                       /opt/labkit/python on Python's path with a .pth file
 *
 * `labkitBundle()` builds it in memory (about 0.3 s) so the image's inputs hash can cover the exact
 * bytes that go in: a change to labkit's code or to a bundled dependency changes the hash and so
 * rebuilds the image, and nothing else does.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

export type BundleFile = { path: string; content: Buffer; mode: number };

const labkitDir = import.meta.dirname;
const pythonPackageDir = path.join(labkitDir, 'python', 'labkit');
/** The image's Node (Debian bookworm's nodejs). */
export const sandboxNodeTarget = 'node18';

const wrapper = `#!/bin/sh
# labkit: the in-sandbox MLOps stack (labkit in the MLOps Academy repository).
exec node /opt/labkit/lib/labkit.mjs "$@"
`;

/** Where esbuild is told it writes (nothing is written): the bundle's `lib/`. */
const virtualLibDir = path.join(labkitDir, '.bundle', 'lib');

/**
 * The `labkit` command as ES modules, paths relative to `/opt/labkit` (`lib/labkit.mjs` first,
 * then its chunks by name). Node built-ins stay imports; everything else is inlined, each
 * dependency into the chunk of the commands that use it.
 */
export function bundleCli(): BundleFile[] {
  const result = buildSync({
    entryPoints: { labkit: path.join(labkitDir, 'cli', 'main.ts') },
    bundle: true,
    splitting: true,
    outdir: virtualLibDir,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    target: sandboxNodeTarget,
    format: 'esm',
    minify: true,
    keepNames: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    // Bundled CommonJS dependencies call require() for Node built-ins (each chunk is a module).
    banner: {
      js: "import{createRequire as __labkitRequire}from'node:module';const require=__labkitRequire(import.meta.url);",
    },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const files = result.outputFiles.map((output) => ({
    path: path.posix.join('lib', path.relative(virtualLibDir, output.path).split(path.sep).join('/')),
    content: Buffer.from(output.contents),
    mode: 0o644,
  }));
  const entry = files.find((file) => file.path === 'lib/labkit.mjs');
  if (!entry) throw new Error('esbuild produced no lib/labkit.mjs for labkit/cli/main.ts');
  const chunks = files.filter((file) => file !== entry).sort((a, b) => (a.path < b.path ? -1 : 1));
  return [entry, ...chunks];
}

/** Python files of the client package, tests and caches left out. */
function pythonFiles(): BundleFile[] {
  if (!fs.existsSync(pythonPackageDir)) return [];
  const files: BundleFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__pycache__' && entry.name !== 'tests') walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        files.push({
          path: path.posix.join(
            'python',
            'labkit',
            path.relative(pythonPackageDir, full).split(path.sep).join('/'),
          ),
          content: fs.readFileSync(full),
          mode: 0o644,
        });
      }
    }
  };
  walk(pythonPackageDir);
  return files;
}

let cached: BundleFile[] | undefined;

/** Every file of `/opt/labkit`, paths relative to it, in a stable order. Built once per process. */
export function labkitBundle(): BundleFile[] {
  cached ??= [
    { path: 'bin/labkit', content: Buffer.from(wrapper), mode: 0o755 },
    ...bundleCli(),
    ...pythonFiles(),
  ];
  return cached;
}

/** SHA-256 over the bundle's paths, modes and bytes. */
export function labkitBundleHash(files = labkitBundle()): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash
      .update(file.path)
      .update('\0')
      .update(String(file.mode))
      .update('\0')
      .update(file.content)
      .update('\0');
  }
  return hash.digest('hex');
}

/** Writes the bundle into `dir` (which becomes `/opt/labkit`'s content). */
export function writeLabkitBundle(dir: string, files = labkitBundle()): void {
  for (const file of files) {
    const target = path.join(dir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content, { mode: file.mode });
    fs.chmodSync(target, file.mode);
  }
}
