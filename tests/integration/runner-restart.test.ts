/**
 * The runner process killed with SIGKILL and started again re-adopts a running session: same id,
 * same workspace, same terminal (the shell lives in tmux inside the sandbox).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/tests/bench/server';
import { DockerDriver } from '@/lab-runner/drivers/docker';
import { ensureImageForTests, getDocker } from '@/tests/support/docker';
import { fixtureLabsDir, testSecret } from '@/tests/support/runner';
import { mintBrowserToken } from '@/lab-runner/api/tokens';
import { openTerminal } from '@/tests/support/terminal-client';
import { startTestRunner } from '@/tests/support/runner';

let dataDir: string;
let port: number;
let image: string;
let runner: ChildProcess | undefined;
const base = () => `http://127.0.0.1:${port}`;
const auth = { authorization: `Bearer ${testSecret}`, 'content-type': 'application/json' };

async function startRunnerProcess(): Promise<ChildProcess> {
  // One process (node with the tsx loader), so SIGKILL really kills the runner.
  const child = spawn(process.execPath, ['--import', 'tsx', 'lab-runner/server/main.ts'], {
    env: {
      ...process.env,
      RUNNER_PORT: String(port),
      RUNNER_SECRET: testSecret,
      RUNNER_DATA_DIR: dataDir,
      LABS_DIR: fixtureLabsDir,
      POOL_SIZE: '0',
      SANDBOX_IMAGE: image,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`runner exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base()}/v1/health`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('runner did not start');
}

beforeAll(async () => {
  image = await ensureImageForTests();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-academy-restart-'));
  port = await freePort();
}, 600_000);

afterAll(async () => {
  if (runner && runner.exitCode === null) {
    const sessions = (await (await fetch(`${base()}/v1/sessions`, { headers: auth })).json()) as {
      sessions: { id: string }[];
    };
    for (const s of sessions.sessions)
      await fetch(`${base()}/v1/sessions/${s.id}`, { method: 'DELETE', headers: auth });
    const exited = new Promise((resolve) => runner!.once('exit', resolve));
    runner.kill('SIGTERM');
    await exited;
  }
  // Whatever is left (a failed assertion above), removed through a driver for the same data folder.
  const { docker } = await getDocker();
  await new DockerDriver({ docker, sandboxesDir: path.join(dataDir, 'sandboxes') }).reapOrphans(() => false);
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('runner restart', () => {
  it('re-adopts a running session with its workspace and terminal after SIGKILL', async () => {
    runner = await startRunnerProcess();
    const created = await fetch(`${base()}/v1/sessions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ userId: 'resilient', labId: 'sandbox-basics' }),
    });
    const { id } = (await created.json()) as { id: string };
    await fetch(`${base()}/v1/sessions/${id}/files?path=notes.md`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ content: 'written before the crash\n' }),
    });
    const token = () => mintBrowserToken(testSecret, { sessionId: id, userId: 'resilient' });
    const before = await openTerminal(`${base()}/v1/sessions/${id}/terminal?token=${token()}`);
    before.type('export SURVIVOR=yes; echo crash-marker-$((40+2))\r');
    await before.waitFor(/crash-marker-42/);

    runner.kill('SIGKILL');
    await new Promise((resolve) => runner!.once('exit', resolve));
    await before.close();
    runner = await startRunnerProcess();

    const sessionResponse = await fetch(`${base()}/v1/sessions/${id}`, { headers: auth });
    const session = (await sessionResponse.json()) as {
      state: string;
      startKind: string;
      userId: string;
      labId: string;
    };
    expect(session).toMatchObject({
      state: 'ready',
      startKind: 'adopted',
      userId: 'resilient',
      labId: 'sandbox-basics',
    });
    const file = (await (
      await fetch(`${base()}/v1/sessions/${id}/files?path=notes.md`, { headers: auth })
    ).json()) as {
      content: string;
    };
    expect(file.content).toBe('written before the crash\n');

    const after = await openTerminal(`${base()}/v1/sessions/${id}/terminal?token=${token()}`);
    await after.waitFor(/crash-marker-42/);
    after.type('echo "survivor=$SURVIVOR"\r');
    await after.waitFor(/survivor=yes/);
    await after.close();
  }, 180_000);

  it('leaves alone the sandboxes of another runner on the same engine (its own data folder)', async () => {
    runner ??= await startRunnerProcess();
    const created = await fetch(`${base()}/v1/sessions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ userId: 'neighbour', labId: 'sandbox-basics' }),
    });
    const { id } = (await created.json()) as { id: string };
    // A second runner starting up re-adopts its own sandboxes and reaps only its own orphans.
    const other = await startTestRunner();
    try {
      expect(other.runner.sessions.list().map((s) => s.id)).not.toContain(id);
    } finally {
      await other.stop();
    }
    const still = (await (await fetch(`${base()}/v1/sessions/${id}`, { headers: auth })).json()) as {
      state: string;
    };
    expect(still.state).toBe('ready');
    const exec = await fetch(`${base()}/v1/sessions/${id}/exec`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ cmd: ['true'] }),
    });
    expect(((await exec.json()) as { exitCode: number }).exitCode).toBe(0);
  }, 180_000);
});
