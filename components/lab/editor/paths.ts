/**
 * Workspace-relative paths as the editor handles them: "src/train.py", no leading slash, "" for
 * the workspace itself. The runner validates every path again; these checks give a person a clear
 * message before a request is made.
 */

const maxNameBytes = 255;

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The folder holding `path`: "" for a top-level entry. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

export function joinPath(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name;
}

/** Every folder above `path`, outermost first: "a/b/c.py" → ["a", "a/b"]. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

/** Why `name` cannot be a new file or folder name, or null when it can. */
export function nameProblem(name: string): string | null {
  if (name.trim() === '') return 'Give it a name.';
  if (name !== name.trim()) return 'A name cannot start or end with a space.';
  if (name.includes('/') || name.includes('\\'))
    return 'A name cannot contain / or \\; create folders one at a time.';
  if (name === '.' || name === '..') return `"${name}" is not a valid name.`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A name cannot contain control characters.';
  if (new TextEncoder().encode(name).length > maxNameBytes) return 'A name can be at most 255 bytes long.';
  return null;
}

/** The path `path` gets when renamed to `newName` in the same folder. */
export function renameTarget(path: string, newName: string): string {
  return joinPath(parentOf(path), newName);
}

export function isSameOrInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** Where `path` is after `from` moved to `to` (a folder's content moves with it); null if unaffected. */
export function movedPath(path: string, from: string, to: string): string | null {
  if (!isSameOrInside(path, from)) return null;
  return to + path.slice(from.length);
}

/**
 * How each open file is labelled in its tab: its name, plus its folder when another open file
 * has the same name ("train.py · src" beside "train.py · tests").
 */
export function tabLabels(paths: readonly string[]): Map<string, { name: string; folder: string | null }> {
  const counts = new Map<string, number>();
  for (const path of paths) counts.set(baseName(path), (counts.get(baseName(path)) ?? 0) + 1);
  return new Map(
    paths.map((path) => {
      const name = baseName(path);
      const isAmbiguous = (counts.get(name) ?? 0) > 1;
      return [path, { name, folder: isAmbiguous ? parentOf(path) || '/' : null }];
    }),
  );
}
