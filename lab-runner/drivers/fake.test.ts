import { describe, expect, it } from 'vitest';
import {
  defaultSandboxResources,
  DriverError,
  labkitServicesAccount,
  learnerServicesAccount,
  type ExecRequest,
  type SandboxLabels,
} from './driver';
import { FakeDriver } from './fake';

const labels = (sessionId: string, change: Partial<SandboxLabels> = {}): SandboxLabels => ({
  sessionId,
  userId: 'ada',
  labId: 'demo-lab',
  expiresAt: 2_000_000_000_000,
  isPool: false,
  ...change,
});

const spec = (sessionId: string, change: Partial<SandboxLabels> = {}) => ({
  labels: labels(sessionId, change),
  image: 'lab:test',
  resources: defaultSandboxResources,
  starterFiles: [{ path: 'train.py', content: Buffer.from('print(1)\n') }],
});

const echo: ExecRequest = { cmd: ['echo', 'hi'], user: 'learner', timeoutMs: 1000, outputLimitBytes: 1024 };

describe('FakeDriver', () => {
  it('works with no arguments: create, exec succeeding with no output, stop, start, remove', async () => {
    const driver = new FakeDriver();
    const info = await driver.create(spec('s1'));
    expect(info).toMatchObject({ labels: labels('s1'), isRunning: true });
    expect(await driver.exec('s1', echo)).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '',
      timedOut: false,
      truncated: false,
    });
    await driver.stop('s1');
    expect((await driver.list())[0]?.isRunning).toBe(false);
    await driver.start('s1');
    expect((await driver.list())[0]?.isRunning).toBe(true);
    await driver.remove('s1');
    await driver.remove('s1');
    expect(await driver.list()).toEqual([]);
  });

  it('throws SANDBOX_NOT_FOUND for an unknown sandbox and SANDBOX_NOT_RUNNING for a stopped one', async () => {
    const driver = new FakeDriver();
    await expect(driver.start('nope')).rejects.toMatchObject({ code: 'SANDBOX_NOT_FOUND' });
    await expect(driver.stop('nope')).rejects.toMatchObject({ code: 'SANDBOX_NOT_FOUND' });
    await expect(driver.exec('nope', echo)).rejects.toMatchObject({ code: 'SANDBOX_NOT_FOUND' });
    await expect(driver.resetWorkspace('nope', [])).rejects.toMatchObject({ code: 'SANDBOX_NOT_FOUND' });
    await driver.create(spec('s1'));
    await driver.stop('s1');
    await expect(driver.exec('s1', echo)).rejects.toBeInstanceOf(DriverError);
    for (const call of [
      () => driver.exec('s1', echo),
      () => driver.attachTty('s1', ['bash'], { cols: 80, rows: 24 }),
      () => driver.serviceSocket('s1', 5000),
      () => driver.stats('s1'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'SANDBOX_NOT_RUNNING' });
    }
  });

  it('keeps a workspace: starter files on create and assign, replaced (and running) after a reset', async () => {
    const driver = new FakeDriver();
    await driver.create({ ...spec('pool1', { isPool: true, userId: '', labId: '' }), starterFiles: [] });
    await driver.assign('pool1', labels('pool1'), defaultSandboxResources, spec('pool1').starterFiles);
    expect(driver.files('pool1')).toEqual({ 'train.py': 'print(1)\n' });
    expect((await driver.list())[0]?.labels).toEqual(labels('pool1'));
    await driver.stop('pool1');
    await driver.resetWorkspace('pool1', [{ path: 'fresh.txt', content: Buffer.from('new') }]);
    expect(driver.files('pool1')).toEqual({ 'fresh.txt': 'new' });
    expect(driver.sandbox('pool1')?.isRunning).toBe(true);
  });

  it('lists and reaps only its own sandboxes', async () => {
    const driver = new FakeDriver();
    await driver.create(spec('mine-kept'));
    await driver.create(spec('mine-orphan'));
    driver.seed({ labels: labels('theirs'), isForeign: true });
    expect((await driver.list()).map((info) => info.labels.sessionId)).toEqual(['mine-kept', 'mine-orphan']);
    expect(await driver.reapOrphans((info) => info.labels.sessionId === 'mine-kept')).toEqual([
      'mine-orphan',
    ]);
    expect(driver.sandboxIds()).toEqual(['mine-kept']);
    expect(driver.sandbox('theirs')).toBeDefined();
  });

  it('runs labkit services as the labkit user in the sandboxes it makes, as the learner in a seeded older one', async () => {
    const driver = new FakeDriver();
    await driver.create(spec('new'));
    driver.seed({ labels: labels('old'), servicesAccount: learnerServicesAccount });
    expect(await driver.servicesAccount('new')).toEqual(labkitServicesAccount);
    expect(await driver.servicesAccount('old')).toEqual(learnerServicesAccount);
    expect((await driver.list()).map((info) => info.servicesAccount.user)).toEqual(['labkit', 'learner']);
    await expect(driver.servicesAccount('nope')).rejects.toMatchObject({ code: 'SANDBOX_NOT_FOUND' });
  });

  it('answers execs as a test scripts them', async () => {
    const driver = new FakeDriver();
    await driver.create(spec('s1'));
    driver.onExec((sessionId, request) =>
      request.cmd[0] === 'echo' ? { stdout: `${sessionId}: hi\n` } : { exitCode: 1, stderr: 'no' },
    );
    expect(await driver.exec('s1', echo)).toMatchObject({ exitCode: 0, stdout: 's1: hi\n' });
    expect(await driver.exec('s1', { ...echo, cmd: ['false'] })).toMatchObject({ exitCode: 1, stderr: 'no' });
    expect(driver.callsOf('exec').map((call) => call.sessionId)).toEqual(['s1', 's1']);
  });

  it('fails the next call of a method, once, leaving nothing behind', async () => {
    const driver = new FakeDriver();
    driver.failNext('create', new DriverError('ENGINE_ERROR', 'engine down'));
    await expect(driver.create(spec('s1'))).rejects.toThrow('engine down');
    expect(driver.sandboxIds()).toEqual([]);
    await driver.create(spec('s1'));
    expect(driver.sandboxIds()).toEqual(['s1']);
  });

  it('holds a call at a gate until the test opens it, or fails it', async () => {
    const driver = new FakeDriver();
    const gate = driver.gate('create');
    const creating = driver.create(spec('s1'));
    expect(await gate.reached).toBe('s1');
    expect(driver.sandboxIds()).toEqual([]);
    gate.open();
    await creating;
    expect(driver.sandboxIds()).toEqual(['s1']);

    const held = driver.gate('stop');
    const stopping = driver.stop('s1');
    await held.reached;
    held.fail(new DriverError('ENGINE_ERROR', 'stuck'));
    await expect(stopping).rejects.toThrow('stuck');
    expect(driver.sandbox('s1')?.isRunning).toBe(true);
  });

  it('gives a terminal that echoes and a socket path for a service port', async () => {
    const driver = new FakeDriver({ socketsDir: '/tmp/fake' });
    await driver.create(spec('s1'));
    const tty = await driver.attachTty('s1', ['bash'], { cols: 80, rows: 24 });
    const echoed = new Promise<string>((resolve) =>
      tty.stream.once('data', (data: Buffer) => resolve(String(data))),
    );
    tty.stream.write('ls\r');
    expect(await echoed).toBe('ls\r');
    await tty.close();
    expect(tty.stream.destroyed).toBe(true);
    expect(await driver.serviceSocket('s1', 5000)).toBe('/tmp/fake/s1/5000.sock');
    expect(await driver.stats('s1')).toMatchObject({ diskUsedBytes: 'print(1)\n'.length });
  });
});
