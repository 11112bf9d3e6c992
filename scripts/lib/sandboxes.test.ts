import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxLabels } from '@/lab-runner/drivers/driver';
import { FakeDriver } from '@/lab-runner/drivers/fake';
import { RunnerClient } from '@/lib/runner/client';
import { fakeRunnerSecret, startFakeRunner, type FakeRunner } from '@/tests/support/fake-runner';
import {
  dockerControl,
  parseSandboxesArgs,
  runnerAnswers,
  runnerControl,
  runSandboxesCommand,
  type SandboxControl,
  type SandboxesCommand,
} from './sandboxes';

const labels = (sessionId: string, extra: Partial<SandboxLabels> = {}): SandboxLabels => ({
  sessionId,
  userId: `user-${sessionId.slice(0, 4)}`,
  labId: 'sandbox-basics',
  expiresAt: Date.now() + 60 * 60_000,
  isPool: false,
  ...extra,
});

const ids = {
  running: 'a'.repeat(20),
  stopped: 'b'.repeat(20),
  pool: 'c'.repeat(20),
  foreign: 'd'.repeat(20),
};

/** This runner's sandboxes (one running, one stopped, one of the pool) and another runner's. */
function seededDriver(): FakeDriver {
  const driver = new FakeDriver();
  driver.seed({ labels: labels(ids.running) });
  driver.seed({ labels: labels(ids.stopped), isRunning: false });
  driver.seed({ labels: labels(ids.pool, { isPool: true, userId: '', labId: 'sandbox-basics' }) });
  driver.seed({ labels: labels(ids.foreign), isForeign: true });
  return driver;
}

async function run(args: string[], control: SandboxControl) {
  const out: string[] = [];
  const errors: string[] = [];
  const request = parseSandboxesArgs(args) as SandboxesCommand;
  const status = await runSandboxesCommand(
    request,
    control,
    (line) => out.push(line),
    (line) => errors.push(line),
  );
  return { status, out, errors };
}

describe('the command line', () => {
  it('takes list, or stop and destroy with --all or sandbox ids', () => {
    expect(parseSandboxesArgs(['list'])).toEqual({ command: 'list' });
    expect(parseSandboxesArgs(['stop', '--all'])).toEqual({ command: 'stop', targets: 'all' });
    expect(parseSandboxesArgs(['destroy', 'x', 'y'])).toEqual({ command: 'destroy', targets: ['x', 'y'] });
  });

  it('refuses anything else, so nothing is stopped or destroyed by a typo', () => {
    for (const args of [
      [],
      ['stop'],
      ['destroy'],
      ['list', 'x'],
      ['stop', '--al'],
      ['stop', '--all', 'x'],
      ['kill'],
    ]) {
      expect(parseSandboxesArgs(args), args.join(' ')).toBeNull();
    }
  });
});

describe('through the Docker labels (the runner is down)', () => {
  it("lists this runner's sandboxes, the pool's too, and never another runner's", async () => {
    const { status, out } = await run(['list'], dockerControl(seededDriver(), 'Docker'));
    expect(status).toBe(0);
    expect(out[0]).toBe('Sandboxes through Docker:');
    expect(out.slice(2).map((line) => line.split(/\s+/).slice(0, 2))).toEqual([
      [ids.running, 'ready'],
      [ids.stopped, 'stopped'],
      [ids.pool, 'pool'],
    ]);
    expect(out.join('\n')).not.toContain(ids.foreign);
  });

  it('stops every running learner sandbox with --all, keeping their workspaces', async () => {
    const driver = seededDriver();
    const { status, out } = await run(['stop', '--all'], dockerControl(driver, 'Docker'));
    expect(status).toBe(0);
    expect(driver.callsOf('stop').map((call) => call.sessionId)).toEqual([ids.running]);
    expect(driver.callsOf('remove')).toEqual([]);
    expect(driver.sandbox(ids.running)?.isRunning).toBe(false);
    expect(out).toContain(`stopped ${ids.running} (sandbox-basics)`);
    expect(driver.sandbox(ids.foreign)?.isRunning).toBe(true);
  });

  it('destroys every sandbox of this runner with --all, and leaves another runner’s alone', async () => {
    const driver = seededDriver();
    const { status } = await run(['destroy', '--all'], dockerControl(driver, 'Docker'));
    expect(status).toBe(0);
    expect(driver.sandboxIds()).toEqual([]);
    expect(driver.sandbox(ids.foreign)).toBeDefined();
  });

  it('refuses an id that is not one of its sandboxes and then changes nothing at all', async () => {
    const driver = seededDriver();
    const { status, errors } = await run(
      ['destroy', ids.stopped, ids.foreign],
      dockerControl(driver, 'Docker'),
    );
    expect(status).toBe(1);
    expect(errors[0]).toContain(`No such sandbox here: ${ids.foreign}`);
    expect(driver.callsOf('remove')).toEqual([]);
    expect(driver.sandboxIds()).toEqual([ids.running, ids.stopped, ids.pool].sort());
  });
});

describe('through the runner’s API (the runner is up)', () => {
  let runner: FakeRunner | undefined;

  afterEach(async () => {
    await runner?.close();
    runner = undefined;
  });

  async function listeningRunner(): Promise<string> {
    runner = await startFakeRunner();
    await runner.app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(runner.app.server.address() as AddressInfo).port}`;
  }

  it('lists, stops and destroys the learners’ sandboxes with the runner secret', async () => {
    const url = await listeningRunner();
    const [alice, bob] = [await runner!.startSession('alice'), await runner!.startSession('bob')];
    const control = runnerControl(new RunnerClient(url, fakeRunnerSecret), url);

    const listed = await run(['list'], control);
    expect(listed.out[0]).toBe(`Sandboxes through the lab runner at ${url}:`);
    expect(listed.out.join('\n')).toContain(alice);

    expect((await run(['stop', alice], control)).status).toBe(0);
    expect(runner!.sessions.get(alice).state).toBe('stopped');
    expect(runner!.sessions.get(bob).state).toBe('ready');

    expect((await run(['destroy', '--all'], control)).status).toBe(0);
    expect(runner!.sessions.list()).toEqual([]);
    expect(runner!.driver.sandboxIds()).toEqual([]);
  });

  it('is used only while the runner answers its health check', async () => {
    const url = await listeningRunner();
    expect(await runnerAnswers(url)).toBe(true);
    await runner!.close();
    runner = undefined;
    expect(await runnerAnswers(url, 500)).toBe(false);
  });
});
