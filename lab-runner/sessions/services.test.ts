import { describe, expect, it } from 'vitest';
import { defaultSandboxResources, type ExecRequest } from '../drivers/driver';
import { FakeDriver } from '../drivers/fake';
import { portTakenExitCode, startServices, stopServices } from './services';

const isServicesUp = (request: ExecRequest) => request.cmd.at(-1) === 'labkit-services';
const isFreePorts = (request: ExecRequest) => request.cmd[3] === 'free-ports';

async function sandbox() {
  const driver = new FakeDriver();
  await driver.create({
    labels: { sessionId: 's1', userId: 'ada', labId: 'lab', expiresAt: Date.now() + 60_000, isPool: false },
    image: 'lab:test',
    resources: defaultSandboxResources,
  });
  return driver;
}

const execs = (driver: FakeDriver) => driver.callsOf('exec').map((call) => call.args[0] as ExecRequest);
const takenBy = (uid: number, inode: number) => ({
  exitCode: portTakenExitCode,
  stdout: `tracking: already running on http://127.0.0.1:5000\ntaken 1388 ${uid} ${inode}\n`,
});

describe('startServices', () => {
  it('settles in one exec, as the labkit user, when the services answer on its sockets', async () => {
    const driver = await sandbox();
    await startServices(driver, 's1', ['tracking']);
    expect(execs(driver)).toEqual([
      expect.objectContaining({ user: 'labkit', env: { HOME: '/var/lib/labkit' }, workingDir: '/' }),
    ]);
  });

  it('kills a learner program holding a service’s port, as the learner, then starts the service', async () => {
    const driver = await sandbox();
    let upCalls = 0;
    driver.onExec((_, request) => {
      if (isServicesUp(request)) return ++upCalls === 1 ? takenBy(1000, 4242) : {};
      return { stdout: 'stopped 77 python3 fake_server.py\n' };
    });
    await startServices(driver, 's1', ['tracking']);
    expect(
      execs(driver).map((request) => [request.user, isServicesUp(request), request.cmd.slice(4)]),
    ).toEqual([
      ['labkit', true, []],
      ['learner', false, ['4242']],
      ['labkit', true, []],
    ]);
  });

  it('gives up, naming what it stopped, when the port is taken again after each kill', async () => {
    const driver = await sandbox();
    driver.onExec((_, request) =>
      isServicesUp(request) ? takenBy(1000, 4242) : { stdout: 'stopped 77 python3 respawn.py\n' },
    );
    await expect(startServices(driver, 's1', ['tracking'])).rejects.toMatchObject({
      code: 'SANDBOX_FAILED',
      message:
        "The lab's services (tracking) did not start: port 5000 is taken by a program of the sandbox that comes back when stopped (stopped: 77 python3 respawn.py; 77 python3 respawn.py)",
    });
    expect(execs(driver).filter(isServicesUp)).toHaveLength(3);
    expect(execs(driver).filter(isFreePorts)).toHaveLength(2);
  });

  it('does not chase a socket of a user the runner cannot exec as', async () => {
    const driver = await sandbox();
    driver.onExec(() => takenBy(0, 99));
    await expect(startServices(driver, 's1', ['tracking'])).rejects.toThrow(
      'port 5000 is held by uid 0, which the runner cannot stop',
    );
  });

  it('reports an exit 3 without taken lines as any other failure', async () => {
    const driver = await sandbox();
    driver.onExec(() => ({ exitCode: portTakenExitCode, stderr: 'something else\n' }));
    await expect(startServices(driver, 's1', ['tracking'])).rejects.toThrow(
      "The lab's services (tracking) did not start: something else",
    );
    expect(execs(driver)).toHaveLength(1);
  });

  it('does nothing for a lab without services', async () => {
    const driver = await sandbox();
    await startServices(driver, 's1', []);
    expect(driver.callsOf('servicesAccount')).toEqual([]);
    expect(execs(driver)).toEqual([]);
  });
});

describe('stopServices', () => {
  it('stops the services and empties their data folder, as the labkit user', async () => {
    const driver = await sandbox();
    await stopServices(driver, 's1');
    expect(execs(driver)).toEqual([
      expect.objectContaining({
        user: 'labkit',
        cmd: [
          'sh',
          '-c',
          "LABKIT_HOME='/var/lib/labkit' labkit services down && find '/var/lib/labkit' -mindepth 1 -delete",
        ],
      }),
    ]);
  });

  it('stops only the services named, with their data and logs, leaving the others running', async () => {
    const driver = await sandbox();
    await stopServices(driver, 's1', ['pipelines', 'not-a-service']);
    expect(execs(driver)).toEqual([
      expect.objectContaining({
        user: 'labkit',
        cmd: [
          'sh',
          '-c',
          "LABKIT_HOME='/var/lib/labkit' labkit services down pipelines && cd '/var/lib/labkit' && rm -rf pipelines pipelines.log",
        ],
      }),
    ]);
    await stopServices(driver, 's1', []);
    expect(execs(driver)).toHaveLength(1);
  });
});
