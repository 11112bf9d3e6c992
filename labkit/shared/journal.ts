/**
 * An append-only JSON-lines journal: how a labkit service keeps its state durable without a
 * database (the sandbox image's Node has no native addons). A service keeps its state in memory,
 * writes each change as one event line before applying it, and replays the file at start.
 *
 * A crash mid-append leaves a torn last line: it is dropped (the file is truncated to its last
 * complete line) rather than refusing to start. A bad line anywhere else is corruption, which stops
 * the start with the file and byte offset named.
 */
import fs from 'node:fs';
import path from 'node:path';

export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError';
}

export class Journal<Event> {
  private fd: number | null;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /**
   * Opens (creating its folder and file if needed) the journal at `file`, hands every complete event
   * to `replay` in order, and leaves the file ready for appends.
   */
  static open<Event>(file: string, replay: (event: Event) => void): Journal<Event> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file)) {
      const validBytes = replayText(file, fs.readFileSync(file, 'utf8'), replay);
      if (validBytes < fs.statSync(file).size) fs.truncateSync(file, validBytes);
    }
    return new Journal<Event>(file, fs.openSync(file, 'a'));
  }

  /** Writes one event as a line; the caller applies it after this returns. */
  append(event: Event): void {
    if (this.fd === null) throw new Error(`The journal ${this.file} is closed.`);
    fs.writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** Replays every complete line; returns the byte length of the part that was valid. */
function replayText<Event>(file: string, text: string, replay: (event: Event) => void): number {
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end === -1) break;
    const line = text.slice(offset, end);
    if (line.trim() !== '') {
      let event: Event;
      try {
        event = JSON.parse(line) as Event;
      } catch {
        const isLastLine = end === text.length - 1;
        if (isLastLine) break;
        throw new JournalCorruptError(
          `Journal ${file} is corrupt at byte ${Buffer.byteLength(text.slice(0, offset), 'utf8')}.`,
        );
      }
      replay(event);
    }
    offset = end + 1;
  }
  return Buffer.byteLength(text.slice(0, offset), 'utf8');
}
