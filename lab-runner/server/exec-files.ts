import fs from 'node:fs';
import path from 'node:path';

/** sandbox-scripts/run_with_files.py, sent with `python3 -c` when an exec carries files. */
export const runWithFilesScript = fs.readFileSync(
  path.join(import.meta.dirname, '..', 'sandbox-scripts', 'run_with_files.py'),
  'utf8',
);
