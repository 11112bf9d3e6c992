/**
 * `tsx scripts/architecture-report.ts [folder]`: the figures that show whether the parts stay apart
 * and the files stay small, for a checkout of this repository (the current one by default, or an
 * older one cloned elsewhere, to compare):
 *
 * - the ten largest source files (TypeScript, JavaScript, Python and shell; tests excluded);
 * - imports between the parts, counted per pair of parts, from TypeScript's own import scanner
 *   (`ts.preProcessFile`), with the `@/` alias and relative paths resolved to a part.
 *
 * labkit counts as its own part wherever it lives (it was `lab-runner/labkit/` before it moved to
 * the top level), and the runner's contract `lab-runner/api/` apart from the rest of the runner.
 * Unit tests beside the code are left out of the import count: they may use `tests/support`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const sourcePattern = /\.(ts|tsx|mts|mjs|js|py|sh)$/;
const testPattern = /(\.test\.tsx?|\.spec\.ts|_test\.py)$|(^|\/)tests?\//;
const scannedPattern = /\.(ts|tsx|mts|mjs)$/;
const besideCodeTestPattern = /\.test\.tsx?$/;

/** The part a repository path belongs to, or undefined outside the parts we count. */
export function partOf(file: string): string | undefined {
  if (file.startsWith('labkit/') || file.startsWith('lab-runner/labkit/')) return 'labkit';
  if (file.startsWith('lab-runner/api/')) return 'lab-runner/api';
  const top = file.split('/')[0];
  return top && ['app', 'components', 'lib', 'lab-runner', 'scripts', 'tests'].includes(top)
    ? top
    : undefined;
}

/** A module specifier resolved to a repository path (without extension), or undefined for a package. */
export function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  if (specifier.startsWith('@/')) return specifier.slice(2);
  if (specifier.startsWith('.'))
    return path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  return undefined;
}

function trackedFiles(root: string): string[] {
  return execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file && !file.startsWith('lib/generated/'));
}

export type Report = {
  largest: { file: string; lines: number }[];
  imports: Map<string, number>;
};

export function architectureReport(root: string): Report {
  const files = trackedFiles(root).filter((file) => fs.existsSync(path.join(root, file)));
  const lineCount = (file: string) => fs.readFileSync(path.join(root, file), 'utf8').split('\n').length;
  const largest = files
    .filter((file) => sourcePattern.test(file) && !testPattern.test(file))
    .map((file) => ({ file, lines: lineCount(file) }))
    .sort((a, b) => b.lines - a.lines)
    .slice(0, 10);

  const imports = new Map<string, number>();
  for (const file of files.filter((candidate) => scannedPattern.test(candidate))) {
    const from = partOf(file);
    if (from !== 'tests' && besideCodeTestPattern.test(file)) continue;
    if (!from) continue;
    const scanned = ts.preProcessFile(fs.readFileSync(path.join(root, file), 'utf8'), true, true);
    for (const { fileName } of scanned.importedFiles) {
      const target = resolveSpecifier(file, fileName);
      const to = target === undefined ? undefined : partOf(target);
      if (!to || to === from) continue;
      const key = `${from} → ${to}`;
      imports.set(key, (imports.get(key) ?? 0) + 1);
    }
  }
  return { largest, imports };
}

function print(root: string): void {
  const { largest, imports } = architectureReport(root);
  console.log(`Ten largest source files (tests excluded) in ${root}:`);
  for (const { file, lines } of largest) console.log(`  ${String(lines).padStart(5)}  ${file}`);
  console.log('\nImports between parts (count of import statements):');
  for (const [pair, count] of [...imports].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`  ${String(count).padStart(5)}  ${pair}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  print(path.resolve(process.argv[2] ?? process.cwd()));
}
