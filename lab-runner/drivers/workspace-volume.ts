/**
 * A size-capped, persistent home for one sandbox: a sparse ext4 image file, loop-mounted on the
 * host (nosuid, nodev) and bind-mounted into the container at /home/learner. overlay2 on ext4 has
 * no per-container size limit, so this is what stops a learner from filling the host's disk; it
 * also survives stopping and starting the container.
 *
 * The host only ever writes into a freshly made filesystem no learner has touched yet (starter
 * files), so it never follows a path a learner could have planted.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { StarterFile } from './driver';

const run = promisify(execFile);

export const learnerUid = 1000;
export const bridgeUid = 1002;

export type WorkspacePaths = {
  root: string;
  image: string;
  /** Mount point of the image: becomes /home/learner. */
  home: string;
  /** Owned by the bridge user: becomes /run/academy (service-proxy sockets). */
  sockets: string;
  /** Host-side record of who the sandbox belongs to (container labels cannot change). */
  record: string;
};

export function workspacePaths(sandboxesDir: string, sessionId: string): WorkspacePaths {
  const root = path.join(sandboxesDir, sessionId);
  return {
    root,
    image: path.join(root, 'home.img'),
    home: path.join(root, 'home'),
    sockets: path.join(root, 'sockets'),
    record: path.join(root, 'sandbox.json'),
  };
}

export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
}

async function isMounted(mountPoint: string): Promise<boolean> {
  const mounts = await fs.promises.readFile('/proc/self/mounts', 'utf8');
  return mounts.split('\n').some((line) => line.split(' ')[1] === mountPoint);
}

/** A relative path inside the workspace, or an error: starter files come from lab folders. */
export function safeRelativePath(relative: string): string {
  const normalised = path.posix.normalize(relative);
  if (!relative || path.posix.isAbsolute(relative) || normalised === '..' || normalised.startsWith('../')) {
    throw new WorkspaceError(`starter file path escapes the workspace: ${relative}`);
  }
  return normalised;
}

function writeStarterFiles(workDir: string, files: StarterFile[]): void {
  for (const file of files) {
    const target = path.join(workDir, safeRelativePath(file.path));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content, { mode: file.mode ?? 0o644 });
  }
}

function chownTree(dir: string, uid: number): void {
  fs.chownSync(dir, uid, uid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(child, uid);
    else fs.lchownSync(child, uid, uid);
  }
}

/** Makes a fresh home filesystem of `sizeMb` with work/ and the starter files in it, and mounts it. */
export async function createWorkspace(
  paths: WorkspacePaths,
  sizeMb: number,
  files: StarterFile[],
): Promise<void> {
  fs.mkdirSync(paths.home, { recursive: true });
  fs.mkdirSync(paths.sockets, { recursive: true });
  fs.chownSync(paths.sockets, bridgeUid, bridgeUid);
  fs.chmodSync(paths.sockets, 0o755);
  await unmountWorkspace(paths);
  fs.rmSync(paths.image, { force: true });
  fs.closeSync(fs.openSync(paths.image, 'w'));
  fs.truncateSync(paths.image, sizeMb * 1024 * 1024);
  try {
    // -m 0: no blocks reserved for root (the learner is not root); lazy init keeps mkfs instant.
    await run('mkfs.ext4', [
      '-q',
      '-F',
      '-m',
      '0',
      '-E',
      'lazy_itable_init=1,lazy_journal_init=1',
      paths.image,
    ]);
    await run('mount', ['-o', 'loop,nosuid,nodev', paths.image, paths.home]);
  } catch (error) {
    throw new WorkspaceError(
      `could not create the ${sizeMb} MB workspace (the runner needs root to loop-mount it): ${(error as Error).message}`,
    );
  }
  fs.rmSync(path.join(paths.home, 'lost+found'), { recursive: true, force: true });
  const workDir = path.join(paths.home, 'work');
  fs.mkdirSync(workDir);
  writeStarterFiles(workDir, files);
  chownTree(paths.home, learnerUid);
  fs.chmodSync(paths.home, 0o755);
}

/** Adds files to a workspace that no learner has used yet (a warm-pool sandbox being handed out). */
export function addStarterFilesToPristineWorkspace(paths: WorkspacePaths, files: StarterFile[]): void {
  const workDir = path.join(paths.home, 'work');
  writeStarterFiles(workDir, files);
  chownTree(workDir, learnerUid);
}

/** Mounts an existing workspace image again (after a host reboot). */
export async function ensureWorkspaceMounted(paths: WorkspacePaths): Promise<void> {
  if (await isMounted(paths.home)) return;
  if (!fs.existsSync(paths.image)) throw new WorkspaceError(`workspace image missing: ${paths.image}`);
  fs.mkdirSync(paths.home, { recursive: true });
  await run('mount', ['-o', 'loop,nosuid,nodev', paths.image, paths.home]);
}

export async function unmountWorkspace(paths: WorkspacePaths): Promise<void> {
  if (!(await isMounted(paths.home))) return;
  try {
    await run('umount', [paths.home]);
  } catch {
    // Busy (a container still holds it): detach now, the kernel frees it when the last user goes.
    await run('umount', ['-l', paths.home]);
  }
}

export async function removeWorkspace(paths: WorkspacePaths): Promise<void> {
  await unmountWorkspace(paths);
  fs.rmSync(paths.root, { recursive: true, force: true });
}

export function workspaceDiskUsage(paths: WorkspacePaths): number {
  const stats = fs.statfsSync(paths.home);
  return (stats.blocks - stats.bfree) * stats.bsize;
}
