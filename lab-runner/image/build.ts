/**
 * The sandbox image `mlops-academy/lab:<hash>`, where the hash covers every input of the image.
 * Docker Hub is out of reach here, so the image is built from Debian's package mirror alone:
 * debootstrap (minbase) → install-packages.sh and setup-rootfs.sh in a chroot → `docker import`.
 * The Dockerfile next to this file builds the same image where a registry is reachable.
 *
 * CLI: tsx lab-runner/image/build.ts [--force] [--no-cache] [--print-hash]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import type Docker from 'dockerode';
import { z } from 'zod';
import {
  aptInstall,
  ensureDockerEngine,
  findExecutable,
  isRoot,
  systemPath,
  type Log,
} from '@/lab-runner/drivers/docker-daemon';
import { documented } from '@/lab-runner/api/environment';
import { firstIssue, listIssues } from '@/lab-runner/api/zod-issues';
import { labkitBundleHash, writeLabkitBundle } from '@/labkit/bundle';
import { projectRoot } from '../project-root';

export const sandboxImageRepository = 'mlops-academy/lab';
export const sandboxImageLatest = `${sandboxImageRepository}:latest`;
/** Every image we build carries `mlops-academy.image=lab`; nothing without it is ever removed. */
export const sandboxImageLabel = 'mlops-academy.image';
export const inputsHashLabel = 'mlops-academy.inputs-hash';

/** Settings `docker import` applies (the Dockerfile has the same lines). Part of the inputs hash. */
export const imageChanges = [
  'ENV PATH=/opt/labkit/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'ENV LANG=C.UTF-8',
  'ENV MPLBACKEND=Agg',
  'ENV HOME=/home/learner',
  'WORKDIR /home/learner/work',
  'USER learner',
  'CMD ["sleep","infinity"]',
  `LABEL ${sandboxImageLabel}=lab`,
] as const;

const debian = { suite: 'bookworm', variant: 'minbase' } as const;
const imageDir = path.join(projectRoot, 'lab-runner', 'image');
const inputFiles = [
  'packages.txt',
  'install-packages.sh',
  'setup-rootfs.sh',
  'install-labkit.sh',
  'Dockerfile',
] as const;
/** Where `--stage-labkit` puts labkit for the Dockerfile path (git-ignored). */
const dockerfileLabkitDir = path.join(imageDir, 'labkit');
const hashPrefixLength = 12;

/** .deb files of the last build, shared by debootstrap (--cache-dir) and apt in the chroot. */
const debCacheDir = path.join(projectRoot, '.cache', 'debootstrap');
/** Build trees live next to the cache: same filesystem, so debs are hard-linked, not copied. */
const rootfsParent = path.join(projectRoot, '.cache');
const rootfsPrefix = 'sandbox-rootfs-';
const packageStagePrefix = 'sandbox-packages-';
const packageStageMaxAgeMs = 7 * 24 * 60 * 60 * 1000;
const buildLockFile = path.join(projectRoot, '.cache', 'sandbox-image.lock');
/** Where the build scripts are copied inside the rootfs (removed before the import). */
const scriptsInRootfs = '/tmp/mlops-academy';

const lockPollMs = 1_000;
const lockWaitTimeoutMs = 20 * 60_000;
/** debootstrap and apt print one line per package and step; show every 50th. */
const progressEvery = 50;
const errorTailLines = 40;
const bytesPerMegabyte = 1_000_000; // as `docker images` counts

export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
}

/** Read when an image is built: by `npm run image:build`, and by the runner when its image is missing. */
export const imageBuildEnvironment = z.object({
  DEBIAN_MIRROR: documented(z.url().default('http://deb.debian.org/debian'), {
    description: 'mirror the sandbox image is built from',
    details: 'Point it at an internal mirror on an air-gapped site',
  }),
  DEBIAN_SECURITY_MIRROR: documented(
    z.union([z.url(), z.literal('none')]).default('http://deb.debian.org/debian-security'),
    { description: 'its security updates; `none` for a mirror without them' },
  ),
});

