import { describe, expect, it } from 'vitest';
import { DriverError, labkitServicesAccount, type ExecRequest } from '../drivers/driver';
import { servicesUpScript } from './services';
import { expectNoLeakedSandboxes, starterFile, testLabs, testManagers, type TestManager } from './test-kit';

const newManager = testManagers();

const isServicesUp = (request: ExecRequest) => request.cmd.at(-1) === 'labkit-services';
const anExec: ExecRequest = { cmd: ['true'], user: 'learner', timeoutMs: 1000, outputLimitBytes: 1024 };
/** Lets every pending promise callback and I/O callback run (nothing waits on a clock). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function stoppedSession(t: TestManager, userId: string, labId: string) {
  const { session } = await t.manager.create(userId, labId);
  return t.manager.stop(session.id);
}

describe('creating a session', () => {
  it('makes a cold sandbox of the lab, with its starter files and labels, and answers once it is ready', async () => {
    const t = newManager();
    const { session, isNew } = await t.manager.create('ada', testLabs.plain);
    expect(isNew).toBe(true);
    expect(session).toMatchObject({
      userId: 'ada',
      labId: testLabs.plain,
      state: 'ready',
      startKind: 'cold',
    });
    expect(session.readyAt).toBeGreaterThanOrEqual(session.createdAt);
    expect(t.driver.files(session.id)).toEqual({ [starterFile.path]: starterFile.content });
    expect(await t.driver.list()).toEqual([
      expect.objectContaining({
        labels: {
          sessionId: session.id,
          userId: 'ada',
          labId: testLabs.plain,
          expiresAt: session.expiresAt,
          isPool: false,
        },
        isRunning: true,
      }),
    ]);
    expect(t.driver.callsOf('exec')).toEqual([]);
    expect(await t.metrics.registry.getSingleMetricAsString('mlops_academy_session_start_seconds')).toContain(
      'kind="cold"',
    );
    expect((await t.metrics.sessions.get()).values).toContainEqual(
      expect.objectContaining({ labels: { state: 'ready' }, value: 1 }),
    );
  });

  it('returns the learner’s existing session for the same lab, resumed when it was stopped', async () => {
    const t = newManager();
    const stopped = await stoppedSession(t, 'ada', testLabs.plain);
    const again = await t.manager.create('ada', testLabs.plain);
    expect(again).toEqual({ session: stopped, isNew: false });
    expect(again.session.state).toBe('ready');
    expect(t.driver.callsOf('create')).toHaveLength(1);
  });

  it('expires after sessionTtlMs, or after the lab’s timeLimitMinutes when that is sooner', async () => {
    const t = newManager({ sessionTtlMs: 60 * 60_000 });
    const plain = (await t.manager.create('ada', testLabs.plain)).session;
    const timed = (await t.manager.create('ada', testLabs.timed)).session;
    expect(plain.expiresAt - plain.createdAt).toBe(60 * 60_000);
    expect(timed.expiresAt - timed.createdAt).toBe(30 * 60_000);

    const short = newManager({ sessionTtlMs: 10 * 60_000 });
    const capped = (await short.manager.create('bob', testLabs.timed)).session;
    expect(capped.expiresAt - capped.createdAt).toBe(10 * 60_000);
  });

  it('marks the session error when its sandbox cannot be made, and a new start makes a new one', async () => {
    const t = newManager();
    t.driver.failNext('create', new DriverError('ENGINE_ERROR', 'image missing'));
    await expect(t.manager.create('ada', testLabs.plain)).rejects.toMatchObject({
      code: 'SANDBOX_FAILED',
      status: 503,
      message: 'The sandbox could not be started: image missing',
    });
    const [failed] = t.manager.list({ userId: 'ada' });
    expect(failed).toMatchObject({
      state: 'error',
      error: 'The sandbox could not be started: image missing',
    });
    await expectNoLeakedSandboxes(t);

    const retry = await t.manager.create('ada', testLabs.plain);
    expect(retry).toMatchObject({ isNew: true, session: { state: 'ready' } });
    expect(retry.session.id).not.toBe(failed?.id);
    await expectNoLeakedSandboxes(t);
  });

  it('uses the runner’s image override for every lab', async () => {
    const t = newManager({ imageOverride: 'custom/lab:1' });
    const { session } = await t.manager.create('ada', testLabs.plain);
    expect(t.driver.sandbox(session.id)?.image).toBe('custom/lab:1');
  });
});

describe('capacity limits', () => {
  it('refuses a learner more than maxSessionsPerUser running labs (409 TOO_MANY_SESSIONS), counting creating and ready ones only', async () => {
    const t = newManager({ maxSessionsPerUser: 2 });
    const held = t.driver.gate('create');
    const creating = t.manager.create('ada', testLabs.plain);
    await held.reached;
    const timed = (await t.manager.create('ada', testLabs.timed)).session;
    await expect(t.manager.create('ada', testLabs.tracking)).rejects.toMatchObject({
      code: 'TOO_MANY_SESSIONS',
      status: 409,
      message: expect.stringMatching(/You already have 2 lab sandbox\(es\) running; stop one/),
    });
    held.open();
    await creating;

    await t.manager.stop(timed.id);
    t.driver.failNext('create', new DriverError('ENGINE_ERROR', 'engine down'));
    await expect(t.manager.create('ada', testLabs.bigDisk)).rejects.toMatchObject({ code: 'SANDBOX_FAILED' });
    // One ready, one stopped, one failed: a second running lab is allowed.
    expect((await t.manager.create('ada', testLabs.tracking)).session.state).toBe('ready');
    expect(t.manager.capacity()).toMatchObject({ active: 2, stopped: 1 });
  });

  it('starts no new sandbox when the disk would fall below the reserve (507 DISK_FULL), and still resumes one', async () => {
    const mb = 1024 * 1024;
    let freeBytes = 10_000 * mb;
    const t = newManager({ minFreeDiskMb: 2048, freeDiskBytes: () => freeBytes });
    const { session } = await t.manager.create('ada', testLabs.plain);
    await t.manager.stop(session.id);
    freeBytes = 2100 * mb;
    await expect(t.manager.create('ada', testLabs.bigDisk)).rejects.toMatchObject({
      code: 'DISK_FULL',
      status: 507,
      message: expect.stringMatching(/almost out of disk space.*Labs already started go on working/),
    });
    expect((await t.manager.resume(session.id)).state).toBe('ready');
    // Unknown free space (the data folder cannot be read) refuses nothing; neither does a reserve of 0.
    freeBytes = 0;
    expect(
      (
        await newManager({ minFreeDiskMb: 2048, freeDiskBytes: () => null }).manager.create(
          'ada',
          testLabs.plain,
        )
      ).session.state,
    ).toBe('ready');
    expect(
      (await newManager({ minFreeDiskMb: 0, freeDiskBytes: () => 0 }).manager.create('ada', testLabs.plain))
        .session.state,
    ).toBe('ready');
  });

  it('answers AT_CAPACITY (429) once maxSessions sandboxes run; a stopped one frees its place', async () => {
    const t = newManager({ maxSessions: 2 });
    const first = (await t.manager.create('ada', testLabs.plain)).session;
    await t.manager.create('bob', testLabs.plain);
    await expect(t.manager.create('cyd', testLabs.plain)).rejects.toMatchObject({
      code: 'AT_CAPACITY',
      status: 429,
      message: expect.stringMatching(/^All 2 sandboxes on this server are in use/),
    });
    expect(t.manager.list({ userId: 'cyd' })).toEqual([]);
    await t.manager.stop(first.id);
    expect((await t.manager.create('cyd', testLabs.plain)).isNew).toBe(true);
    expect(t.manager.capacity()).toMatchObject({ maxSessions: 2, active: 2, stopped: 1, poolReady: 0 });
  });

  it('checks the limits again when a stopped session is resumed', async () => {
    const t = newManager({ maxSessionsPerUser: 1 });
    const plain = await stoppedSession(t, 'ada', testLabs.plain);
    await t.manager.create('ada', testLabs.timed);
    await expect(t.manager.resume(plain.id)).rejects.toMatchObject({ code: 'TOO_MANY_SESSIONS' });
    expect(plain.state).toBe('stopped');
    expect(t.driver.callsOf('start')).toEqual([]);
  });

  it('checks the limits again when a stopped session is reset (a reset starts it)', async () => {
    const t = newManager({ maxSessions: 1 });
    const plain = await stoppedSession(t, 'ada', testLabs.plain);
    await t.manager.create('bob', testLabs.plain);
    await expect(t.manager.reset(plain.id)).rejects.toMatchObject({ code: 'AT_CAPACITY' });
    expect(plain.state).toBe('stopped');
    expect(t.driver.callsOf('resetWorkspace')).toEqual([]);
  });

  it('counts a resume in progress against the limits, so two resumes at once cannot both pass', async () => {
    const t = newManager({ maxSessionsPerUser: 1 });
    const plain = await stoppedSession(t, 'ada', testLabs.plain);
    const timed = await stoppedSession(t, 'ada', testLabs.timed);
    const held = t.driver.gate('start');
    const resuming = t.manager.resume(plain.id);
    await held.reached;
    expect(t.manager.capacity()).toMatchObject({ active: 1, stopped: 1 });
    await expect(t.manager.resume(timed.id)).rejects.toMatchObject({ code: 'TOO_MANY_SESSIONS' });
    held.open();
    await resuming;
    expect([plain.state, timed.state]).toEqual(['ready', 'stopped']);
  });
});

describe('stop, resume, reset and destroy', () => {
  it('stops a session keeping its work, refuses commands while stopped, and resumes it', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.plain);
    t.driver.sandbox(session.id)?.files.set('notes.txt', Buffer.from('kept'));
    await t.manager.stop(session.id);
    expect(session).toMatchObject({ state: 'stopped', readyAt: undefined });
    expect(t.driver.sandbox(session.id)?.isRunning).toBe(false);
    expect(t.manager.view(session).idleStopAt).toBeNull();
    await expect(t.manager.exec(session.id, anExec)).rejects.toMatchObject({
      code: 'SESSION_NOT_READY',
      message: expect.stringMatching(/stopped .*resume it first, your work is kept/),
    });
    await t.manager.stop(session.id);
    expect(t.driver.callsOf('stop')).toHaveLength(1);

    await t.manager.resume(session.id);
    expect(session.state).toBe('ready');
    expect(t.driver.files(session.id)).toMatchObject({ 'notes.txt': 'kept' });
    expect((await t.manager.exec(session.id, anExec)).exitCode).toBe(0);
  });

  it('resets the workspace to the starter files, from ready or from stopped, leaving the sandbox running', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.plain);
    t.driver.sandbox(session.id)?.files.set('junk.txt', Buffer.from('junk'));
    await t.manager.reset(session.id);
    expect(t.driver.files(session.id)).toEqual({ [starterFile.path]: starterFile.content });

    await t.manager.stop(session.id);
    t.driver.sandbox(session.id)?.files.set('junk.txt', Buffer.from('junk'));
    await t.manager.reset(session.id);
    expect(session.state).toBe('ready');
    expect(t.driver.sandbox(session.id)?.isRunning).toBe(true);
    expect(t.driver.files(session.id)).toEqual({ [starterFile.path]: starterFile.content });
  });

  it('destroys a session with its sandbox; it is not found afterwards', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.plain);
    await t.manager.destroy(session.id);
    expect(session.state).toBe('destroyed');
    expect(() => t.manager.get(session.id)).toThrow(expect.objectContaining({ code: 'SESSION_NOT_FOUND' }));
    expect(t.manager.list()).toEqual([]);
    expect(t.driver.sandboxIds()).toEqual([]);
  });

  it('refuses to resume a failed session (409 INVALID_STATE)', async () => {
    const t = newManager();
    t.driver.failNext('create', new DriverError('ENGINE_ERROR', 'engine down'));
    await expect(t.manager.create('ada', testLabs.plain)).rejects.toThrow();
    const [failed] = t.manager.list();
    await expect(t.manager.resume(failed!.id)).rejects.toMatchObject({ code: 'INVALID_STATE', status: 409 });
    await t.manager.destroy(failed!.id);
    expect(t.manager.list()).toEqual([]);
  });

  it('turns a sandbox that disappeared into a failed session, so the next start makes a new one', async () => {
    const t = newManager();
    const running = (await t.manager.create('ada', testLabs.plain)).session;
    await t.driver.remove(running.id);
    await expect(t.manager.exec(running.id, anExec)).rejects.toMatchObject({
      code: 'SANDBOX_FAILED',
      message: 'The sandbox container has disappeared.',
    });
    expect(running.state).toBe('error');

    const stopped = await stoppedSession(t, 'bob', testLabs.plain);
    await t.driver.remove(stopped.id);
    await expect(t.manager.create('bob', testLabs.plain)).rejects.toMatchObject({ code: 'SANDBOX_FAILED' });
    expect(stopped.state).toBe('error');
    const fresh = await t.manager.create('bob', testLabs.plain);
    expect(fresh).toMatchObject({ isNew: true, session: { state: 'ready' } });
  });
});

describe('labkit services', () => {
  it('runs labkit services up as the labkit user for a lab with services, and gives commands their environment', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.tracking);
    expect(t.driver.callsOf('exec').map((call) => call.args[0])).toEqual([
      expect.objectContaining({
        cmd: ['sh', '-c', servicesUpScript(['tracking'], labkitServicesAccount), 'labkit-services'],
        user: 'labkit',
      }),
    ]);
    await t.manager.exec(session.id, { ...anExec, user: 'grader', env: { EXTRA: 'yes' } });
    expect((t.driver.callsOf('exec').at(-1)?.args[0] as ExecRequest).env).toEqual({
      MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000',
      EXTRA: 'yes',
    });
    await t.manager.attachTerminal(session.id, ['bash'], { cols: 80, rows: 24 });
    expect(t.driver.callsOf('attachTty').at(-1)?.args[2]).toEqual({
      MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000',
    });
    await t.manager.ensureServices(session.id);
    expect(t.driver.callsOf('exec').filter((call) => isServicesUp(call.args[0] as ExecRequest))).toHaveLength(
      2,
    );
  });

  it('fails the start with SANDBOX_FAILED and the end of the output when a service does not come up; the sandbox is removed', async () => {
    const t = newManager();
    const output = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n');
    t.driver.onExec((_, request) => (isServicesUp(request) ? { exitCode: 1, stderr: `${output}\n` } : {}));
    const failure = t.manager.create('ada', testLabs.tracking);
    await expect(failure).rejects.toMatchObject({ code: 'SANDBOX_FAILED' });
    const { message } = (await failure.catch((error: Error) => error)) as Error;
    expect(message).toBe(
      `The sandbox could not be started: The lab's services (tracking) did not start: ${output.split('\n').slice(-6).join('\n')}`,
    );
    expect(t.manager.list()[0]).toMatchObject({ state: 'error' });
    expect(t.driver.sandboxIds()).toEqual([]);
  });

  it('says when the services gave no answer in time', async () => {
    const t = newManager();
    t.driver.onExec(() => ({ exitCode: 124, timedOut: true }));
    await expect(t.manager.create('ada', testLabs.tracking)).rejects.toThrow(
      "The lab's services (tracking) did not start: no answer within 40 s",
    );
  });

  it('leaves a resumed sandbox stopped when its services do not come up, so a later resume tries again', async () => {
    const t = newManager();
    const session = await stoppedSession(t, 'ada', testLabs.tracking);
    t.driver.onExec(() => ({ exitCode: 1, stderr: 'port 5000 in use' }));
    await expect(t.manager.resume(session.id)).rejects.toThrow(/did not start: port 5000 in use/);
    expect(session.state).toBe('stopped');
    expect(t.driver.sandbox(session.id)?.isRunning).toBe(false);

    t.driver.onExec(() => ({}));
    await t.manager.resume(session.id);
    expect(session.state).toBe('ready');
  });

  it('turns a failure of ensureServices into the runner’s errors', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.tracking);
    t.driver.failNext('exec', new DriverError('SANDBOX_NOT_RUNNING', 'gone to sleep'));
    await expect(t.manager.ensureServices(session.id)).rejects.toMatchObject({ code: 'SESSION_NOT_READY' });
  });
});

describe('operations at the same time', () => {
  it('two starts of the same lab by one learner make one sandbox, and both answer once it is ready', async () => {
    const t = newManager();
    const held = t.driver.gate('create');
    const first = t.manager.create('ada', testLabs.plain);
    await held.reached;
    let isSecondDone = false;
    const second = t.manager.create('ada', testLabs.plain).finally(() => (isSecondDone = true));
    await settle();
    expect(isSecondDone).toBe(false);
    held.open();
    const [a, b] = await Promise.all([first, second]);
    expect(a.isNew).toBe(true);
    expect(b).toEqual({ session: a.session, isNew: false });
    expect(b.session.state).toBe('ready');
    expect(t.driver.callsOf('create')).toHaveLength(1);
    await expectNoLeakedSandboxes(t);
  });

  it('the second of two starts gets the first one’s failure', async () => {
    const t = newManager();
    const held = t.driver.gate('create');
    const first = t.manager.create('ada', testLabs.plain);
    await held.reached;
    const second = t.manager.create('ada', testLabs.plain);
    held.fail(new DriverError('ENGINE_ERROR', 'no space left'));
    await expect(first).rejects.toThrow(/no space left/);
    await expect(second).rejects.toMatchObject({
      code: 'SANDBOX_FAILED',
      message: expect.stringMatching(/no space left/),
    });
    await expectNoLeakedSandboxes(t);
  });

  it('a stop during a create waits for it, and the session ends stopped', async () => {
    const t = newManager();
    const held = t.driver.gate('create');
    const creating = t.manager.create('ada', testLabs.plain);
    const id = await held.reached;
    const stopping = t.manager.stop(id!);
    held.open();
    const { session } = await creating;
    await stopping;
    expect(session.state).toBe('stopped');
    expect(t.driver.sandbox(session.id)?.isRunning).toBe(false);
    await expectNoLeakedSandboxes(t);
  });

  it('a destroy during a create waits for it, then removes the sandbox', async () => {
    const t = newManager();
    const held = t.driver.gate('create');
    const creating = t.manager.create('ada', testLabs.plain);
    const id = await held.reached;
    const destroying = t.manager.destroy(id!);
    held.open();
    await Promise.all([creating, destroying]);
    expect(t.manager.list()).toEqual([]);
    expect(t.driver.sandboxIds()).toEqual([]);
  });

  it('a destroy during a resume waits for it; nothing is left', async () => {
    const t = newManager();
    const session = await stoppedSession(t, 'ada', testLabs.tracking);
    const held = t.driver.gate('start');
    const resuming = t.manager.resume(session.id);
    await held.reached;
    const destroying = t.manager.destroy(session.id);
    held.open();
    await Promise.all([resuming, destroying]);
    expect(session.state).toBe('destroyed');
    expect(t.manager.list()).toEqual([]);
    expect(t.driver.sandboxIds()).toEqual([]);
  });

  it('an operation queued behind a destroy finds the session gone (SESSION_NOT_FOUND)', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.plain);
    const held = t.driver.gate('remove');
    const destroying = t.manager.destroy(session.id);
    await held.reached;
    const stopping = t.manager.stop(session.id);
    const resetting = t.manager.reset(session.id);
    held.open();
    await destroying;
    await expect(stopping).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    await expect(resetting).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect(t.driver.callsOf('stop')).toEqual([]);
  });

  it('a reset of a stopped session and a stop right after run in turn: fresh files, stopped', async () => {
    const t = newManager();
    const session = await stoppedSession(t, 'ada', testLabs.plain);
    t.driver.sandbox(session.id)?.files.set('junk.txt', Buffer.from('junk'));
    const held = t.driver.gate('resetWorkspace');
    const resetting = t.manager.reset(session.id);
    await held.reached;
    const stopping = t.manager.stop(session.id);
    held.open();
    await Promise.all([resetting, stopping]);
    expect(session.state).toBe('stopped');
    expect(t.driver.sandbox(session.id)?.isRunning).toBe(false);
    expect(t.driver.files(session.id)).toEqual({ [starterFile.path]: starterFile.content });
  });

  it('close waits for the operations in flight', async () => {
    const t = newManager();
    const held = t.driver.gate('create');
    const creating = t.manager.create('ada', testLabs.plain);
    await held.reached;
    let isClosed = false;
    const closing = t.manager.close().then(() => (isClosed = true));
    await settle();
    expect(isClosed).toBe(false);
    held.open();
    await Promise.all([creating, closing]);
    expect(t.manager.list()[0]?.state).toBe('ready');
  });
});

describe('a grading in progress', () => {
  it('holds the learner’s commands and terminals until it ends, while its own commands run', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.plain);
    let endGrading!: () => void;
    const grading = t.manager.whileGrading(session.id, async () => {
      await t.manager.execDuringGrading(session.id, { ...anExec, cmd: ['grading-step'] });
      await new Promise<void>((resolve) => (endGrading = resolve));
    });
    await settle();
    expect(t.driver.calls.some((call) => call.method === 'exec')).toBe(true);

    const order: string[] = [];
    const learnerExec = t.manager
      .exec(session.id, { ...anExec, cmd: ['save-file'] })
      .then(() => order.push('exec'));
    const terminal = t.manager
      .attachTerminal(session.id, ['tmux'], { cols: 80, rows: 24 })
      .then(() => order.push('terminal'));
    await settle();
    expect(order).toEqual([]);
    expect(t.driver.callsOf('attachTty')).toHaveLength(0);

    endGrading();
    await grading;
    await Promise.all([learnerExec, terminal]);
    expect(order.sort()).toEqual(['exec', 'terminal']);
  });

  it('runs gradings of one sandbox one after the other, and a failed one does not hold the next', async () => {
    const t = newManager();
    const { session } = await t.manager.create('ada', testLabs.plain);
    const order: string[] = [];
    const first = t.manager.whileGrading(session.id, async () => {
      order.push('first starts');
      await settle();
      order.push('first fails');
      throw new Error('boom');
    });
    const second = t.manager.whileGrading(session.id, async () => order.push('second'));
    await expect(first).rejects.toThrow('boom');
    await second;
    expect(order).toEqual(['first starts', 'first fails', 'second']);
    await t.manager.exec(session.id, anExec);
  });
});
