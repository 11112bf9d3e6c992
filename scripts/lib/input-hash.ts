import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '@/lib/config';

const ignoredNames = new Set(['node_modules', '.next', 'generated', '.DS_Store']);

function filesUnder(absolute: string): string[] {
  if (!fs.existsSync(absolute)) return [];
  const stat = fs.statSync(absolute);
  if (stat.isFile()) return [absolute];
  return fs
    .readdirSync(absolute)
    .filter((name) => !ignoredNames.has(name))
    .sort()
    .flatMap((name) => filesUnder(path.join(absolute, name)));
}

/** SHA-256 over the paths and contents of every file under the given project-relative paths. */
export function hashInputs(relativePaths: string[]): string {
  const hash = createHash('sha256');
  for (const relative of relativePaths) {
    for (const file of filesUnder(path.join(projectRoot, relative))) {
      hash.update(path.relative(projectRoot, file));
      hash.update('\0');
      hash.update(fs.readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}
