/**
 * Keeping tracked data out of git as DVC does: an output `data/raw.csv` becomes the line
 * `/raw.csv` in `data/.gitignore` (the output's own folder, anchored with a leading `/`), added
 * once, and removed again when the output stops being tracked.
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

/** Removes the output's line; deletes a `.gitignore` left empty. */
export function unignoreOutput(output: string): void {
  const { file, line } = entryFor(output);
  if (!fs.existsSync(file)) return;
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const kept = lines.filter((existing) => existing !== line);
  if (kept.length === lines.length) return;
  const text = kept.join('\n').trim();
  if (text === '') fs.rmSync(file);
  else fs.writeFileSync(file, `${text}\n`);
}
