/**
 * `labkit services up|down|status [service…]`. `up` starts labkit services in the background (each
 * is `labkit serve` in its own session, logging to `<root>/<service>.log`, keeping its data in
 * `<root>/<service>/`) and waits until each answers its health check; a service that already
 * answers is left alone, so it is safe to repeat. `down` stops them. `status` says what answers.
 *
 * In a lab sandbox the platform runs the services as the `labkit` user, with their data in a
 * folder only that user can write (the lab runner passes it as `$LABKIT_HOME`), so the learner
 * cannot stop them, answer in their place or edit their data: `up` and `down` are refused to
 * anyone else there, with a sentence saying so. Elsewhere (the host, in development) anyone may run
 * them, and the root defaults to `$HOME/.labkit`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  isLabkitService,
  labkitServiceNames,
  labkitServices,
  type LabkitServiceName,
} from '@/lab-runner/api/labkit-services';

/**
 * How long `up` waits for a service to answer. It takes about 1 s; a sandbox limited to one CPU on
 * a busy host, starting two services side by side, has been seen to need more than 15 s.
 */
const startTimeoutMs = 30_000;
const probeTimeoutMs = 1_000;
const pollMs = 50;
/** `down` waits this long for a service to end after SIGTERM, then kills it. */
const stopGraceMs = 5_000;
/** The account that runs labkit services in lab sandbox images. */
const serviceAccountName = 'labkit';

export const servicesUsage = [
  'Usage: labkit services up [service…]       start services (all when none is named) and wait for them',
  '       labkit services down [service…]     stop services (all when none is named)',
  '       labkit services status [service…]   show whether each service answers',
  '',
  `Services: ${labkitServiceNames.join(', ')}. Data and logs go to $LABKIT_HOME (default ~/.labkit).`,
  'In a lab sandbox the platform runs the services; there, only `status` is yours.',
].join('\n');

export const platformRunsServices = [
  "The platform runs this sandbox's labkit services (as the labkit user), so they cannot be started or",
  'stopped from here: they start with the sandbox and are checked again before every Check.',
  '`labkit services status` shows whether they answer.',
].join('\n');

/** Whether the service answers 200 on its health path. */
export function isHealthy(name: LabkitServiceName, timeoutMs = probeTimeoutMs): Promise<boolean> {
  const service = labkitServices[name];
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port: service.port, path: service.healthPath, timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

export function labkitHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.LABKIT_HOME || path.join(env.HOME || os.homedir(), '.labkit');
}

/** The uid of the account that runs labkit services, when this system has one (a lab sandbox). */
export function serviceAccountUid(passwdPath = '/etc/passwd'): number | undefined {
  let passwd: string;
  try {
    passwd = fs.readFileSync(passwdPath, 'utf8');
  } catch {
    return undefined;
  }
  const entry = passwd.split('\n').find((line) => line.startsWith(`${serviceAccountName}:`));
  const uid = Number(entry?.split(':')[2]);
  return entry && Number.isInteger(uid) ? uid : undefined;
}

/** Whether `uid` may start and stop services: anyone, unless the system has a service account. */
export function mayManageServices(uid: number, accountUid: number | undefined): boolean {
  return accountUid === undefined || uid === accountUid;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

/**
 * Starts `labkit serve <name>` detached from this process, its output appended to its log;
 * resolves how it ended if it ends while this process waits for it.
 */
function startDetached(name: LabkitServiceName, root: string): Promise<Exit> {
  const dataDir = path.join(root, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const log = fs.openSync(path.join(root, `${name}.log`), 'a');
  const entry = process.argv[1];
  if (!entry) throw new Error('cannot tell how labkit was started');
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      entry,
      'serve',
      name,
      '--port',
      String(labkitServices[name].port),
      '--data',
      dataDir,
    ],
    { detached: true, stdio: ['ignore', log, log], cwd: root },
  );
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.unref();
  fs.closeSync(log);
  return exited;
}

function logTail(name: LabkitServiceName, root: string): string {
  const logPath = path.join(root, `${name}.log`);
  const tail = fs.existsSync(logPath)
    ? fs.readFileSync(logPath, 'utf8').trim().split('\n').slice(-10).join('\n')
    : '(no log)';
  return `Its log (${logPath}) ends with:\n${tail}`;
}

