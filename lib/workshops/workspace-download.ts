/**
 * A copy of a learner's workspace as a zip, for them to keep (an ended workshop may hold their
 * sandbox stopped). It is made inside the sandbox as the learner, like every file operation: the
 * web app never reads a workspace from the host. A stopped sandbox is started for it and stopped
 * again afterwards. The runner answers a command with at most 1 MiB of output, so the zip is
 * written to the sandbox's /tmp and read back in pieces.
 */
import 'server-only';
import { ApiError } from '@/lib/http/api-error';
import type { RunnerClient } from '@/lib/runner/client';
import { getRunner } from '@/lib/runner/instance';

/** The largest zip handed out; a bigger workspace is refused with a message. */
export const maxDownloadBytes = 64 * 1024 * 1024;
/** Bytes per piece: in base64 (4/3 as long) well under the runner's 1 MiB of output. */
const pieceBytes = 700_000;
const commandTimeoutMs = 60_000;

/**
 * Zips /home/learner/work into a new file in /tmp, in a folder named after the lab. Regular files
 * only: links are neither followed nor stored, pipes and sockets are left out, and so are files
 * the learner cannot read. Prints {"path", "size"}, or {"error": "TOO_LARGE"} past the limit.
 */
const zipScript = String.raw`
import json, os, shutil, stat, sys, tempfile, zipfile
root, folder, limit = "/home/learner/work", sys.argv[1], int(sys.argv[2])
handle, path = tempfile.mkstemp(prefix="academy-download-", suffix=".zip")

def too_large():
    os.unlink(path)
    print(json.dumps({"error": "TOO_LARGE"}))
    sys.exit(0)

with os.fdopen(handle, "wb") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    for here, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(here, name)
            arcname = os.path.join(folder, os.path.relpath(full, root))
            try:
                arcname.encode("utf-8")
                info = os.lstat(full)
                if not stat.S_ISREG(info.st_mode):
                    continue
                source = os.open(full, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except (OSError, UnicodeError):
                continue
            with os.fdopen(source, "rb") as reader:
                if info.st_size > limit:
                    too_large()
                entry = zipfile.ZipInfo.from_file(full, arcname, strict_timestamps=False)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(entry, "w", force_zip64=True) as writer:
                    shutil.copyfileobj(reader, writer, 1024 * 1024)
            if out.tell() > limit:
                too_large()
print(json.dumps({"path": path, "size": os.path.getsize(path)}))
`;

const readScript = String.raw`
import base64, sys
with open(sys.argv[1], "rb") as source:
    source.seek(int(sys.argv[2]))
    sys.stdout.write(base64.b64encode(source.read(int(sys.argv[3]))).decode("ascii"))
`;

async function runPython(
  runner: RunnerClient,
  sessionId: string,
  script: string,
  args: string[],
): Promise<string> {
  const result = await runner.exec(sessionId, {
    // Isolated (-I): nothing the learner planted in the workspace or their user site runs in it.
    cmd: ['python3', '-I', '-c', script, ...args],
    user: 'learner',
    timeoutMs: commandTimeoutMs,
  });
  if (result.exitCode !== 0 || result.timedOut || result.truncated) {
    console.error('workshops: making a download failed', result.stderr.slice(-2000));
    throw new ApiError(500, 'DOWNLOAD_FAILED', 'Your files could not be packed. Try again in a moment.');
  }
  return result.stdout;
}

async function zipWorkspace(runner: RunnerClient, sessionId: string, folder: string): Promise<Buffer> {
  const made = JSON.parse(
    await runPython(runner, sessionId, zipScript, [folder, String(maxDownloadBytes)]),
  ) as { path: string; size: number } | { error: 'TOO_LARGE' };
  if ('error' in made) {
    throw new ApiError(
      413,
      'WORKSPACE_TOO_LARGE',
      `Your workspace is over ${maxDownloadBytes / 1024 / 1024} MB zipped, too large to download here.`,
    );
  }
  try {
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < made.size; offset += pieceBytes) {
      const piece = await runPython(runner, sessionId, readScript, [
        made.path,
        String(offset),
        String(pieceBytes),
      ]);
      pieces.push(Buffer.from(piece, 'base64'));
    }
    return Buffer.concat(pieces);
  } finally {
    await runner
      .exec(sessionId, { cmd: ['rm', '-f', '--', made.path], user: 'learner', timeoutMs: commandTimeoutMs })
      .catch(() => undefined);
  }
}

const inFlight = new Map<string, Promise<Buffer>>();

async function makeDownload(userId: string, labId: string): Promise<Buffer> {
  const runner = getRunner();
  const session = await runner.findSession(userId, labId);
  if (!session) {
    throw new ApiError(
      409,
      'LAB_NOT_STARTED',
      'You have no sandbox for this lab: there are no files to download.',
    );
  }
  if (session.state !== 'ready' && session.state !== 'stopped') {
    throw new ApiError(409, 'SANDBOX_NOT_READY', `Your sandbox is ${session.state}; try again in a moment.`);
  }
  const wasStopped = session.state === 'stopped';
  if (wasStopped) await runner.startSession(userId, labId);
  try {
    return await zipWorkspace(runner, session.id, labId);
  } finally {
    if (wasStopped) {
      await runner.stop(session.id).catch((error: unknown) => {
        console.error('workshops: a sandbox started for a download did not stop again', error);
      });
    }
  }
}

/**
 * The learner's workspace of the lab as a zip (a folder named after the lab inside). Two requests
 * at once share one zip, so one cannot stop the sandbox under the other.
 */
export function workspaceDownload(userId: string, labId: string): Promise<Buffer> {
  const key = `${userId}\u0000${labId}`;
  const running = inFlight.get(key);
  if (running) return running;
  const download = makeDownload(userId, labId).finally(() => inFlight.delete(key));
  inFlight.set(key, download);
  return download;
}
