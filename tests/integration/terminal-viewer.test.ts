/**
 * An instructor's read-only view of a learner's sandbox, against a real one: the viewer sees what
 * the learner typed and what they type next, cannot type or write files, is sized like the
 * learner's terminal (and follows its resizes), and the learner's terminal and the session view
 * count the viewers as they come and go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintBrowserToken } from '@/lab-runner/api/tokens';
import { startTestRunner, type TestRunner } from '@/tests/support/runner';
import { openTerminal, type TerminalClient } from '@/tests/support/terminal-client';

let t: TestRunner;
let sessionId: string;
const learner = 'watched-learner';

beforeAll(async () => {
  t = await startTestRunner();
  sessionId = await t.startSession(learner);
}, 600_000);

afterAll(async () => {
  await t?.stop();
}, 120_000);

const readOnlyToken = () => mintBrowserToken(t.config.secret, { sessionId, userId: learner, readOnly: true });
const terminalUrl = (token: string) => `${t.url}/v1/sessions/${sessionId}/terminal?token=${token}`;
const filesUrl = (path: string) => `${t.url}/v1/sessions/${sessionId}/files?path=${encodeURIComponent(path)}`;

/** The `viewers` counts a terminal was told, in order. */
function viewerCounts(term: TerminalClient): number[] {
  const counts: number[] = [];
  term.ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) return;
    const message = JSON.parse(data.toString('utf8')) as { type: string; count?: number };
    if (message.type === 'viewers') counts.push(message.count ?? -1);
  });
  return counts;
}

async function sessionViewers(): Promise<number> {
  const view = (await (await t.api(`/v1/sessions/${sessionId}`)).json()) as { viewers: number };
  return view.viewers;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a read-only view of a learner’s terminal', () => {
  it('shows what the learner typed, live, and drops everything the viewer sends', async () => {
    const learnerTerm = await openTerminal(terminalUrl(t.token(sessionId, learner)));
    const told = viewerCounts(learnerTerm);
    learnerTerm.type('echo typed-by-$((40+2))-learner\r');
    await learnerTerm.waitFor(/typed-by-42-learner/);
    expect(await sessionViewers()).toBe(0);

    const viewer = await openTerminal(terminalUrl(readOnlyToken()), { cols: 60, rows: 20 });
    // tmux redraws the learner's screen for the new client.
    await viewer.waitFor(/typed-by-42-learner/);
    await until(async () => (await sessionViewers()) === 1, 'the session view to count the viewer');
    await until(() => told.at(-1) === 1, 'the learner to be told about the viewer');

    // Typed or pasted, as text or binary frames: nothing reaches the shell.
    viewer.type('touch viewer-was-here; echo viewer-typed-$((3*3))\r');
    viewer.ws.send(Buffer.from('touch viewer-binary-frame\r'), { binary: true });
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const from = viewer.output().length;
    learnerTerm.type('echo later-$((5*5)); ls viewer-* 2>&1 | head -3\r');
    await viewer.waitFor(/later-25/, { from });
    await learnerTerm.waitFor(/No such file or directory/);
    expect(learnerTerm.output()).not.toContain('viewer-typed-9');
    expect(viewer.output()).not.toContain('viewer-typed-9');

    // The viewer's size did not shrink the learner's window.
    const sizeFrom = learnerTerm.output().length;
    learnerTerm.type('stty size\r');
    await learnerTerm.waitFor(/30 100/, { from: sizeFrom });

    await viewer.close();
    await until(async () => (await sessionViewers()) === 0, 'the viewer count to go back to 0');
    await until(() => told.at(-1) === 0, 'the learner to be told the viewer left');
    // (The 0 sent on connecting may arrive before this test listens.)
    expect(told.filter((count, i) => i === 0 || count !== told[i - 1]).slice(-2)).toEqual([1, 0]);
    await learnerTerm.close();
  }, 60_000);

  it('sizes the viewer like the learner’s terminal, and follows it when the learner resizes', async () => {
    const learnerTerm = await openTerminal(terminalUrl(t.token(sessionId, learner)), { cols: 100, rows: 30 });
    const viewer = await openTerminal(terminalUrl(readOnlyToken()), { cols: 60, rows: 20 });
    const sizes: { cols: number; rows: number }[] = [];
    viewer.ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString('utf8')) as { type: string; cols: number; rows: number };
      if (message.type === 'size') sizes.push({ cols: message.cols, rows: message.rows });
    });
    await until(async () => (await sessionViewers()) === 1, 'the viewer to attach');
    // tmux's own account of its clients: the viewer (read-only) at the learner's size, not its own.
    const clients = async (pattern: RegExp) => {
      const from = learnerTerm.output().length;
      learnerTerm.type(
        "tmux list-clients -F 'client #{client_width}x#{client_height} ro=#{client_readonly}' | sort\r",
      );
      await learnerTerm.waitFor(pattern, { from });
    };
    await clients(/client 100x30 ro=0\s+client 100x30 ro=1/);

    learnerTerm.ws.send(JSON.stringify({ type: 'resize', cols: 120, rows: 35 }));
    await until(() => sizes.some((size) => size.cols === 120 && size.rows === 35), 'the viewer to be told');
    await clients(/client 120x35 ro=0\s+client 120x35 ro=1/);

    await viewer.close();
    await learnerTerm.close();
    await until(async () => (await sessionViewers()) === 0, 'the viewer count to go back to 0');
  }, 60_000);

  it('ends when its token expires (the web app mints another only while the viewer may watch)', async () => {
    const shortLived = mintBrowserToken(t.config.secret, {
      sessionId,
      userId: learner,
      readOnly: true,
      ttlSeconds: 3,
    });
    const viewer = await openTerminal(terminalUrl(shortLived));
    const closed = new Promise<number>((resolve) => viewer.ws.once('close', (code: number) => resolve(code)));
    await until(async () => (await sessionViewers()) === 1, 'the viewer counted');
    expect(await closed).toBe(4001);
    await until(async () => (await sessionViewers()) === 0, 'the viewer gone');
  }, 60_000);

  it('counts two viewers at once', async () => {
    const first = await openTerminal(terminalUrl(readOnlyToken()));
    const second = await openTerminal(terminalUrl(readOnlyToken()));
    await until(async () => (await sessionViewers()) === 2, 'two viewers');
    await first.close();
    await until(async () => (await sessionViewers()) === 1, 'one viewer left');
    await second.close();
    await until(async () => (await sessionViewers()) === 0, 'no viewer left');
  }, 60_000);
});