/** Resolves once the service answers; throws when it ends first or does not answer in time. */
async function waitHealthy(name: LabkitServiceName, root: string, exited: Promise<Exit>): Promise<void> {
  let exit: Exit | undefined;
  void exited.then((value) => (exit = value));
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (await isHealthy(name)) return;
    if (exit) {
      const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
      throw new Error(`${name} ended (${how}) before answering. ${logTail(name, root)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(
    `${name} did not answer on 127.0.0.1:${labkitServices[name].port} within ${startTimeoutMs / 1000} s. ${logTail(name, root)}`,
  );
}

function chosenServices(names: string[]): LabkitServiceName[] {
  for (const name of names) {
    if (!isLabkitService(name)) {
      throw new Error(`"${name}" is not a labkit service (available: ${labkitServiceNames.join(', ')}).`);
    }
  }
  return names.length ? (names as LabkitServiceName[]) : labkitServiceNames;
}

/** Starts what does not answer yet; resolves once all answer. Returns the ones it started. */
export async function servicesUp(
  names: LabkitServiceName[],
  root = labkitHome(),
): Promise<LabkitServiceName[]> {
  fs.mkdirSync(root, { recursive: true });
  const started: { name: LabkitServiceName; exited: Promise<Exit> }[] = [];
  for (const name of names) {
    if (await isHealthy(name)) continue;
    started.push({ name, exited: startDetached(name, root) });
  }
  for (const { name, exited } of started) await waitHealthy(name, root, exited);
  return started.map(({ name }) => name);
}

/** Whether a process is alive (a zombie, already ended, is not). */
function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * This user's processes serving `name` with this labkit (`<node> … <entry> serve <name> …`), found
 * in /proc: `down` stops what `up` started, whoever started it, and nothing else.
 */
export function servingProcesses(name: LabkitServiceName, entry = process.argv[1]): number[] {
  const uid = process.getuid?.();
  const pids: number[] = [];
  for (const pidText of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pidText) || Number(pidText) === process.pid) continue;
    try {
      if (fs.statSync(`/proc/${pidText}`).uid !== uid) continue;
      const argv = fs.readFileSync(`/proc/${pidText}/cmdline`, 'utf8').split('\0');
      const at = argv.indexOf(entry ?? '');
      if (at > 0 && argv[at + 1] === 'serve' && argv[at + 2] === name) pids.push(Number(pidText));
    } catch {
      // ended meanwhile
    }
  }
  return pids;
}

/** Stops the named services (SIGTERM, then SIGKILL after a grace period). Returns the ones it stopped. */
export async function servicesDown(
  names: LabkitServiceName[],
  entry = process.argv[1],
): Promise<LabkitServiceName[]> {
  const stopped: LabkitServiceName[] = [];
  for (const name of names) {
    const pids = servingProcesses(name, entry);
    if (!pids.length) continue;
    for (const pid of pids) process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + stopGraceMs;
    while (pids.some(isAlive) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
    stopped.push(name);
  }
  return stopped;
}

async function printStatus(names: LabkitServiceName[]): Promise<number> {
  let allUp = true;
  for (const name of names) {
    const up = await isHealthy(name);
    allUp &&= up;
    console.log(`${name.padEnd(10)} ${up ? 'up  ' : 'down'}  http://127.0.0.1:${labkitServices[name].port}`);
  }
  return allUp ? 0 : 1;
}

export const servicesCommand = {
  summary: "start, stop or check the lab's services",
  async run(args: string[]): Promise<number> {
    let action: string | undefined;
    let names: LabkitServiceName[];
    try {
      const { positionals, values } = parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: { help: { type: 'boolean', short: 'h' } },
      });
      if (values.help) {
        console.log(servicesUsage);
        return 0;
      }
      action = positionals[0];
      if (action !== 'up' && action !== 'down' && action !== 'status') {
        throw new Error('Say `up`, `down` or `status`.');
      }
      names = chosenServices(positionals.slice(1));
    } catch (error) {
      console.error(`labkit services: ${(error as Error).message}\n\n${servicesUsage}`);
      return 2;
    }
    if (action === 'status') return printStatus(names);
    if (!mayManageServices(process.getuid?.() ?? -1, serviceAccountUid())) {
      console.error(platformRunsServices);
      return 1;
    }
    try {
      if (action === 'down') {
        const stopped = await servicesDown(names);
        for (const name of names)
          console.log(`${name}: ${stopped.includes(name) ? 'stopped' : 'not running'}`);
        return 0;
      }
      const started = await servicesUp(names);
      for (const name of names) {
        console.log(
          `${name}: ${started.includes(name) ? 'started' : 'already running'} on http://127.0.0.1:${labkitServices[name].port}`,
        );
      }
      return 0;
    } catch (error) {
      console.error(`labkit services: ${(error as Error).message}`);
      return 1;
    }
  },
};
