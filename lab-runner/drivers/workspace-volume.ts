/**
 * A size-capped, persistent volume for one sandbox: a sparse ext4 image file, loop-mounted on the
 * host (nosuid, nodev). overlay2 on ext4 has no per-container size limit, so this is what stops a
 * learner from filling the host's disk; it also survives stopping and starting the container.
 *
 * Its root holds two folders, bind-mounted into the container separately: `home/` (the learner's,
 * at /home/learner) and `labkit/` (the labkit user's alone, 0700, at /var/lib/labkit: the data and
 * logs of the lab's labkit services). Both count against the one size cap and are emptied together
 * by a reset; the learner cannot reach the root, so cannot rename or replace the labkit folder.
 * Sandboxes made by older runners have the `home` layout: the image's root is the learner's home.
 *
 * The host only ever writes into a freshly made filesystem no learner has touched yet (starter
 * files), so it never follows a path a learner could have planted.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sandboxUids, type StarterFile } from './driver';

const run = promisify(execFile);

export const learnerUid = sandboxUids.learner;
export const bridgeUid = sandboxUids.bridge;
export const labkitUid = sandboxUids.labkit;

/**
 * `home-and-labkit`: every sandbox made now (above). `home`: made by an older runner, whose image
 * root is the learner's home and whose labkit services run as the learner.
 */
export type VolumeLayout = 'home' | 'home-and-labkit';

export type WorkspacePaths = {
  layout: VolumeLayout;
  root: string;
  image: string;
  /** Where the image is mounted on the host. */
  mountPoint: string;
  /** Becomes /home/learner. */
  home: string;
  /** Becomes /var/lib/labkit (none in the `home` layout). */
  labkitData?: string;
  /** Owned by the bridge user: becomes /run/academy (service-proxy sockets). */
  sockets: string;
  /** Host-side record of who the sandbox belongs to (container labels cannot change). */
  record: string;
};

/** Where the host-side record of a sandbox is, whatever its layout (which the record names). */
export function sandboxRecordPath(sandboxesDir: string, sessionId: string): string {
  return path.join(sandboxesDir, sessionId, 'sandbox.json');
}

export function workspacePaths(
  sandboxesDir: string,
  sessionId: string,
  layout: VolumeLayout,
): WorkspacePaths {
  const root = path.join(sandboxesDir, sessionId);
  const common = {
    layout,
    root,
    image: path.join(root, 'home.img'),
    sockets: path.join(root, 'sockets'),
    record: sandboxRecordPath(sandboxesDir, sessionId),
  };
  if (layout === 'home') {
    return { ...common, mountPoint: path.join(root, 'home'), home: path.join(root, 'home') };
  }
  const mountPoint = path.join(root, 'volume');
  return {
    ...common,
    mountPoint,
    home: path.join(mountPoint, 'home'),
    labkitData: path.join(mountPoint, 'labkit'),
  };
}

export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
}

/** The host's mount points (octal escapes in /proc/self/mounts decoded). */
async function mountPoints(): Promise<string[]> {
  const mounts = await fs.promises.readFile('/proc/self/mounts', 'utf8');
  return mounts
    .split('\n')
    .map((line) =>
      (line.split(' ')[1] ?? '').replace(/\\([0-7]{3})/g, (_, octal: string) =>
        String.fromCharCode(parseInt(octal, 8)),
      ),
    );
}

async function isMounted(mountPoint: string): Promise<boolean> {
  return (await mountPoints()).includes(mountPoint);
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

/**
 * Makes a fresh filesystem of `sizeMb` and mounts it: the home with work/ and the starter files in
 * it and, in the `home-and-labkit` layout, the labkit user's empty folder.
 */
export async function createWorkspace(
  paths: WorkspacePaths,
  sizeMb: number,
  files: StarterFile[],
): Promise<void> {
  fs.mkdirSync(paths.mountPoint, { recursive: true });
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
    await run('mount', ['-o', 'loop,nosuid,nodev', paths.image, paths.mountPoint]);
  } catch (error) {
    throw new WorkspaceError(
      `could not create the ${sizeMb} MB workspace (the runner needs root to loop-mount it): ${(error as Error).message}`,
    );
  }
  fs.rmSync(path.join(paths.mountPoint, 'lost+found'), { recursive: true, force: true });
  if (paths.labkitData) {
    fs.mkdirSync(paths.home);
    fs.mkdirSync(paths.labkitData, { mode: 0o700 });
    fs.chownSync(paths.labkitData, labkitUid, labkitUid);
  }
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
  if (await isMounted(paths.mountPoint)) return;
  if (!fs.existsSync(paths.image)) throw new WorkspaceError(`workspace image missing: ${paths.image}`);
  fs.mkdirSync(paths.mountPoint, { recursive: true });
  await run('mount', ['-o', 'loop,nosuid,nodev', paths.image, paths.mountPoint]);
}

async function unmount(mountPoint: string): Promise<void> {
  try {
    await run('umount', [mountPoint]);
  } catch {
    // Busy (a container still holds it): detach now, the kernel frees it when the last user goes.
    await run('umount', ['-l', mountPoint]);
  }
}

export async function unmountWorkspace(paths: WorkspacePaths): Promise<void> {
  if (await isMounted(paths.mountPoint)) await unmount(paths.mountPoint);
}

/** Unmounts whatever is mounted in the sandbox's folder (of either layout), then removes it. */
export async function removeWorkspace(paths: WorkspacePaths): Promise<void> {
  const inside = (await mountPoints()).filter((mountPoint) => path.dirname(mountPoint) === paths.root);
  for (const mountPoint of inside) await unmount(mountPoint);
  fs.rmSync(paths.root, { recursive: true, force: true });
}

/** Bytes used on the volume: the learner's home and the labkit services' data together. */
export function workspaceDiskUsage(paths: WorkspacePaths): number {
  const stats = fs.statfsSync(paths.mountPoint);
  return (stats.blocks - stats.bfree) * stats.bsize;
}