describe('a read-only token and the workspace files', () => {
  const asViewer = () => ({ 'x-academy-token': readOnlyToken() });

  it('reads the tree and a file', async () => {
    const tree = await fetch(`${t.url}/v1/sessions/${sessionId}/files/tree`, { headers: asViewer() });
    expect(tree.status).toBe(200);
    const { entries } = (await tree.json()) as { entries: { path: string }[] };
    expect(entries.map((e) => e.path)).toContain('train.py');
    const file = await fetch(filesUrl('train.py'), { headers: asViewer() });
    expect(file.status).toBe(200);
    expect(((await file.json()) as { content: string }).content.length).toBeGreaterThan(0);
  });

  it('cannot write, create, move or delete', async () => {
    const json = { ...asViewer(), 'content-type': 'application/json' };
    const attempts = [
      fetch(filesUrl('train.py'), {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ content: 'owned' }),
      }),
      fetch(filesUrl('new-dir'), {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ type: 'directory' }),
      }),
      fetch(`${t.url}/v1/sessions/${sessionId}/files/move`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ from: 'train.py', to: 'moved.py' }),
      }),
      fetch(filesUrl('train.py'), { method: 'DELETE', headers: asViewer() }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: string }).error).toBe('FORBIDDEN');
    }
    const file = (await (await t.api(`/v1/sessions/${sessionId}/files?path=train.py`)).json()) as {
      content: string;
    };
    expect(file.content).not.toBe('owned');
  });

  it('cannot reach the sandbox’s services', async () => {
    const response = await fetch(`${t.url}/v1/sessions/${sessionId}/services/5000/`, { headers: asViewer() });
    expect(response.status).toBe(403);
  });

  it('still works only for the session’s own learner', async () => {
    const other = mintBrowserToken(t.config.secret, { sessionId, userId: 'someone-else', readOnly: true });
    const response = await fetch(filesUrl('train.py'), { headers: { 'x-academy-token': other } });
    expect(response.status).toBe(403);
  });
});
