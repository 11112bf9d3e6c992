import { afterEach, describe, expect, it, vi } from 'vitest';
import { labkitServiceNames } from '../api/labkit-services';
import {
  DriverError,
  labkitServicesAccount,
  learnerServicesAccount,
  type ExecRequest,
  type SandboxLabels,
} from '../drivers/driver';
import { FakeDriver } from '../drivers/fake';
import { poolRetryMs } from './pool';
import { servicesUpScript } from './services';
import { expectNoLeakedSandboxes, starterFile, testLabs, testManagers } from './test-kit';

const newManager = testManagers();

afterEach(() => {
  vi.useRealTimers();
});

const isServicesUp = (request: ExecRequest) => request.cmd.at(-1) === 'labkit-services';
const isServicesStop = (request: ExecRequest) => request.cmd.join(' ').includes('labkit services down');
const execsOf = (driver: FakeDriver, sessionId: string) =>
  driver
    .callsOf('exec')
    .filter((call) => call.sessionId === sessionId)
    .map((call) => call.args[0] as ExecRequest);
/** Lets every pending promise callback and I/O callback run (nothing waits on a clock). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const hour = 3_600_000;
const labels = (sessionId: string, change: Partial<SandboxLabels> = {}): SandboxLabels => ({
  sessionId,
  userId: 'ada',
  labId: testLabs.plain,
  expiresAt: Date.now() + hour,
  isPool: false,
  ...change,
});
const poolLabels = (sessionId: string) => labels(sessionId, { userId: '', labId: '', isPool: true });

describe('the warm pool', () => {
  it('fills to poolSize once started, one sandbox at a time, each with every labkit service started', async () => {
    const t = newManager({ poolSize: 2 });
    const held = t.driver.gate('create');
    await t.manager.start();
    await held.reached;
    await settle();
    expect(t.driver.callsOf('create')).toHaveLength(1);
    held.open();
    await t.manager.waitForPool(1000);

    expect(t.driver.callsOf('create')).toHaveLength(2);
    const pool = await t.driver.list();
    expect(pool.map((info) => info.labels)).toEqual([
      expect.objectContaining({ userId: '', labId: '', isPool: true }),
      expect.objectContaining({ userId: '', labId: '', isPool: true }),
    ]);
    for (const { labels } of pool) {
      expect(execsOf(t.driver, labels.sessionId)).toEqual([
        expect.objectContaining({
          cmd: ['sh', '-c', servicesUpScript(labkitServiceNames, labkitServicesAccount), 'labkit-services'],
          user: 'labkit',
        }),
      ]);
    }
    expect(t.manager.capacity()).toMatchObject({ poolSize: 2, poolReady: 2 });
    expect((await t.metrics.poolSize.get()).values[0]?.value).toBe(2);
  });

  it('gives a start a warm sandbox: its id becomes the session’s, with the learner’s labels and the lab’s files; then refills', async () => {
    const t = newManager({ poolSize: 1 });
    await t.manager.start();
    await t.manager.waitForPool(1000);
    const [warmId] = t.driver.sandboxIds();

    const { session } = await t.manager.create('ada', testLabs.plain);
    expect(session).toMatchObject({ id: warmId, startKind: 'warm', state: 'ready' });
    expect(t.driver.sandbox(warmId!)).toMatchObject({
      labels: { sessionId: warmId, userId: 'ada', labId: testLabs.plain, isPool: false },
      resources: expect.objectContaining({ memoryMb: 1024 }),
    });
    expect(t.driver.files(warmId!)).toEqual({ [starterFile.path]: starterFile.content });
    expect(t.driver.callsOf('create')).toHaveLength(2);
    await t.manager.waitForPool(1000);
    expect(t.manager.poolSize()).toBe(1);
    await expectNoLeakedSandboxes(t);
    expect(await t.metrics.registry.getSingleMetricAsString('mlops_academy_session_start_seconds')).toContain(
      'kind="warm"',
    );
  });

  it('stops the services the pool started that the lab does not list: all for a lab without services', async () => {
    const t = newManager({ poolSize: 1 });
    await t.manager.start();
    await t.manager.waitForPool(1000);
    const plain = (await t.manager.create('ada', testLabs.plain)).session;
    expect(execsOf(t.driver, plain.id).filter(isServicesStop)).toEqual([
      expect.objectContaining({ user: 'labkit' }),
    ]);

    await t.manager.waitForPool(1000);
    const tracking = (await t.manager.create('bob', testLabs.tracking)).session;
    expect(tracking.startKind).toBe('warm');
    const execs = execsOf(t.driver, tracking.id);
    // A tracking lab keeps tracking, with its data, and loses the pipelines service it does not list.
    expect(execs.filter(isServicesStop).map((exec) => exec.cmd[2])).toEqual([
      "LABKIT_HOME='/var/lib/labkit' labkit services down pipelines && cd '/var/lib/labkit' && rm -rf pipelines pipelines.log",
    ]);
    expect(execs.filter(isServicesUp).at(-1)?.cmd[2]).toBe(
      servicesUpScript(['tracking'], labkitServicesAccount),
    );
  });

  it('keeps a warm sandbox whose services did not start: only the head start is lost', async () => {
    const t = newManager({ poolSize: 1 });
    t.driver.onExec(() => ({ exitCode: 1, stderr: 'tracking: no answer' }));
    await t.manager.start();
    await t.manager.waitForPool(1000);
    expect(t.logs).toContainEqual(
      expect.stringMatching(/^warm pool: labkit services did not start in .*no answer/),
    );
  });

  it('starts a lab whose disk no warm sandbox has cold, leaving the pool as it is', async () => {
    const t = newManager({ poolSize: 1 });
    await t.manager.start();
    await t.manager.waitForPool(1000);
    const { session } = await t.manager.create('ada', testLabs.bigDisk);
    expect(session.startKind).toBe('cold');
    expect(t.manager.poolSize()).toBe(1);
    await expectNoLeakedSandboxes(t);
  });

  it('never holds more than maxSessions + poolSize sandboxes, and refills once a session is gone', async () => {
    const driver = new FakeDriver();
    for (const id of ['s1', 's2', 's3']) driver.seed({ labels: labels(id, { userId: id }) });
    const t = newManager({ driver, maxSessions: 2, poolSize: 2 });
    await t.manager.start();
    await vi.waitFor(() => expect(t.manager.poolSize()).toBe(1));
    await settle();
    expect(driver.callsOf('create')).toHaveLength(1);

    await t.manager.destroy('s1');
    await t.manager.waitForPool(1000);
    expect(t.manager.poolSize()).toBe(2);
    await expectNoLeakedSandboxes(t);
  });

  it('on start, re-adopts its labelled sandboxes, reaps expired and unwanted ones, and leaves another runner’s alone', async () => {
    const driver = new FakeDriver();
    driver.seed({ labels: labels('running'), createdAt: 1_000 });
    driver.seed({ labels: labels('stopped', { userId: 'bob', labId: testLabs.tracking }), isRunning: false });
    driver.seed({ labels: labels('of-removed-lab', { labId: 'removed-lab' }) });
    driver.seed({ labels: labels('expired', { expiresAt: Date.now() - 1 }) });
    driver.seed({ labels: poolLabels('warm-1') });
    driver.seed({ labels: poolLabels('warm-2') });
    driver.seed({ labels: poolLabels('warm-stopped'), isRunning: false });
    driver.seed({ labels: labels('theirs'), isForeign: true });
    const t = newManager({ driver, poolSize: 1 });
    await t.manager.start();

    expect(t.manager.get('running')).toMatchObject({
      state: 'ready',
      startKind: 'adopted',
      userId: 'ada',
      createdAt: 1_000,
      services: [],
    });
    expect(t.manager.get('stopped')).toMatchObject({
      state: 'stopped',
      readyAt: undefined,
      services: ['tracking'],
    });
    expect(t.manager.get('of-removed-lab')).toMatchObject({ state: 'ready', services: [] });
    expect(() => t.manager.get('expired')).toThrow(expect.objectContaining({ code: 'SESSION_NOT_FOUND' }));
    expect(t.manager.poolSize()).toBe(1);
    expect(driver.sandboxIds()).toEqual(['of-removed-lab', 'running', 'stopped', 'warm-1']);
    expect(driver.sandbox('theirs')).toBeDefined();
    expect(t.logs).toContain('adopted 4 sandbox(es), reaped 3');
    expect(driver.callsOf('create')).toEqual([]);

    const warm = await t.manager.create('cyd', testLabs.plain);
    expect(warm.session.id).toBe('warm-1');
  });

  it('reaps the warm sandboxes of an older runner, but keeps its learners’ sandboxes with their services as they were', async () => {
    const driver = new FakeDriver();
    driver.seed({ labels: poolLabels('old-warm'), servicesAccount: learnerServicesAccount });
    driver.seed({
      labels: labels('old-session', { labId: testLabs.tracking }),
      servicesAccount: learnerServicesAccount,
    });
    const t = newManager({ driver, poolSize: 1 });
    await t.manager.start();
    await t.manager.waitForPool(1000);

    expect(driver.sandbox('old-warm')).toBeUndefined();
    await t.manager.ensureServices('old-session');
    expect(execsOf(driver, 'old-session')).toEqual([
      expect.objectContaining({
        cmd: ['sh', '-c', servicesUpScript(['tracking'], learnerServicesAccount), 'labkit-services'],
        user: 'learner',
      }),
    ]);
  });

  it('waits poolRetryMs after a failed creation instead of trying again at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const t = newManager({ poolSize: 1 });
    t.driver.failNext('create', new DriverError('ENGINE_ERROR', 'no such image'));
    await t.manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.logs).toContainEqual('warm pool: could not create a sandbox: no such image');

    // A learner's start meanwhile does not bring the retry forward.
    await t.manager.create('ada', testLabs.plain);
    await vi.advanceTimersByTimeAsync(poolRetryMs - 1);
    expect(t.driver.callsOf('create')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await t.manager.waitForPool(1000);
    expect(t.driver.callsOf('create')).toHaveLength(3);
  });

  it('drains its warm sandboxes, the one being made too', async () => {
    const t = newManager({ poolSize: 1 });
    const held = t.driver.gate('create');
    await t.manager.start();
    await held.reached;
    const draining = t.manager.drainPool();
    held.open();
    await draining;
    expect(t.manager.poolSize()).toBe(0);
    expect(t.driver.sandboxIds()).toEqual([]);
    expect((await t.metrics.poolSize.get()).values[0]?.value).toBe(0);
  });

  it('removes a sandbox still being made when the manager closes, and makes no more', async () => {
    const t = newManager({ poolSize: 2 });
    const held = t.driver.gate('create');
    await t.manager.start();
    await held.reached;
    const closing = t.manager.close();
    held.open();
    await closing;
    expect(t.driver.sandboxIds()).toEqual([]);
    expect(t.driver.callsOf('create')).toHaveLength(1);
  });

  it('says when the pool is not full in time', async () => {
    const t = newManager({ poolSize: 1 });
    const held = t.driver.gate('create');
    await t.manager.start();
    await expect(t.manager.waitForPool(20)).rejects.toThrow('warm pool not full after 20 ms');
    held.open();
    await t.manager.waitForPool(1000);
  });

  it('forgets and removes every sandbox, pool and sessions alike, on reapAll', async () => {
    const t = newManager({ poolSize: 1 });
    await t.manager.start();
    await t.manager.waitForPool(1000);
    await t.manager.create('ada', testLabs.bigDisk);
    expect(await t.manager.reapAll()).toHaveLength(2);
    expect([t.manager.list(), t.manager.poolSize(), t.driver.sandboxIds()]).toEqual([[], 0, []]);
  });
});
