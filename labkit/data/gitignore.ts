/**
 * Keeping tracked data out of git as DVC does: an output `data/raw.csv` becomes the line
 * `/raw.csv` in `data/.gitignore` (the output's own folder, anchored with a leading `/`), added
 * once.
 */
import fs from 'node:fs';
import path from 'node:path';

function entryFor(output: string): { file: string; line: string } {
  return { file: path.join(path.dirname(output), '.gitignore'), line: `/${path.basename(output)}` };
}

/** Adds the output's line to its folder's `.gitignore`; returns the `.gitignore` if it changed. */
export function ignoreOutput(output: string): string | undefined {
  const { file, line } = entryFor(output);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (text.split(/\r?\n/).includes(line)) return undefined;
  fs.writeFileSync(file, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`);
  return file;
}
