/**
 * The runner's terminal protocol (docs/lab-runner.md, "Terminal protocol"), as the browser speaks it.
 *
 * Client → server: JSON text frames `{"type":"resize","cols","rows"}` (first) and
 * `{"type":"input","data"}`, or binary frames of raw input. Server → client: binary frames of raw
 * terminal output, `{"type":"exit"}` when the shell ended, `{"type":"error","message"}` when it
 * ignored a message, and `{"type":"viewers","count"}`: how many read-only viewers (an instructor)
 * watch this shell.
 */
import { z } from 'zod';
import type { SessionAccess } from '../session-access';

export type TerminalSize = { cols: number; rows: number };

/** The runner refuses a resize outside these bounds, so a size is clamped into them. */
const colsRange = { min: 2, max: 1000 } as const;
const rowsRange = { min: 2, max: 500 } as const;

/**
 * The runner refuses an input message over 64 Ki characters (and with it the whole message), so a
 * long paste goes out in several messages of at most this many characters.
 */
export const maxInputMessageChars = 16 * 1024;

export type ServerFrame =
  | { type: 'output'; bytes: Uint8Array }
  | { type: 'exit' }
  | { type: 'error'; message: string }
  | { type: 'viewers'; count: number }
  | { type: 'unknown' };

const serverMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('exit') }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({ type: z.literal('viewers'), count: z.number().int().min(0) }),
]);

/** The WebSocket URL of the session's terminal on this origin; the token is single-use. */
export function terminalUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  access: Pick<SessionAccess, 'runnerBase' | 'sessionId'>,
  token: string,
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const path = `${access.runnerBase}/v1/sessions/${encodeURIComponent(access.sessionId)}/terminal`;
  return `${scheme}://${location.host}${path}?token=${encodeURIComponent(token)}`;
}

export function encodeResize(size: TerminalSize): string {
  return JSON.stringify({
    type: 'resize',
    cols: clampInt(size.cols, colsRange),
    rows: clampInt(size.rows, rowsRange),
  });
}

/** One or more input messages; a surrogate pair is never split across two of them. */
export function encodeInput(data: string): string[] {
  const messages: string[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + maxInputMessageChars, data.length);
    if (end < data.length && isHighSurrogate(data.charCodeAt(end - 1))) end -= 1;
    messages.push(JSON.stringify({ type: 'input', data: data.slice(start, end) }));
    start = end;
  }
  return messages;
}

/**
 * xterm reports some mouse events as a "binary string" (one character per byte, not UTF-8); they
 * go to the runner as a binary frame of exactly those bytes.
 */
export function encodeBinaryInput(data: string): Uint8Array {
  return Uint8Array.from(data, (char) => char.charCodeAt(0) & 0xff);
}

/** A frame from the runner: binary frames are output (with `binaryType = 'arraybuffer'`). */
export function decodeServerFrame(data: unknown): ServerFrame {
  if (data instanceof ArrayBuffer) return { type: 'output', bytes: new Uint8Array(data) };
  if (ArrayBuffer.isView(data)) {
    return { type: 'output', bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  }
  if (typeof data !== 'string') return { type: 'unknown' };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { type: 'unknown' };
  }
  const parsed = serverMessage.safeParse(json);
  return parsed.success ? parsed.data : { type: 'unknown' };
}

function clampInt(value: number, range: { min: number; max: number }): number {
  if (!Number.isFinite(value)) return range.min;
  return Math.min(range.max, Math.max(range.min, Math.trunc(value)));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
