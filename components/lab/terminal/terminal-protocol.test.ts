import { describe, expect, it } from 'vitest';
import {
  decodeServerFrame,
  encodeBinaryInput,
  encodeInput,
  encodeResize,
  maxInputMessageChars,
  terminalUrl,
} from './terminal-protocol';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const access = { runnerBase: '/runner', sessionId: '0123456789abcdef0123' };

describe('terminal URL', () => {
  it('uses ws on http and wss on https, on the page’s own host', () => {
    expect(terminalUrl({ protocol: 'http:', host: '127.0.0.1:3000' }, access, 'abc')).toBe(
      'ws://127.0.0.1:3000/runner/v1/sessions/0123456789abcdef0123/terminal?token=abc',
    );
    expect(terminalUrl({ protocol: 'https:', host: 'academy.example' }, access, 'abc')).toMatch(
      /^wss:\/\/academy\.example\/runner\//,
    );
  });

  it('escapes the token', () => {
    expect(terminalUrl({ protocol: 'http:', host: 'h' }, access, 'a+b/c=&x')).toMatch(
      /\?token=a%2Bb%2Fc%3D%26x$/,
    );
  });
});

describe('resize message', () => {
  it('is the JSON the runner expects', () => {
    expect(JSON.parse(encodeResize({ cols: 120, rows: 40 }))).toEqual({
      type: 'resize',
      cols: 120,
      rows: 40,
    });
  });

  it('keeps a size within what the runner accepts, as integers', () => {
    expect(JSON.parse(encodeResize({ cols: 0, rows: 1 }))).toMatchObject({ cols: 2, rows: 2 });
    expect(JSON.parse(encodeResize({ cols: 5000, rows: 900.7 }))).toMatchObject({ cols: 1000, rows: 500 });
    expect(JSON.parse(encodeResize({ cols: 80.9, rows: Number.NaN }))).toMatchObject({ cols: 80, rows: 2 });
  });
});

describe('input messages', () => {
  it('sends typing as one input message', () => {
    expect(encodeInput('ls -la\r').map((m) => JSON.parse(m))).toEqual([{ type: 'input', data: 'ls -la\r' }]);
  });

  it('sends nothing for nothing', () => {
    expect(encodeInput('')).toEqual([]);
  });

  it('splits a long paste into messages the runner accepts, without losing or reordering text', () => {
    const paste = 'é'.repeat(maxInputMessageChars * 2 + 17);
    const messages = encodeInput(paste).map((m) => JSON.parse(m) as { type: string; data: string });
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(message.data.length).toBeLessThanOrEqual(maxInputMessageChars);
    expect(messages.map((m) => m.data).join('')).toBe(paste);
  });

  it('never splits an emoji (a surrogate pair) between two messages', () => {
    const paste = 'a' + '🙂'.repeat(maxInputMessageChars);
    const parts = encodeInput(paste).map((m) => (JSON.parse(m) as { data: string }).data);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part).not.toMatch(loneSurrogate);
    expect(parts.join('')).toBe(paste);
  });

  it('turns xterm’s binary strings into bytes', () => {
    expect([...encodeBinaryInput('\x1b[M\xff\x80')]).toEqual([0x1b, 0x5b, 0x4d, 0xff, 0x80]);
  });
});

describe('server frames', () => {
  it('reads a binary frame as output bytes, invalid UTF-8 included', () => {
    const buffer = new Uint8Array([0x68, 0x69, 0xe2, 0x82]).buffer;
    const frame = decodeServerFrame(buffer);
    expect(frame.type).toBe('output');
    if (frame.type === 'output') expect([...frame.bytes]).toEqual([0x68, 0x69, 0xe2, 0x82]);
  });

  it('reads a view on part of a buffer without its neighbours', () => {
    const view = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const frame = decodeServerFrame(view);
    expect(frame.type === 'output' && [...frame.bytes]).toEqual([2, 3]);
  });

  it('recognises the exit and error messages', () => {
    expect(decodeServerFrame('{"type":"exit"}')).toEqual({ type: 'exit' });
    expect(decodeServerFrame('{"type":"viewers","count":2}')).toEqual({ type: 'viewers', count: 2 });
    expect(decodeServerFrame('{"type":"error","message":"Unrecognised terminal message ignored."}')).toEqual({
      type: 'error',
      message: 'Unrecognised terminal message ignored.',
    });
  });

  it('ignores text frames it does not know, malformed JSON included', () => {
    expect(decodeServerFrame('{"type":"party"}')).toEqual({ type: 'unknown' });
    expect(decodeServerFrame('{"type":"viewers","count":-1}')).toEqual({ type: 'unknown' });
    expect(decodeServerFrame('{"type":"error"}')).toEqual({ type: 'unknown' });
    expect(decodeServerFrame('not json')).toEqual({ type: 'unknown' });
    expect(decodeServerFrame(42)).toEqual({ type: 'unknown' });
  });
});