function buildEnvironment() {
  const result = imageBuildEnvironment.safeParse(process.env);
  if (!result.success) throw new ImageBuildError(`Invalid environment: ${listIssues(result.error)}`);
  return result.data;
}

const packageName = z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'is not a Debian package name');

/** packages.txt: one package a line, `#` starts a comment. Throws on anything else. */
export function parsePackageList(text: string): string[] {
  const packages: string[] = [];
  text.split('\n').forEach((line, index) => {
    const name = line.replace(/#.*/, '').trim();
    if (!name) return;
    const parsed = packageName.safeParse(name);
    if (!parsed.success) {
      throw new ImageBuildError(
        `packages.txt line ${index + 1}: "${name}" ${firstIssue(parsed.error).message}`,
      );
    }
    if (!packages.includes(name)) packages.push(name);
  });
  if (!packages.length) throw new ImageBuildError('packages.txt lists no packages');
  return packages;
}

/**
 * SHA-256 over the image's input files, the settings in this module that shape the image, and the
 * labkit bundle installed into /opt/labkit (labkit/bundle.ts).
 */
export function imageInputsHash(): string {
  const hash = createHash('sha256');
  for (const name of inputFiles) {
    hash
      .update(name)
      .update('\0')
      .update(fs.readFileSync(path.join(imageDir, name)))
      .update('\0');
  }
  hash.update(JSON.stringify({ debian, changes: imageChanges }));
  hash.update('labkit\0').update(labkitBundleHash());
  return hash.digest('hex');
}

/** `mlops-academy/lab:<first 12 hex digits of the inputs hash>`. */
export function sandboxImageRef(inputsHash = imageInputsHash()): string {
  return `${sandboxImageRepository}:${inputsHash.slice(0, hashPrefixLength)}`;
}

export type EnsureSandboxImageOptions = {
  /** Build even if the image exists. */
  force?: boolean;
  /** Install the packages afresh instead of reusing the cached package stage (debs still cached). */
  noCache?: boolean;
  log?: Log;
};
export type SandboxImage = { ref: string; built: boolean; sizeBytes: number; seconds: number };

const megabytes = (bytes: number) => `${Math.round(bytes / bytesPerMegabyte)} MB`;

async function inspectImage(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** Builds in flight in this process, so concurrent callers (test files) share one build. */
const inFlight = new Map<string, Promise<SandboxImage>>();

/**
 * Makes sure `sandboxImageRef()` exists, building it when missing (or when `force`), and points
 * `:latest` at it. Serialised across processes by a lock file, so parallel test workers wait for
 * one build instead of running two.
 */
export function ensureSandboxImage(
  docker: Docker,
  options: EnsureSandboxImageOptions = {},
): Promise<SandboxImage> {
  const inputsHash = imageInputsHash();
  const key = `${inputsHash}:${options.force ? 'force' : ''}:${options.noCache ? 'no-cache' : ''}`;
  let promise = inFlight.get(key);
  if (!promise) {
    promise = ensureImage(docker, inputsHash, options).finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
  }
  return promise;
}

async function ensureImage(
  docker: Docker,
  inputsHash: string,
  { force = false, noCache = false, log = (line: string) => console.log(line) }: EnsureSandboxImageOptions,
): Promise<SandboxImage> {
  const ref = sandboxImageRef(inputsHash);
  const upToDate = async (): Promise<SandboxImage | undefined> => {
    const image = await inspectImage(docker, ref);
    if (!image) return undefined;
    await pointLatestAt(docker, image.Id);
    log(`Sandbox image ${ref} is up to date (${megabytes(image.Size)})`);
    return { ref, built: false, sizeBytes: image.Size, seconds: 0 };
  };

  if (!force) {
    const existing = await upToDate();
    if (existing) return existing;
  }
  return withBuildLock(log, async () => {
    // Another process may have built it while we waited for the lock.
    if (!force) {
      const existing = await upToDate();
      if (existing) return existing;
    }
    const started = Date.now();
    const sizeBytes = await buildImage(docker, inputsHash, noCache, log);
    const seconds = (Date.now() - started) / 1000;
    log(`✓ Built ${ref} (${megabytes(sizeBytes)}) in ${seconds.toFixed(1)} s`);
    await removeOldSandboxImages(docker, ref, log);
    return { ref, built: true, sizeBytes, seconds };
  });
}

async function pointLatestAt(docker: Docker, imageId: string): Promise<void> {
  const latest = await inspectImage(docker, sandboxImageLatest);
  if (latest?.Id === imageId) return;
  await docker.getImage(imageId).tag({ repo: sandboxImageRepository, tag: 'latest' });
}

// ---- Cross-process build lock -------------------------------------------------------------

async function withBuildLock<T>(log: Log, action: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(buildLockFile), { recursive: true });
  const deadline = Date.now() + lockWaitTimeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(buildLockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: number;
    try {
      holder = Number.parseInt(fs.readFileSync(buildLockFile, 'utf8'), 10);
    } catch {
      continue; // released between our attempt and this read
    }
    // A lock whose holder is gone (killed build) is stale. Threads of one process (vitest's thread
    // pool) share a pid, so our own pid means "wait", not "stale".
    if (!Number.isInteger(holder) || !processExists(holder)) {
      fs.rmSync(buildLockFile, { force: true });
      continue;
    }
    if (!announced) log(`▸ Waiting for another sandbox image build (pid ${holder})…`);
    announced = true;
    if (Date.now() > deadline) {
      throw new ImageBuildError(
        `Gave up waiting for the sandbox image build of pid ${holder} (${buildLockFile})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, lockPollMs));
  }
  try {
    return await action();
  } finally {
    fs.rmSync(buildLockFile, { force: true });
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---- The build ------------------------------------------------------------------------------

/** Condenses debootstrap's and apt's one-line-per-package output into a counter. */
class ProgressLog {
  private readonly counts = new Map<string, number>();
  private readonly recent: string[] = [];

  constructor(private readonly log: Log) {}

  private static readonly perPackage: ReadonlyArray<[RegExp, string]> = [
    // debootstrap: "I: Retrieving libc6 2.36-9", "I: Unpacking libc6..."
    [/^I: Retrieving ([a-z0-9][\w+.-]*) \d/, 'retrieved'],
    [/^I: Validating ([a-z0-9][\w+.-]*) \d/, 'validated'],
    [/^I: Extracting ([a-z0-9][\w+.:-]*)\.\.\.$/, 'extracted'],
    [/^I: Unpacking ([a-z0-9][\w+.:-]*)\.\.\.$/, 'unpacked'],
    [/^I: Configuring ([a-z0-9][\w+.:-]*)\.\.\.$/, 'configured'],
    // dpkg under apt-get
    [/^Unpacking (\S+) /, 'unpacked'],
    [/^Setting up (\S+) /, 'set up'],
  ];

  /** Lines that say nothing useful here. */
  private static readonly noise: readonly RegExp[] = [
    /^Selecting previously unselected package /,
    /^Preparing to unpack /,
    /^\(Reading database /,
    /^debconf: delaying package configuration/,
    /^update-alternatives: warning: skip creation of \/usr\/share\/man\//,
    /^invoke-rc\.d: /,
  ];

  line(raw: string): void {
    const line = raw.trimEnd();
    if (!line) return;
    this.recent.push(line);
    if (this.recent.length > errorTailLines) this.recent.shift();
    for (const [pattern, verb] of ProgressLog.perPackage) {
      const match = pattern.exec(line);
      if (!match) continue;
      const count = (this.counts.get(verb) ?? 0) + 1;
      this.counts.set(verb, count);
      if (count % progressEvery === 0) this.log(`    … ${verb} ${count} packages (${match[1]})`);
      return;
    }
    if (ProgressLog.noise.some((pattern) => pattern.test(line))) return;
    this.log(`    ${line}`);
  }

  summary(): void {
    if (!this.counts.size) return;
    this.log(`    ${[...this.counts].map(([verb, count]) => `${verb} ${count}`).join(', ')} packages`);
    this.counts.clear();
  }

  tail(): string {
    return this.recent.join('\n');
  }
}

const commandEnvironment = { ...process.env, PATH: `${systemPath}:${process.env.PATH ?? ''}`, LC_ALL: 'C' };

function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Runs a command with its output (stdout and stderr) going through `progress`. */
async function run(command: string, args: string[], progress: ProgressLog): Promise<void> {
  const child = spawn(command, args, { env: commandEnvironment, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    readline
      .createInterface({ input: stream, crlfDelay: Infinity })
      .on('line', (line) => progress.line(line));
  }
  const code = await exitOf(child);
  progress.summary();
  if (code !== 0) {
    throw new ImageBuildError(
      `${path.basename(command)} failed (exit ${code}). Last lines:\n${progress.tail()}`,
    );
  }
}

/** Runs a POSIX sh script inside the rootfs as root with a clean environment. */
function runInRootfs(root: string, script: string, args: string[], progress: ProgressLog): Promise<void> {
  return run(
    'chroot',
    [
      root,
      '/usr/bin/env',
      '-i',
      `PATH=${systemPath}`,
      'HOME=/root',
      'LANG=C.UTF-8',
      'DEBIAN_FRONTEND=noninteractive',
      '/bin/sh',
      `${scriptsInRootfs}/${script}`,
      ...args,
    ],
    progress,
  );
}

function ensureBuildTools(log: Log): void {
  if (!isRoot()) {
    throw new ImageBuildError(
      'Building the sandbox image needs root (debootstrap, chroot). Run it as root, or build the ' +
        'Dockerfile on a host with a registry (see lab-runner/image/README.md).',
    );
  }
  if (!findExecutable('debootstrap')) aptInstall(['debootstrap'], log);
}

/** Hard-links (or, across filesystems, copies) every .deb in `from` that `to` lacks. */
function linkDebs(from: string, to: string): number {
  let linked = 0;
  const present = new Set(fs.readdirSync(to));
  for (const name of fs.readdirSync(from)) {
    if (!name.endsWith('.deb') || present.has(name)) continue;
    try {
      fs.linkSync(path.join(from, name), path.join(to, name));
    } catch {
      fs.copyFileSync(path.join(from, name), path.join(to, name));
    }
    linked += 1;
  }
  return linked;
}

/** Keeps exactly the debs of this build in the cache, so it does not grow with every release. */
function refreshDebCache(archives: string): { added: number; removed: number } {
  const added = linkDebs(archives, debCacheDir);
  const used = new Set(fs.readdirSync(archives));
  let removed = 0;
  for (const name of fs.readdirSync(debCacheDir)) {
    if (name.endsWith('.deb') && !used.has(name)) {
      fs.rmSync(path.join(debCacheDir, name));
      removed += 1;
    }
  }
  return { added, removed };
}

/** Mount points at or below `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  const unescape = (field: string) =>
    field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
  return fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => unescape(line.split(' ')[1] ?? ''))
    .filter((mountPoint) => mountPoint === dir || mountPoint.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * Removes a build tree. We mount nothing, but debootstrap mounts /proc and /sys in the target
 * while it runs and a killed debootstrap leaves them: unmount first, and never delete through a
 * mount point (rm --one-file-system).
 */
function removeRootfs(dir: string, log: Log): void {
  for (const mountPoint of mountsUnder(dir)) {
    if (spawnSync('umount', [mountPoint]).status !== 0) spawnSync('umount', ['-l', mountPoint]);
  }
  const left = mountsUnder(dir);
  if (left.length) {
    log(`! Left ${dir} in place: ${left.join(', ')} is still mounted`);
    return;
  }
  const result = spawnSync('rm', ['-rf', '--one-file-system', dir], { encoding: 'utf8' });
  if (result.status !== 0) log(`! Could not remove ${dir}: ${result.stderr.trim()}`);
}

type BuildContext = {
  root: string;
  mirror: string;
  securityMirror: string;
  progress: ProgressLog;
  log: Log;
  stage: (title: string) => void;
};

/** Copies build scripts into the tree, where the chroot can run them. */
function copyScriptsIntoRootfs(root: string, names: string[]): string {
  const inRootfs = path.join(root, scriptsInRootfs.slice(1));
  fs.mkdirSync(inRootfs, { recursive: true });
  for (const name of names) fs.copyFileSync(path.join(imageDir, name), path.join(inRootfs, name));
  return inRootfs;
}

/** debootstrap, then install-packages.sh: a Debian tree with packages.txt installed. */
async function bootstrapAndInstall({ root, mirror, securityMirror, progress, log, stage }: BuildContext) {
  stage(`debootstrap --variant=${debian.variant} ${debian.suite} (debs cached in .cache/debootstrap)`);
  // dpkg reads this from the target: no fsync per file while unpacking a throwaway tree.
  fs.mkdirSync(path.join(root, 'etc', 'dpkg', 'dpkg.cfg.d'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc', 'dpkg', 'dpkg.cfg.d', 'mlops-academy-build'), 'force-unsafe-io\n');
  await run(
    'debootstrap',
    [`--variant=${debian.variant}`, `--cache-dir=${debCacheDir}`, debian.suite, root, mirror],
    progress,
  );

  stage('Installing packages.txt with apt-get (install-packages.sh in a chroot)');
  const inRootfs = copyScriptsIntoRootfs(root, ['packages.txt', 'install-packages.sh']);
  fs.copyFileSync('/etc/resolv.conf', path.join(root, 'etc', 'resolv.conf'));
  const archives = path.join(root, 'var', 'cache', 'apt', 'archives');
  const seeded = linkDebs(debCacheDir, archives);
  if (seeded) log(`    ${seeded} debs from the cache`);
  await runInRootfs(
    root,
    'install-packages.sh',
    [`${scriptsInRootfs}/packages.txt`, mirror, securityMirror],
    progress,
  );
  const cache = refreshDebCache(archives);
  log(`    deb cache: ${cache.added} added, ${cache.removed} outdated removed`);
  fs.rmSync(inRootfs, { recursive: true, force: true });
  // Docker provides resolv.conf, hosts and hostname at run time; keep the build host's out.
  fs.writeFileSync(path.join(root, 'etc', 'resolv.conf'), '');
}

/**
 * The package stage (the tree after install-packages.sh) is what takes a build its time: dpkg
 * unpacking and byte-compiling the Python stack, not downloading. It is kept as a tar keyed by
 * everything that shapes it, for at most a week so security updates still arrive.
 */
function packageStageFile(mirror: string, securityMirror: string): string {
  const hash = createHash('sha256');
  for (const name of ['packages.txt', 'install-packages.sh']) {
    hash
      .update(name)
      .update('\0')
      .update(fs.readFileSync(path.join(imageDir, name)))
      .update('\0');
  }
  hash.update(JSON.stringify({ debian, mirror, securityMirror }));
  return path.join(rootfsParent, `${packageStagePrefix}${hash.digest('hex').slice(0, hashPrefixLength)}.tar`);
}

function isFreshPackageStage(file: string): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < packageStageMaxAgeMs;
  } catch {
    return false;
  }
}

async function savePackageStage(root: string, file: string, progress: ProgressLog, log: Log): Promise<void> {
  const partial = `${file}.partial`;
  try {
    // The debs are in .cache/debootstrap already.
    await run(
      'tar',
      ['--numeric-owner', '-C', root, '--exclude=./var/cache/apt/archives/*.deb', '-cf', partial, '.'],
      progress,
    );
    fs.renameSync(partial, file);
    for (const name of fs.readdirSync(rootfsParent)) {
      const other = path.join(rootfsParent, name);
      if (name.startsWith(packageStagePrefix) && other !== file) fs.rmSync(other, { force: true });
    }
    log(`    ${megabytes(fs.statSync(file).size)} in ${path.relative(projectRoot, file)}`);
  } catch (error) {
    // Only a cache: the build goes on without it.
    fs.rmSync(partial, { force: true });
    log(`! Could not save the package stage: ${(error as Error).message}`);
  }
}

async function buildImage(docker: Docker, inputsHash: string, noCache: boolean, log: Log): Promise<number> {
  const started = Date.now();
  const stage = (title: string) => log(`▸ [${((Date.now() - started) / 1000).toFixed(1)} s] ${title}`);
  const ref = sandboxImageRef(inputsHash);
  const { DEBIAN_MIRROR: mirror, DEBIAN_SECURITY_MIRROR: securityMirror } = buildEnvironment();
  parsePackageList(fs.readFileSync(path.join(imageDir, 'packages.txt'), 'utf8'));
  log(`Building sandbox image ${ref} from ${mirror}`);
  ensureBuildTools(log);

  fs.mkdirSync(debCacheDir, { recursive: true });
  // Trees of builds that were killed; we hold the build lock, so none is in use.
  for (const name of fs.readdirSync(rootfsParent)) {
    if (name.startsWith(rootfsPrefix)) removeRootfs(path.join(rootfsParent, name), log);
  }
  const workDir = fs.mkdtempSync(path.join(rootfsParent, rootfsPrefix));
  const root = path.join(workDir, 'root');
  const progress = new ProgressLog(log);
  const context: BuildContext = { root, mirror, securityMirror, progress, log, stage };
  const stageFile = packageStageFile(mirror, securityMirror);
  try {
    if (!noCache && isFreshPackageStage(stageFile)) {
      stage(`Unpacking the cached package stage ${path.relative(projectRoot, stageFile)}`);
      fs.mkdirSync(root);
      await run('tar', ['--numeric-owner', '-xpf', stageFile, '-C', root], progress);
    } else {
      await bootstrapAndInstall(context);
      stage('Saving the package stage for the next build');
      await savePackageStage(root, stageFile, progress, log);
    }

    stage('Users, shell, tmux, hardening, slimming (setup-rootfs.sh in a chroot)');
    const inRootfs = copyScriptsIntoRootfs(root, ['setup-rootfs.sh']);
    await runInRootfs(root, 'setup-rootfs.sh', [inputsHash], progress);
    fs.rmSync(inRootfs, { recursive: true, force: true });

    stage('Installing labkit into /opt/labkit (install-labkit.sh in a chroot)');
    const labkitScripts = copyScriptsIntoRootfs(root, ['install-labkit.sh']);
    writeLabkitBundle(path.join(labkitScripts, 'labkit'));
    await runInRootfs(root, 'install-labkit.sh', [`${scriptsInRootfs}/labkit`], progress);
    fs.rmSync(labkitScripts, { recursive: true, force: true });

    stage('Importing the root filesystem into Docker');
    await importRootfs(docker, root, inputsHash, log);
  } finally {
    removeRootfs(workDir, log);
  }
  const image = await docker.getImage(ref).inspect();
  await pointLatestAt(docker, image.Id);
  return image.Size;
}

const importEventSchema = z.object({
  status: z.string().optional(),
  error: z.string().optional(),
  errorDetail: z.object({ message: z.string() }).optional(),
});

/** Streams the tree as a tar (numeric owners kept) into `POST /images/create?fromSrc=-`. */
async function importRootfs(docker: Docker, root: string, inputsHash: string, log: Log): Promise<void> {
  const tar = spawn(
    'tar',
    // /dev, /proc and /sys are provided by the container runtime.
    [
      '--numeric-owner',
      '-C',
      root,
      '--exclude=./dev/*',
      '--exclude=./proc/*',
      '--exclude=./sys/*',
      '-c',
      '.',
    ],
    { env: commandEnvironment, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let tarErrors = '';
  tar.stderr.on('data', (chunk: Buffer) => (tarErrors += chunk.toString()));
  let streamed = 0;
  tar.stdout.on('data', (chunk: Buffer) => (streamed += chunk.length));
  const tarExit = exitOf(tar);
  tarExit.catch(() => undefined); // awaited below unless the import fails first

  let body = '';
  try {
    const response = await docker.importImage(tar.stdout, {
      repo: sandboxImageRepository,
      tag: inputsHash.slice(0, hashPrefixLength),
      changes: [...imageChanges, `LABEL ${inputsHashLabel}=${inputsHash}`],
      message: `MLOps Academy sandbox image, inputs ${inputsHash}`,
    });
    for await (const chunk of response) body += chunk.toString();
  } catch (error) {
    tar.kill();
    throw new ImageBuildError(`docker import failed: ${(error as Error).message}`);
  }

  const events = body
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => importEventSchema.parse(JSON.parse(line)));
  const failure = events.find((event) => event.error || event.errorDetail);
  const imageId = events.map((event) => event.status).find((status) => status?.startsWith('sha256:'));
  const code = await tarExit;
  if (code !== 0 || failure || !imageId) {
    // A tar that died half-way still yields an image: never leave that one behind.
    if (imageId) await removeQuietly(docker, imageId);
    const reason = failure
      ? (failure.error ?? failure.errorDetail?.message)
      : code !== 0
        ? `tar exited with ${code}: ${tarErrors.trim()}`
        : 'no image id in the response';
    throw new ImageBuildError(`docker import failed: ${reason}`);
  }
  log(`    streamed ${megabytes(streamed)} as tar → ${imageId.slice(0, 19)}`);
}

async function removeQuietly(docker: Docker, imageId: string): Promise<void> {
  try {
    await docker.getImage(imageId).remove({ force: true });
  } catch {
    // already gone, or the engine went away: nothing more to do
  }
}

/**
 * Removes `mlops-academy/lab:*` images other than `keepRef` that no container (running or not)
 * uses. Only images labelled `mlops-academy.image=lab` and tagged nowhere else are considered.
 */
export async function removeOldSandboxImages(
  docker: Docker,
  keepRef: string,
  log: Log = () => {},
): Promise<string[]> {
  const keep = await docker.getImage(keepRef).inspect();
  const images = await docker.listImages({ filters: { label: [`${sandboxImageLabel}=lab`] } });
  const inUse = new Set((await docker.listContainers({ all: true })).map((container) => container.ImageID));
  const removed: string[] = [];
  for (const image of images) {
    if (image.Id === keep.Id || inUse.has(image.Id)) continue;
    const tags = (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
    if (tags.some((tag) => !tag.startsWith(`${sandboxImageRepository}:`))) continue; // someone else's too
    try {
      // Untagging the last tag deletes the image; an untagged one goes by id.
      for (const name of tags.length ? tags : [image.Id]) {
        await docker.getImage(name).remove();
        removed.push(name);
      }
    } catch (error) {
      log(`! Kept old sandbox image ${tags.join(', ') || image.Id}: ${(error as Error).message}`);
    }
  }
  if (removed.length) log(`▸ Removed old sandbox images: ${removed.join(', ')}`);
  return removed;
}

// ---- CLI -----------------------------------------------------------------------------------

async function main(args: string[]): Promise<void> {
  if (args.includes('--print-hash')) {
    console.log(imageInputsHash());
    return;
  }
  if (args.includes('--stage-labkit')) {
    // The Dockerfile path copies labkit from the build context.
    fs.rmSync(dockerfileLabkitDir, { recursive: true, force: true });
    writeLabkitBundle(dockerfileLabkitDir);
    console.log(`labkit staged in ${path.relative(projectRoot, dockerfileLabkitDir)}`);
    return;
  }
  const unknown = args.filter((arg) => arg !== '--force' && arg !== '--no-cache');
  if (unknown.length) {
    console.error(
      'Usage: tsx lab-runner/image/build.ts [--force] [--no-cache] [--print-hash] [--stage-labkit]',
    );
    process.exit(2);
  }
  const { docker } = await ensureDockerEngine();
  await ensureSandboxImage(docker, { force: args.includes('--force'), noCache: args.includes('--no-cache') });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`✗ ${error.message}`);
    process.exit(1);
  });
}
