/**
 * The file API over a learner's workspace: validated paths here, the operation itself inside the
 * sandbox as the learner (sandbox-scripts/fileops.py).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { maxEditableFileBytes } from './api/requests';
import { describeInvalid } from './api/zod-issues';
import { errorStatus, RunnerError, type ErrorCode } from './errors';
import type { SessionManager } from './sessions/manager';

export const maxTreeEntries = 2000;
const fileopsTimeoutMs = 10_000;
const fileopsScript = fs.readFileSync(
  path.join(import.meta.dirname, 'sandbox-scripts', 'fileops.py'),
  'utf8',
);

const maxPathBytes = 4096;
const maxNameBytes = 255;

/**
 * A workspace-relative path: no absolute paths, no `..`, no NUL or control characters, no
 * backslashes, names of at most 255 bytes. "" (or ".") is the workspace itself.
 */
export const workspacePathSchema = z
  .string()
  .max(maxPathBytes)
  .transform((value, context) => {
    const fail = (message: string) => {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (Buffer.byteLength(value) > maxPathBytes) return fail('path is too long');
    if (/[\u0000-\u001f\u007f]/.test(value)) return fail('path contains control characters');
    if (value.includes('\\')) return fail('use / to separate folders');
    if (value.startsWith('/')) return fail('give a path relative to the workspace, without a leading /');
    if (value.includes('\ufffd')) return fail('path is not valid UTF-8');
    const segments = value.split('/').filter((segment) => segment !== '' && segment !== '.');
    for (const segment of segments) {
      if (segment === '..') return fail('".." is not allowed: paths stay inside the workspace');
      if (Buffer.byteLength(segment) > maxNameBytes)
        return fail('a file or folder name is longer than 255 bytes');
    }
    return segments.join('/');
  });

export function parseWorkspacePath(value: unknown): string {
  const parsed = workspacePathSchema.safeParse(value ?? '');
  if (!parsed.success) {
    throw new RunnerError('INVALID_PATH', describeInvalid('path', parsed.error));
  }
  return parsed.data;
}

type FileopsReply = { ok: true; [key: string]: unknown } | { ok: false; error: string; message: string };

export class WorkspaceFiles {
  constructor(private readonly sessions: SessionManager) {}

  private async run(
    sessionId: string,
    request: Record<string, unknown>,
    stdin?: Buffer,
  ): Promise<FileopsReply> {
    const result = await this.sessions.exec(sessionId, {
      // Isolated (-I): no module the learner planted in the workspace or their user site runs in
      // it, as it could while the learner's other processes are paused for a check.
      cmd: [
        'python3',
        '-I',
        '-c',
        fileopsScript,
        JSON.stringify({ maxBytes: maxEditableFileBytes, ...request }),
      ],
      user: 'learner',
      timeoutMs: fileopsTimeoutMs,
      stdin: stdin ?? Buffer.alloc(0),
      outputLimitBytes: maxEditableFileBytes * 2 + 64 * 1024,
    });
    if (result.timedOut)
      throw new RunnerError('INTERNAL', 'The file operation timed out; is the workspace very busy?');
    let reply: FileopsReply;
    try {
      reply = JSON.parse(result.stdout) as FileopsReply;
    } catch {
      throw new RunnerError(
        'INTERNAL',
        `The file operation failed: ${result.stderr.trim().split('\n').pop() ?? 'no output'}`,
      );
    }
    if (!reply.ok) {
      const code = (reply.error in errorStatus ? reply.error : 'INTERNAL') as ErrorCode;
      throw new RunnerError(code, reply.message);
    }
    return reply;
  }

  /** A folder's entries, or a text file's content. */
  read(sessionId: string, relativePath: string) {
    return this.run(sessionId, { op: 'read', path: relativePath });
  }

  /**
   * Every entry of the workspace as a flat list of paths (folders first, by name), at most
   * `maxTreeEntries`. Tool folders (.git, __pycache__, node_modules, .venv…) are listed with
   * `skipped: true` but not descended into.
   */
  tree(sessionId: string) {
    return this.run(sessionId, { op: 'tree', maxEntries: maxTreeEntries });
  }

  write(sessionId: string, relativePath: string, content: Buffer) {
    if (content.length > maxEditableFileBytes) {
      throw new RunnerError(
        'FILE_TOO_LARGE',
        `Files saved from the editor can be up to ${maxEditableFileBytes} bytes.`,
      );
    }
    return this.run(sessionId, { op: 'write', path: relativePath }, content);
  }

  mkdir(sessionId: string, relativePath: string) {
    return this.run(sessionId, { op: 'mkdir', path: relativePath });
  }

  move(sessionId: string, from: string, to: string) {
    return this.run(sessionId, { op: 'move', path: from, to });
  }

  remove(sessionId: string, relativePath: string) {
    return this.run(sessionId, { op: 'delete', path: relativePath });
  }
}
