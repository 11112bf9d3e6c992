/** Where the programs the runner sends into sandboxes live (lab-runner/sandbox-scripts/). */
import path from 'node:path';

export const scriptsDir = path.join(import.meta.dirname, '..', 'sandbox-scripts');
