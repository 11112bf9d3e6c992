import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from './connection-state';
import {
  TerminalConnection,
  type TerminalConnectionOptions,
  type TerminalSocket,
} from './terminal-connection';

/** A WebSocket stand-in the test drives by hand. */
class FakeSocket implements TerminalSocket {
  binaryType: BinaryType = 'blob';
  readyState = 0;
  sent: (string | Uint8Array)[] = [];
  closedWith: number | undefined;
  onopen: TerminalSocket['onopen'] = null;
  onmessage: TerminalSocket['onmessage'] = null;
  onclose: TerminalSocket['onclose'] = null;
  onerror: TerminalSocket['onerror'] = null;

  constructor(readonly url: string) {}

  send(data: string | Uint8Array) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }
  close(code?: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  output(text: string) {
    this.onmessage?.({ data: new TextEncoder().encode(text).buffer } as MessageEvent);
  }
  text(data: string) {
    this.onmessage?.({ data } as MessageEvent);
  }
  drop(reason = '') {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason } as CloseEvent);
  }
  messages() {
    return this.sent.map((data) => (typeof data === 'string' ? JSON.parse(data) : data));
  }
}

function setUp(overrides: Partial<TerminalConnectionOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const output: string[] = [];
  let tokens = 0;
  const connection = new TerminalConnection({
    freshToken: vi.fn(async () => `token-${++tokens}`),
    socketUrl: (token) => `ws://127.0.0.1/runner/v1/sessions/s/terminal?token=${token}`,
    size: () => ({ cols: 100, rows: 30 }),
    onOutput: (bytes, isFirst) =>
      output.push(`${isFirst ? '[first]' : ''}${new TextDecoder().decode(bytes)}`),
    onChange: (state) => states.push(state),
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 0,
    ...overrides,
  });
  const last = () => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket yet');
    return socket;
  };
  return { connection, sockets, states, output, last, status: () => connection.status };
}

