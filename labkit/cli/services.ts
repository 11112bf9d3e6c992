/**
 * `labkit services up [service…]` starts labkit services in the background (each is `labkit serve`
 * in its own session, logging to `<root>/<service>.log`, keeping its data in `<root>/<service>/`) and
 * waits until each answers its health check. A service that already answers is left alone, so the
 * command is safe to repeat: the lab runner runs it whenever a sandbox becomes ready, and a learner
 * can run it after stopping a service by mistake. `labkit services status` says what answers.
 *
 * The root is `$LABKIT_HOME`, else `$HOME/.labkit` (in sandboxes, inside the persistent home, so
 * the data survives a restart of the service and of the sandbox).
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

const startTimeoutMs = 15_000;
const probeTimeoutMs = 1_000;

export const servicesUsage = [
  'Usage: labkit services up [service…]       start services (all when none is named) and wait for them',
  '       labkit services status [service…]   show whether each service answers',
  '',
  `Services: ${labkitServiceNames.join(', ')}. Data and logs go to $LABKIT_HOME (default ~/.labkit).`,
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

/** Starts `labkit serve <name>` detached from this process, its output appended to its log. */
function startDetached(name: LabkitServiceName, root: string): void {
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
  child.unref();
  fs.closeSync(log);
}

async function waitHealthy(name: LabkitServiceName, root: string): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (await isHealthy(name)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const logPath = path.join(root, `${name}.log`);
  const tail = fs.existsSync(logPath)
    ? fs.readFileSync(logPath, 'utf8').trim().split('\n').slice(-10).join('\n')
    : '(no log)';
  throw new Error(
    `${name} did not answer on 127.0.0.1:${labkitServices[name].port} within ${startTimeoutMs / 1000} s. Its log (${logPath}) ends with:\n${tail}`,
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
  const started: LabkitServiceName[] = [];
  for (const name of names) {
    if (await isHealthy(name)) continue;
    startDetached(name, root);
    started.push(name);
  }
  for (const name of started) await waitHealthy(name, root);
  return started;
}

export const servicesCommand = {
  summary: "start the lab's services in the background",
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
      if (action !== 'up' && action !== 'status') throw new Error('Say `up` or `status`.');
      names = chosenServices(positionals.slice(1));
    } catch (error) {
      console.error(`labkit services: ${(error as Error).message}\n\n${servicesUsage}`);
      return 2;
    }
    if (action === 'status') {
      let allUp = true;
      for (const name of names) {
        const up = await isHealthy(name);
        allUp &&= up;
        console.log(
          `${name.padEnd(10)} ${up ? 'up  ' : 'down'}  http://127.0.0.1:${labkitServices[name].port}`,
        );
      }
      return allUp ? 0 : 1;
    }
    try {
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
