/** A terminal client over the runner's WebSocket protocol, for tests and benchmarks. */
import WebSocket from 'ws';

export type TerminalClient = {
  ws: WebSocket;
  /** Everything received so far, decoded as UTF-8. */
  output(): string;
  /** Resolves when the output (from `from` on) matches. */
  waitFor(pattern: RegExp, options?: { timeoutMs?: number; from?: number }): Promise<RegExpMatchArray>;
  type(text: string): void;
  resize(cols: number, rows: number): void;
  close(): Promise<void>;
};

export async function openTerminal(
  url: string,
  options: { headers?: Record<string, string>; cols?: number; rows?: number } = {},
): Promise<TerminalClient> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers: options.headers });
  let received = '';
  const decoder = new TextDecoder();
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) received += decoder.decode(data, { stream: true });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`terminal refused: HTTP ${response.statusCode}`)),
    );
  });
  ws.send(JSON.stringify({ type: 'resize', cols: options.cols ?? 100, rows: options.rows ?? 30 }));

  const client: TerminalClient = {
    ws,
    output: () => received,
    async waitFor(pattern, { timeoutMs = 10_000, from = 0 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = received.slice(from).match(pattern);
        if (match) return match;
        if (Date.now() > deadline) {
          throw new Error(
            `terminal output did not match ${pattern} within ${timeoutMs} ms; got: ${JSON.stringify(received.slice(-500))}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    type: (text) => ws.send(JSON.stringify({ type: 'input', data: text })),
    resize: (cols, rows) => ws.send(JSON.stringify({ type: 'resize', cols, rows })),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
  return client;
}
