/** The repository's root folder, found from this file: the runner's paths do not depend on the cwd. */
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '..');
