/**
 * Which labs exist. A lab is a folder `labs/<id>/` with a `lab.yaml` (the lab format arrives with
 * the workspace issue; until then a chapter's lab card shows "coming soon").
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '@/lib/config';

export const defaultLabsDir = path.join(projectRoot, 'labs');

export function labExists(labId: string, labsDir: string = defaultLabsDir): boolean {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(labId)) return false;
  return fs.existsSync(/*turbopackIgnore: true*/ path.join(labsDir, labId, 'lab.yaml'));
}

/** "reproducible-training" → "Reproducible training". */
export function labTitleFromId(labId: string): string {
  const words = labId.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
