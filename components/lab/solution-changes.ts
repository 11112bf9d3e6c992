/**
 * What copying a step's reference solution into the workspace would do to each of its files,
 * compared with the workspace as it is now: replace the learner's version, add a file the
 * workspace does not have, or change nothing (the file already is the solution's). The step panel
 * asks first, naming the files.
 */
import { FilesError, type FileContent } from './files-client';

export type SolutionChanges = {
  /** Files whose version in the workspace differs: copying overwrites them. */
  replaces: string[];
  /** Files the workspace does not have: copying creates them. */
  adds: string[];
  /** Files already as in the solution. */
  unchanged: string[];
};

/** Runner errors meaning something is at the path, just not a text file: copying replaces it. */
const notTextCodes = new Set(['NOT_A_FILE', 'BINARY_FILE', 'FILE_TOO_LARGE']);

type Change = keyof SolutionChanges;

/**
 * Compares the solution's files with the workspace's, read one at a time with `read`. A failure to
 * read that says nothing about the file (the runner unreachable) is thrown.
 */
export async function solutionChanges(
  files: readonly { path: string; content: string }[],
  read: (path: string) => Promise<Pick<FileContent, 'content'>>,
): Promise<SolutionChanges> {
  const changes: SolutionChanges = { replaces: [], adds: [], unchanged: [] };
  for (const file of files) changes[await changeTo(file, read)].push(file.path);
  return changes;
}

async function changeTo(
  file: { path: string; content: string },
  read: (path: string) => Promise<Pick<FileContent, 'content'>>,
): Promise<Change> {
  try {
    return (await read(file.path)).content === file.content ? 'unchanged' : 'replaces';
  } catch (error) {
    if (error instanceof FilesError && error.code === 'FILE_NOT_FOUND') return 'adds';
    if (error instanceof FilesError && notTextCodes.has(error.code)) return 'replaces';
    throw error;
  }
}
