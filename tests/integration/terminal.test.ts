/** The terminal WebSocket against a real sandbox: echo, resize, reconnect, and a flood. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';
import { openTerminal } from '@/tests/support/terminal-client';

let t: TestRunner;
let sessionId: string;
const user = 'terminal-user';

beforeAll(async () => {
  t = await startTestRunner();
  sessionId = await t.startSession(user);
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

const terminalUrl = () => `${t.url}/v1/sessions/${sessionId}/terminal?token=${t.token(sessionId, user)}`;

describe('the terminal', () => {
  it('echoes what the learner types, as the learner, in the workspace', async () => {
    const term = await openTerminal(terminalUrl());
    term.type('echo "round $((20+22)) trip"; id -un; pwd\r');
    await term.waitFor(/round 42 trip/);
    await term.waitFor(/learner/);
    await term.waitFor(/\/home\/learner\/work/);
    await term.close();
  }, 60_000);

  it('follows resize messages', async () => {
    const term = await openTerminal(terminalUrl(), { cols: 90, rows: 33 });
    term.type('stty size\r');
    await term.waitFor(/33 90/);
    term.resize(120, 40);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const from = term.output().length;
    term.type('stty size\r');
    await term.waitFor(/40 120/, { from });
    await term.close();
  }, 60_000);

  it('reattaches to the same shell after a disconnect, with the screen and the shell’s state', async () => {
    const first = await openTerminal(terminalUrl());
    first.type('export REMEMBERED=before-the-reload; echo marker-$((6*7))\r');
    await first.waitFor(/marker-42/);
    await first.close();

    const second = await openTerminal(terminalUrl());
    await second.waitFor(/marker-42/);
    second.type('echo "value=$REMEMBERED"\r');
    await second.waitFor(/value=before-the-reload/);
    await second.close();
  }, 60_000);

  it('survives a `yes` flood for 10 s with the runner’s memory bounded, and stays responsive', async () => {
    const term = await openTerminal(terminalUrl());
    // Read slowly, as a busy browser would: pause the socket most of the time.
    const socket = (term.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    term.type('yes flood-line\r');
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      socket.pause();
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.resume();
      await new Promise((resolve) => setTimeout(resolve, 50));
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    term.type('\x03');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const from = term.output().length;
    term.type('echo after-$((1+1))-flood\r');
    await term.waitFor(/after-2-flood/, { from, timeoutMs: 20_000 });
    // The runner and this test share a process: a missing pause would buffer hundreds of MB here.
    expect(rssPeak - rssBefore).toBeLessThan(150 * 1024 * 1024);
    await term.close();
  }, 90_000);

  it('refuses a token that was already used, and connections from other origins', async () => {
    const token = t.token(sessionId, user);
    const url = `${t.url}/v1/sessions/${sessionId}/terminal?token=${token}`;
    const term = await openTerminal(url);
    await term.close();
    await expect(openTerminal(url)).rejects.toThrow(/HTTP 401/);
    await expect(
      openTerminal(terminalUrl(), { headers: { origin: 'https://evil.example' } }),
    ).rejects.toThrow(/HTTP 403/);
  }, 60_000);
});
