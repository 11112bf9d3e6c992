/**
 * The artifact store behind MLflow's `mlflow-artifacts` proxy: files live under
 * `<dataDir>/artifacts/`, so a run's `mlflow-artifacts:/<exp>/<run_id>/artifacts` is the folder
 * `<dataDir>/artifacts/<exp>/<run_id>/artifacts`. Every client path is checked before use: no
 * `..`, no absolute path, no NUL or backslash, and no symlink that resolves outside the root.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidParameter, notFound } from './errors';

export const artifactsUriScheme = 'mlflow-artifacts:/';
/** Uploads larger than this are refused with a 413 (the proxy streams, so memory is not the limit). */
export const defaultArtifactMaxBytes = 100 * 1024 * 1024;

export type ArtifactFile = { path: string; is_dir: boolean; file_size?: number };

/** An upload that went over the size cap; the error handler sends its `statusCode`. */
export class ArtifactTooLargeError extends Error {
  override name = 'ArtifactTooLargeError';
  readonly statusCode = 413;
  constructor(maxBytes: number) {
    super(`Artifact upload exceeds the limit of ${maxBytes} bytes.`);
  }
}

/**
 * Checks a client-supplied artifact path the way MLflow's `validate_path_is_safe` does and returns
 * its normalised relative form (`''` for the root). Throws INVALID_PARAMETER_VALUE otherwise.
 */
export function safeRelativePath(input: string): string {
  const invalid = () => invalidParameter(`Invalid path: ${JSON.stringify(input)}`);
  if (input.includes('\0') || input.includes('\\')) throw invalid();
  if (input.startsWith('/') || /^[A-Za-z]:/.test(input) || input.includes('://')) throw invalid();
  const parts = input.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw invalid();
  return parts.join('/');
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

export class ArtifactStore {
  private readonly root: string;
  private readonly uploadDir: string;

  constructor(
    dataDir: string,
    readonly maxBytes = defaultArtifactMaxBytes,
  ) {
    fs.mkdirSync(path.join(dataDir, 'artifacts'), { recursive: true });
    fs.mkdirSync(path.join(dataDir, 'artifact-uploads'), { recursive: true });
    this.root = fs.realpathSync(path.join(dataDir, 'artifacts'));
    this.uploadDir = fs.realpathSync(path.join(dataDir, 'artifact-uploads'));
  }

  /**
   * The absolute location of a checked relative path. The deepest part that exists is resolved
   * through any symlinks and must still be inside the root, so a planted link cannot lead out.
   */
  private async locate(relative: string): Promise<string> {
    const target = path.join(this.root, safeRelativePath(relative));
    let existing = target;
    for (;;) {
      try {
        const real = await fs.promises.realpath(existing);
        if (!isInside(this.root, real)) throw invalidParameter(`Invalid path: ${JSON.stringify(relative)}`);
        return existing === target ? real : path.join(real, path.relative(existing, target));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        existing = path.dirname(existing);
      }
    }
  }

  /** Streams `body` to the file at `relative` (replacing it), refusing more than `maxBytes`. */
  async write(relative: string, body: Readable, declaredBytes?: number): Promise<void> {
    if (safeRelativePath(relative) === '')
      throw invalidParameter('Invalid path: an artifact needs a file name.');
    if (declaredBytes !== undefined && declaredBytes > this.maxBytes) {
      body.resume();
      throw new ArtifactTooLargeError(this.maxBytes);
    }
    const target = await this.locate(relative);
    const existing = await fs.promises.stat(target).catch(() => undefined);
    if (existing?.isDirectory())
      throw invalidParameter(`Invalid path: ${JSON.stringify(relative)} is a directory.`);
    // Write beside the tree, then rename: a reader never sees half a file, a failure leaves none.
    const temporary = path.join(this.uploadDir, randomBytes(16).toString('hex'));
    let received = 0;
    const maxBytes = this.maxBytes;
    const capped = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > maxBytes ? new ArtifactTooLargeError(maxBytes) : null, chunk);
      },
    });
    // `pipe`, not `pipeline`, for the request: on an oversized body the request must stay open
    // (and be drained) so the 413 can still be sent.
    body.on('error', (error) => capped.destroy(error));
    body.pipe(capped);
    try {
      try {
        await pipeline(capped, fs.createWriteStream(temporary, { flags: 'wx' }));
      } catch (error) {
        body.unpipe(capped);
        body.resume();
        throw error;
      }
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await this.locate(relative); // the folders just made must not have raced a symlink in
      await fs.promises.rename(temporary, target);
    } finally {
      await fs.promises.rm(temporary, { force: true });
    }
  }

  /** An open read stream of the file at `relative`; RESOURCE_DOES_NOT_EXIST when there is none. */
  async read(relative: string): Promise<{ stream: Readable; size: number }> {
    const target = await this.locate(relative);
    const stat = await fs.promises.stat(target).catch(() => undefined);
    if (!stat?.isFile()) throw notFound(`Artifact ${JSON.stringify(relative)} not found.`);
    return { stream: fs.createReadStream(target), size: stat.size };
  }

  /** Removes the file or folder at `relative`; removing what is not there is not an error. */
  async delete(relative: string): Promise<void> {
    if (safeRelativePath(relative) === '')
      throw invalidParameter('Invalid path: the artifact root cannot be deleted.');
    await fs.promises.rm(await this.locate(relative), { recursive: true, force: true });
  }

  /** The entries of the folder at `relative`, by name; a missing folder or a file lists as empty. */
  async list(relative: string): Promise<ArtifactFile[]> {
    return (await this.listPage(relative, 0, Infinity)).files;
  }

  /**
   * Up to `limit` entries of the folder at `relative`, from the `offset`-th in name order, and how
   * many entries it has in all. Only the entries on the page are `stat`ed for their size.
   */
  async listPage(
    relative: string,
    offset: number,
    limit: number,
  ): Promise<{ files: ArtifactFile[]; total: number }> {
    const target = await this.locate(relative);
    const entries = (await fs.promises.readdir(target, { withFileTypes: true }).catch(() => []))
      // Symlinks and other special files are not listed: they are never served either.
      .filter((entry) => entry.isDirectory() || entry.isFile())
      .sort((a, b) => a.name.localeCompare(b.name));
    const files: ArtifactFile[] = [];
    for (const entry of entries.slice(offset, offset + limit)) {
      if (entry.isDirectory()) files.push({ path: entry.name, is_dir: true });
      else {
        const stat = await fs.promises.stat(path.join(target, entry.name)).catch(() => undefined);
        // A file removed since the readdir is simply not listed.
        if (stat) files.push({ path: entry.name, is_dir: false, file_size: stat.size });
      }
    }
    return { files, total: entries.length };
  }
}

/** The proxy path of an `mlflow-artifacts:/…` URI, or `undefined` for a URI this server does not hold. */
export function proxyPathOfUri(uri: string): string | undefined {
  if (!uri.startsWith(artifactsUriScheme)) return undefined;
  return uri.slice(artifactsUriScheme.length).replace(/^\/+/, '').replace(/\/+$/, '');
}