/** Lets the token promise settle. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('terminal connection', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects with a fresh token, sends the size first, then typing', async () => {
    const t = setUp();
    t.connection.connect();
    expect(t.status()).toBe('connecting');
    await settle();
    expect(t.last().url).toMatch(/token=token-1$/);
    expect(t.last().binaryType).toBe('arraybuffer');
    t.last().open();
    t.last().output('$ ');
    expect(t.status()).toBe('connected');
    expect(t.connection.sendInput('ls\r')).toBe('sent');
    expect(t.last().messages()).toEqual([
      { type: 'resize', cols: 100, rows: 30 },
      { type: 'input', data: 'ls\r' },
    ]);
  });

  it('passes output on and marks the first chunk of each connection', async () => {
    const t = setUp();
    t.connection.connect();
    await settle();
    t.last().open();
    t.last().output('hello ');
    t.last().output('world');
    expect(t.output).toEqual(['[first]hello ', 'world']);
  });

  it('reports how many viewers watch the shell, and is not attached by that message', async () => {
    const viewers: number[] = [];
    const t = setUp({ onViewers: (count) => viewers.push(count) });
    t.connection.connect();
    await settle();
    t.last().open();
    t.last().text('{"type":"viewers","count":0}');
    expect(t.status()).toBe('connecting');
    t.last().output('$ ');
    t.last().text('{"type":"viewers","count":1}');
    expect(viewers).toEqual([0, 1]);
    expect(t.output).toEqual(['[first]$ ']);
  });

  it('sends a resize only while connected', async () => {
    const t = setUp();
    t.connection.connect();
    t.connection.resize({ cols: 90, rows: 20 });
    await settle();
    t.last().open();
    t.connection.resize({ cols: 120, rows: 40 });
    expect(t.last().messages()).toEqual([
      { type: 'resize', cols: 100, rows: 30 },
      { type: 'resize', cols: 120, rows: 40 },
    ]);
  });

  it('reconnects after a drop with backoff and a new token each time, and is connected again', async () => {
    const t = setUp();
    t.connection.connect();
    await settle();
    t.last().open();
    t.last().output('$ ');
    t.last().drop();
    expect(t.status()).toBe('reconnecting');
    expect(t.states.at(-1)).toMatchObject({ status: 'reconnecting', hasAttached: true });

    await vi.advanceTimersByTimeAsync(499);
    expect(t.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.sockets).toHaveLength(2);
    t.last().drop();
    await vi.advanceTimersByTimeAsync(999);
    expect(t.sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.sockets.map((s) => s.url.split('token=')[1])).toEqual(['token-1', 'token-2', 'token-3']);

    t.last().open();
    t.last().output('$ ');
    expect(t.status()).toBe('connected');
    expect(t.output.at(-1)).toBe('[first]$ ');
  });

  it('holds a little typing while reconnecting and sends it once the shell answered', async () => {
    const t = setUp();
    t.connection.connect();
    await settle();
    t.last().open();
    t.last().drop();
    expect(t.connection.sendInput('echo back\r')).toBe('held');
    expect(t.connection.sendInput('x'.repeat(5_000))).toBe('refused');
    await vi.advanceTimersByTimeAsync(500);
    t.last().open();
    expect(t.last().messages()).toEqual([{ type: 'resize', cols: 100, rows: 30 }]);
    t.last().output('$ ');
    expect(t.last().messages()).toEqual([
      { type: 'resize', cols: 100, rows: 30 },
      { type: 'input', data: 'echo back\r' },
    ]);
  });

  it('holds keys typed the moment it connects until the shell answers, then sends them in order', async () => {
    const t = setUp();
    t.connection.connect();
    // Before the token came, and before the socket opened.
    expect(t.connection.sendInput('c')).toBe('held');
    await settle();
    expect(t.connection.sendInput('l')).toBe('held');
    // The socket is open, but the runner has not attached the shell yet.
    t.last().open();
    expect(t.connection.sendInput('ear')).toBe('held');
    expect(t.connection.sendInput('\r')).toBe('held');
    expect(t.last().messages()).toEqual([{ type: 'resize', cols: 100, rows: 30 }]);

    t.last().output('$ ');
    expect(t.status()).toBe('connected');
    expect(t.connection.sendInput('ls\r')).toBe('sent');
    expect(t.last().messages()).toEqual([
      { type: 'resize', cols: 100, rows: 30 },
      { type: 'input', data: 'clear\r' },
      { type: 'input', data: 'ls\r' },
    ]);
    // The output reaches the screen before the held keys' echo can.
    expect(t.output).toEqual(['[first]$ ']);
  });

  it('sends nothing typed on a first connection that never attached, and all of it on the next', async () => {
    const t = setUp();
    t.connection.connect();
    await settle();
    const first = t.last();
    first.open();
    expect(t.connection.sendInput('echo ')).toBe('held');
    expect(t.connection.sendBinary('\x1b[M !!')).toBeUndefined();
    expect(t.status()).toBe('connecting');
    first.drop('The terminal could not be opened.');
    expect(t.status()).toBe('reconnecting');
    expect(t.connection.sendInput('42\r')).toBe('held');

    await vi.advanceTimersByTimeAsync(500);
    const second = t.last();
    expect(second).not.toBe(first);
    second.open();
    second.output('$ ');
    expect(first.messages()).toEqual([{ type: 'resize', cols: 100, rows: 30 }]);
    expect(second.messages()).toEqual([
      { type: 'resize', cols: 100, rows: 30 },
      { type: 'input', data: 'echo 42\r' },
    ]);
  });

  it('drops what was held when the retries give up, so a new shell never runs it', async () => {
    let now = 0;
    const t = setUp({ now: () => now });
    t.connection.connect();
    await settle();
    expect(t.connection.sendInput('rm -rf build\r')).toBe('held');
    t.last().drop();
    now = 3 * 60_000;
    await vi.advanceTimersByTimeAsync(500);
    t.last().drop();
    expect(t.status()).toBe('failed');
    expect(t.connection.sendInput('x')).toBe('refused');

    t.connection.connect();
    await settle();
    t.last().open();
    t.last().output('$ ');
    expect(t.last().messages()).toEqual([{ type: 'resize', cols: 100, rows: 30 }]);
  });

  it('shows the token endpoint’s error and keeps trying', async () => {
    let calls = 0;
    const t = setUp({
      freshToken: async () => {
        calls += 1;
        if (calls === 1) throw new Error('Your sign-in expired; sign in again.');
        return 'ok';
      },
    });
    t.connection.connect();
    await settle();
    expect(t.states.at(-1)).toMatchObject({
      status: 'reconnecting',
      message: 'Your sign-in expired; sign in again.',
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(t.last().url).toMatch(/token=ok$/);
  });

  it('counts a socket that opens and closes without output as a failure, and gives up after two minutes', async () => {
    const t = setUp();
    t.connection.connect();
    await settle();
    for (let round = 0; round < 40 && t.status() !== 'failed'; round += 1) {
      t.last().open();
      t.last().drop('The terminal could not be opened.');
      await vi.advanceTimersByTimeAsync(10_000);
    }
    expect(t.status()).toBe('failed');
    expect(t.states.at(-1)?.message).toBe('The terminal could not be opened.');
    const attempts = t.sockets.length;
    expect(attempts).toBeGreaterThan(10);
    expect(attempts).toBeLessThan(25);
    expect(t.connection.sendInput('ls\r')).toBe('refused');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sockets).toHaveLength(attempts);

    t.connection.connect();
    await settle();
    expect(t.sockets).toHaveLength(attempts + 1);
    expect(t.status()).toBe('connecting');
  });

  it('retries at once when told the network is back, and not twice', async () => {
    const t = setUp();
    t.connection.connect();
    await settle();
    t.last().open();
    t.last().output('$ ');
    t.last().drop();
    await vi.advanceTimersByTimeAsync(500);
    t.last().drop();
    await vi.advanceTimersByTimeAsync(1000);
    t.last().drop();
    const before = t.sockets.length;
    t.connection.retryNow();
    t.connection.retryNow();
    await settle();
    expect(t.sockets).toHaveLength(before + 1);
    t.connection.retryNow();
    await settle();
    expect(t.sockets).toHaveLength(before + 1);
  });

  it('shows the shell ended, does not reconnect by itself, and starts a new shell on request', async () => {
    const t = setUp();
    t.connection.connect();
    await settle();
    t.last().open();
    t.last().output('$ exit\r\n');
    t.last().text('{"type":"exit"}');
    t.last().drop('The shell ended.');
    expect(t.status()).toBe('exited');
    expect(t.connection.sendInput('ls\r')).toBe('refused');
    t.connection.retryNow();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.sockets).toHaveLength(1);

    t.connection.connect();
    await settle();
    expect(t.sockets).toHaveLength(2);
    t.last().open();
    t.last().output('$ ');
    expect(t.status()).toBe('connected');
  });

  it('leaves nothing behind when disposed, even with a token on its way', async () => {
    let resolveToken: (token: string) => void = () => undefined;
    const t = setUp({ freshToken: () => new Promise((resolve) => (resolveToken = resolve)) });
    t.connection.connect();
    t.connection.dispose();
    resolveToken('late');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sockets).toHaveLength(0);
  });

  it('closes its socket and stops retrying when disposed', async () => {
    const t = setUp();
    t.connection.connect();
    await settle();
    t.last().open();
    t.last().drop();
    await vi.advanceTimersByTimeAsync(500);
    const socket = t.last();
    t.connection.dispose();
    expect(socket.closedWith).toBe(1000);
    expect(t.states.at(-1)?.status).toBe('idle');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sockets).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores a late close from a socket it already replaced', async () => {
    const t = setUp();
    t.connection.connect();
    await settle();
    const first = t.last();
    first.open();
    first.drop();
    await vi.advanceTimersByTimeAsync(500);
    t.last().open();
    t.last().output('$ ');
    first.onclose?.({ code: 1006, reason: '' } as CloseEvent);
    expect(t.status()).toBe('connected');
  });
});
