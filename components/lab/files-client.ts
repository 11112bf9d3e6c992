/**
 * The browser's client for a sandbox's file API (docs/lab-runner.md, "API"): every call carries the
 * session's `X-Academy-Token`, and every failure becomes a `FilesError` whose message is the
 * runner's sentence for people.
 */
import { z } from 'zod';
import { fetchWithToken, type SessionAccess } from './session-access';

const entryTypes = ['file', 'directory', 'symlink', 'other'] as const;
export type FileEntryType = (typeof entryTypes)[number];

const treeEntrySchema = z.object({
  path: z.string(),
  type: z.enum(entryTypes),
  size: z.number(),
  modifiedMs: z.number(),
  /** A tool folder (.git, __pycache__, node_modules, .venv…) listed but not descended into. */
  skipped: z.boolean().optional(),
});
export type TreeEntry = z.infer<typeof treeEntrySchema>;

const treeSchema = z.object({ entries: z.array(treeEntrySchema), truncated: z.boolean() });
export type WorkspaceTree = z.infer<typeof treeSchema>;

const readSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file'), content: z.string(), size: z.number(), modifiedMs: z.number() }),
  z.object({ type: z.literal('directory') }),
]);
export type FileContent = { content: string; size: number; modifiedMs: number };

const writeSchema = z.object({ size: z.number() });
const runnerErrorSchema = z.object({ error: z.string(), message: z.string() });

/** Requests the runner does not answer within this time fail, so nothing waits on them forever. */
const requestTimeoutMs = 30_000;

/**
 * A failed file operation. `code` is the runner's (`FILE_NOT_FOUND`, `ALREADY_EXISTS`,
 * `FILE_TOO_LARGE`, `BINARY_FILE`…) or, when the runner could not answer, `NETWORK_ERROR` or
 * `BAD_RESPONSE`; `status` is the HTTP status (0 when no response arrived).
 */
export class FilesError extends Error {
  override name = 'FilesError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

type Fetch = typeof fetch;

export class FilesClient {
  constructor(
    private readonly access: SessionAccess,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  /**
   * Every entry of the workspace, folders before files; tool folders are listed, not entered. A
   * `signal` cancels the request (it then rejects with an `AbortError`), as for `read`.
   */
  async tree(signal?: AbortSignal): Promise<WorkspaceTree> {
    return this.request('GET', '/files/tree', treeSchema, undefined, signal);
  }

  /** A text file's content; folders, large and binary files are refused with a FilesError. */
  async read(path: string, signal?: AbortSignal): Promise<FileContent> {
    const reply = await this.request('GET', `/files?${pathQuery(path)}`, readSchema, undefined, signal);
    if (reply.type === 'directory') throw new FilesError('NOT_A_FILE', `'${path}' is a folder.`, 409);
    return { content: reply.content, size: reply.size, modifiedMs: reply.modifiedMs };
  }

  /** Writes a file (its parent folders are created); returns the size written, in bytes. */
  async write(path: string, content: string): Promise<{ size: number }> {
    const { size } = await this.request('PUT', `/files?${pathQuery(path)}`, writeSchema, { content });
    return { size };
  }

  async mkdir(path: string): Promise<void> {
    await this.request('PUT', `/files?${pathQuery(path)}`, z.unknown(), { type: 'directory' });
  }

  async move(from: string, to: string): Promise<void> {
    await this.request('POST', '/files/move', z.unknown(), { from, to });
  }

  /** Deletes a file, a link, or a folder with everything in it. */
  async remove(path: string): Promise<void> {
    await this.request('DELETE', `/files?${pathQuery(path)}`, z.unknown());
  }

  private async request<T>(
    method: string,
    endpoint: string,
    schema: z.ZodType<T>,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const session = encodeURIComponent(this.access.sessionId);
    const url = `${this.access.runnerBase}/v1/sessions/${session}${endpoint}`;
    const response = await fetchWithToken(this.access, method, url, body, {
      fetchImpl: this.fetchImpl,
      timeoutMs: requestTimeoutMs,
      signal,
      unreachable: (isTimeout) =>
        new FilesError(
          'NETWORK_ERROR',
          isTimeout
            ? 'The lab runner did not answer in time; try again in a moment.'
            : 'Could not reach the lab runner; check your connection and try again.',
          0,
        ),
    });
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      payload = undefined;
    }
    if (!response.ok) {
      const error = runnerErrorSchema.safeParse(payload);
      if (error.success) throw new FilesError(error.data.error, error.data.message, response.status);
      throw new FilesError(
        'BAD_RESPONSE',
        `The lab runner answered ${response.status} ${response.statusText}`.trim() + '.',
        response.status,
      );
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw new FilesError(
        'BAD_RESPONSE',
        'The lab runner sent a reply the editor does not understand.',
        502,
      );
    }
    return parsed.data;
  }
}

function pathQuery(path: string): string {
  return new URLSearchParams({ path }).toString();
}
