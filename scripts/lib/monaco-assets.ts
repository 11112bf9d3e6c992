/**
 * The code editor loads Monaco from our own origin (`/monaco/vs`), never from a CDN: classrooms may
 * be air-gapped. This copies the AMD build shipped in node_modules to public/monaco/vs, once per
 * installed monaco-editor version.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What public/monaco/.version holds: the monaco-editor version whose files are in public/monaco/vs. */
const versionMarkerName = '.version';
/** A file every Monaco AMD build has; without it the copy is incomplete. */
const loaderFile = 'loader.js';

function installedVersion(packageRoot: string): string {
  const manifestPath = path.join(packageRoot, 'package.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`monaco-editor is not installed (${manifestPath} is missing); run npm install.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`${manifestPath} has no version.`);
  return manifest.version;
}

/**
 * Makes public/monaco/vs an exact copy of node_modules/monaco-editor/min/vs. Copies when the copy
 * is missing, incomplete or of another version (files of the old version are removed); otherwise
 * does nothing. The new copy is built beside the old one and swapped in, so a concurrent build
 * never serves a half-copied folder for long.
 */
export function ensureMonacoAssets(projectRoot: string): { copied: boolean } {
  const packageRoot = path.join(projectRoot, 'node_modules', 'monaco-editor');
  const source = path.join(packageRoot, 'min', 'vs');
  const publicMonaco = path.join(projectRoot, 'public', 'monaco');
  const target = path.join(publicMonaco, 'vs');
  const marker = path.join(publicMonaco, versionMarkerName);

  const version = installedVersion(packageRoot);
  if (!fs.existsSync(path.join(source, loaderFile))) {
    throw new Error(`${source} has no ${loaderFile}; is monaco-editor ${version} installed completely?`);
  }
  const isCurrent =
    fs.existsSync(marker) &&
    fs.readFileSync(marker, 'utf8').trim() === version &&
    fs.existsSync(path.join(target, loaderFile));
  if (isCurrent) return { copied: false };

  fs.mkdirSync(publicMonaco, { recursive: true });
  const staging = fs.mkdtempSync(path.join(publicMonaco, '.vs-'));
  try {
    fs.cpSync(source, staging, { recursive: true });
    fs.rmSync(marker, { force: true });
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  fs.writeFileSync(marker, `${version}\n`);
  return { copied: true };
}
