/**
 * Putting a cached file into the workspace, the ways DVC's `cache.type` names: `reflink` (a
 * copy-on-write clone, on filesystems that have them), `hardlink`, `symlink` or `copy`, tried in
 * the configured order. DVC's default is `reflink,copy`: a learner's script may then write into a
 * tracked file without touching the cache. Hard and symbolic links share the cache's read-only
 * file, so DVC (and labkit) unlink a workspace file before replacing it, never write through it.
 */
import fs from 'node:fs';

export const linkTypes = ['reflink', 'hardlink', 'symlink', 'copy'] as const;
export type LinkType = (typeof linkTypes)[number];

export const defaultLinkTypes: readonly LinkType[] = ['reflink', 'copy'];

/** Parses `cache.type` (`"reflink,hardlink"`); unknown names are refused with the list. */
export function parseLinkTypes(value: string | undefined): LinkType[] {
  if (value === undefined || value.trim() === '') return [...defaultLinkTypes];
  return value.split(',').map((name) => {
    const type = name.trim() as LinkType;
    if (!linkTypes.includes(type)) {
      throw new Error(`cache.type: "${name.trim()}" is not one of ${linkTypes.join(', ')}.`);
    }
    return type;
  });
}

function linkOnce(type: LinkType, source: string, target: string, executable: boolean): void {
  switch (type) {
    case 'reflink':
      fs.copyFileSync(source, target, fs.constants.COPYFILE_FICLONE_FORCE);
      fs.chmodSync(target, executable ? 0o755 : 0o644);
      return;
    case 'copy':
      fs.copyFileSync(source, target);
      fs.chmodSync(target, executable ? 0o755 : 0o644);
      return;
    case 'hardlink':
      fs.linkSync(source, target);
      return;
    case 'symlink':
      fs.symlinkSync(source, target);
      return;
  }
}

/**
 * Places `source` (a cache file) at `target` (which must not exist) with the first link type that
 * works; returns the one used.
 */
export function linkFromCache(
  source: string,
  target: string,
  types: readonly LinkType[],
  executable = false,
): LinkType {
  let lastError: unknown;
  for (const type of types) {
    try {
      linkOnce(type, source, target, executable);
      return type;
    } catch (error) {
      lastError = error;
      fs.rmSync(target, { force: true });
    }
  }
  throw new Error(
    `Could not link ${target} from the cache with any of ${types.join(', ')}: ${(lastError as Error).message}`,
  );
}
