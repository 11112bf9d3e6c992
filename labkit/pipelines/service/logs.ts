/**
 * A stage's log as the tab follows it: `.dvc/tmp/labkit/logs/<stage>.log`, which `repro` rewrites
 * at the start of each run of the stage and appends to while it runs. A reply carries the bytes
 * from the offset asked for (the end of a long log only), cut on whole UTF-8 characters, and where
 * to ask from next.
 */
import fs from 'node:fs';
import type { DvcRepo } from '../../data/repo';
import { RunStateStore } from '../run-state';
import { logChunkMaxBytes, type LogChunk } from '../wire';
import { insideProject } from './workspace';
import { lastRunOf } from './pipeline-view';

/** How many bytes at the end of `bytes` start a character that is not complete yet. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/** How many bytes at the start of `bytes` continue a character that began before them. */
function orphanHead(bytes: Buffer): number {
  let count = 0;
  while (count < Math.min(3, bytes.length) && (bytes[count]! & 0xc0) === 0x80) count++;
  return count;
}

export function readLog(repo: DvcRepo, stage: string, offset: number, maxBytes = logChunkMaxBytes): LogChunk {
  const runs = new RunStateStore(repo);
  const lastRun = lastRunOf(runs.read()[stage]);
  const file = runs.logPath(stage);
  const empty: LogChunk = {
    stage,
    offset: 0,
    nextOffset: 0,
    size: 0,
    text: '',
    restarted: false,
    truncated: false,
    ...(lastRun ? { lastRun } : {}),
  };
  if (!insideProject(repo.root, file)) return empty;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return empty;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const restarted = offset > size;
    let start = offset < 0 || restarted ? Math.max(0, size - maxBytes) : offset;
    let truncated = start > 0 && (offset < 0 || restarted);
    if (size - start > maxBytes) {
      start = size - maxBytes;
      truncated = true;
    }
    const bytes = Buffer.alloc(size - start);
    const read = bytes.length ? fs.readSync(fd, bytes, 0, bytes.length, start) : 0;
    let chunk = bytes.subarray(0, read);
    const skipped = truncated ? orphanHead(chunk) : 0;
    chunk = chunk.subarray(skipped, chunk.length - incompleteTail(chunk));
    return {
      ...empty,
      offset: start + skipped,
      nextOffset: start + skipped + chunk.length,
      size,
      text: chunk.toString('utf8'),
      restarted,
      truncated,
    };
  } finally {
    fs.closeSync(fd);
  }
}
