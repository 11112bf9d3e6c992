/**
 * labkit services in a sandbox: the one routine that brings a lab's services up (for a learner's
 * sandbox after a create, resume or reset, before a check, and ahead of time in a warm-pool
 * sandbox), and the one that stops what the pool started when the lab has none.
 *
 * The services run as the driver's services account (the labkit user, whose data folder the
 * learner cannot touch), and "up" means more than "answers its health check": every socket
 * listening on a service's port must belong to that account. A learner's program that took the
 * port while the service was down (and could answer checks with forged data) is killed, as the
 * learner, and the real service started; nothing else of the learner's is touched.
 */
import { isLabkitService, labkitServices, type LabkitServiceName } from '../api/labkit-services';
import {
  labkitServicesAccount,
  sandboxUids,
  type ExecRequest,
  type ExecResult,
  type SandboxDriver,
  type SandboxUser,
  type ServicesAccount,
} from '../drivers/driver';
import { RunnerError } from '../errors';

/** `labkit services up` starts each service and waits for its health check (30 s at most each, side by side). */
const servicesUpTimeoutMs = 40_000;
const servicesStopTimeoutMs = 10_000;
const portHoldersStopTimeoutMs = 10_000;
/** Lines of the failing command's output quoted to the learner. */
const failureLinesShown = 6;
/**
 * Rounds of "find who holds the port, kill it, start the service": a program that takes the port
 * again at once (a restart loop) is not chased for ever; the start fails and says what it is.
 */
const portRounds = 3;
/** The exit code of the services-up script when another user's socket listens on a service's port. */
export const portTakenExitCode = 3;
/** How long the kill script waits for the killed programs' sockets to close (polls every 20 ms). */
const socketCloseWaitSteps = 100;
const outputLimitBytes = 16 * 1024;

/** A socket listening on a service's port that is not the services account's. */
export type PortHolder = { port: number; uid: number; inode: string };

/** The /proc/net/tcp tables: one line per socket, `st` 0A is LISTEN, columns 8 and 10 are uid and inode. */
const tcpTables = 'tables=/proc/net/tcp; [ -r /proc/net/tcp6 ] && tables="$tables /proc/net/tcp6"';

/**
 * awk over /proc/net/tcp and tcp6: prints `taken <hex port> <uid> <inode>` for each socket
 * listening on one of `ports` (hex, space-separated) whose owner is not `owner`, then exits
 * 3 when there is one, 1 when a port has no socket of `owner` listening, 0 when every port has one
 * and nobody else listens on it. Any local address counts: 0.0.0.0, [::] and 127.x all reach
 * 127.0.0.1 or could.
 */
export const listenersAwk = [
  'BEGIN { n = split(ports, list, " "); for (i = 1; i <= n; i++) wanted[list[i]] = 1 }',
  'FNR > 1 && $4 == "0A" {',
  '  split($2, local, ":"); port = local[2]',
  '  if (!(port in wanted)) next',
  '  if ($8 == owner) ours[port] = 1',
  '  else { print "taken", port, $8, $10; taken = 1 }',
  '}',
  `END { if (taken) exit ${portTakenExitCode}; for (port in wanted) if (!(port in ours)) exit 1; exit 0 }`,
].join('\n');

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function serviceNames(services: readonly string[]): LabkitServiceName[] {
  return services.filter(isLabkitService);
}

/**
 * A shell script (run as `sh -c <script> labkit-services`, as the services account) that succeeds
 * at once when every service answers its health check on a socket of the account's, exits
 * {@link portTakenExitCode} listing the other users' sockets on the services' ports (`taken` lines)
 * without starting anything, and otherwise runs `labkit services up` and checks the ports again.
 */
export function servicesUpScript(services: readonly string[], account: ServicesAccount): string {
  const names = serviceNames(services);
  if (!names.length) return 'true';
  const probes = names.map((name) => {
    const service = labkitServices[name];
    return `curl -sf -m 1 -o /dev/null http://127.0.0.1:${service.port}${service.healthPath}`;
  });
  const ports = names.map((name) => hexPort(labkitServices[name].port)).join(' ');
  const owner = sandboxUids[account.user];
  return [
    tcpTables,
    `listeners() { awk -v owner=${owner} -v ports=${shellQuote(ports)} ${shellQuote(listenersAwk)} $tables; }`,
    `if ${probes.join(' && ')}; then listeners >/dev/null && exit 0; fi`,
    `listeners; [ $? -eq ${portTakenExitCode} ] && exit ${portTakenExitCode}`,
    `LABKIT_HOME=${shellQuote(account.dataDir)} labkit services up ${names.join(' ')}; started=$?`,
    'listeners; held=$?',
    `[ $held -eq ${portTakenExitCode} ] && exit ${portTakenExitCode}`,
    '[ $started -eq 0 ] || exit $started',
    `[ $held -eq 0 ] || { echo "the services answer, but not on a socket of uid ${owner}" >&2; exit 1; }`,
  ].join('\n');
}

/**
 * A shell script (run as `sh -c <script> free-ports <inode>…`, as the sockets' owner) that kills
 * the processes holding those sockets, prints `stopped <pid> <command line>` for each, and waits
 * (2 s at most) until the sockets are closed. Processes are found through /proc/<pid>/fd, which
 * only their owner can read.
 */
export const freePortsScript = [
  tcpTables,
  'pids=$(for inode; do find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 -lname "socket:\\[$inode\\]" 2>/dev/null; done | cut -d/ -f3 | sort -u)',
  'for pid in $pids; do echo "stopped $pid $(tr "\\0" " " </proc/$pid/cmdline 2>/dev/null)"; done',
  '[ -n "$pids" ] && kill -KILL $pids 2>/dev/null',
  'inodes=" $* "; i=0',
  `while [ $i -lt ${socketCloseWaitSteps} ] && awk -v inodes="$inodes" 'FNR > 1 && index(inodes, " " $10 " ") { open = 1 } END { exit !open }' $tables; do sleep 0.02; i=$((i + 1)); done`,
  'true',
].join('\n');

/** The `taken` lines of a services-up script's output. */
export function portHoldersIn(output: string): PortHolder[] {
  return output.split('\n').flatMap((line) => {
    const match = /^taken ([0-9A-F]{4}) (\d+) (\d+)$/.exec(line.trim());
    return match ? [{ port: parseInt(match[1]!, 16), uid: Number(match[2]), inode: match[3]! }] : [];
  });
}

function asAccount(account: ServicesAccount): Pick<ExecRequest, 'user' | 'workingDir' | 'env'> {
  return { user: account.user, workingDir: '/', env: { HOME: account.dataDir } };
}

function tail(result: ExecResult): string {
  return (result.stderr || result.stdout).trim().split('\n').slice(-failureLinesShown).join('\n');
}

function failure(services: readonly string[], why: string): RunnerError {
  return new RunnerError(
    'SANDBOX_FAILED',
    `The lab's services (${services.join(', ')}) did not start: ${why}`,
  );
}

/** The sandbox user owning `uid`, for the users the runner can exec as. */
function userOfUid(uid: number): SandboxUser | undefined {
  return (['learner', 'grader', 'labkit'] as const).find((user) => sandboxUids[user] === uid);
}

/**
 * Kills, as their owner, the processes holding `holders`' sockets; returns what it stopped
 * (`<pid> <command line>` each).
 */
async function stopPortHolders(
  driver: SandboxDriver,
  sessionId: string,
  services: readonly string[],
  holders: PortHolder[],
): Promise<string[]> {
  const stopped: string[] = [];
  for (const uid of new Set(holders.map((holder) => holder.uid))) {
    const user = userOfUid(uid);
    const ports = [...new Set(holders.map((holder) => holder.port))].join(', ');
    if (!user) throw failure(services, `port ${ports} is held by uid ${uid}, which the runner cannot stop`);
    const inodes = holders.filter((holder) => holder.uid === uid).map((holder) => holder.inode);
    const result = await driver.exec(sessionId, {
      user,
      workingDir: '/',
      cmd: ['sh', '-c', freePortsScript, 'free-ports', ...inodes],
      timeoutMs: portHoldersStopTimeoutMs,
      outputLimitBytes,
    });
    stopped.push(
      ...result.stdout.split('\n').flatMap((line) => (line.startsWith('stopped ') ? [line.slice(8)] : [])),
    );
  }
  return stopped;
}

/**
 * Makes `services` answer in the sandbox, as the services account, on sockets of that account;
 * throws SANDBOX_FAILED, with the end of the command's output, when one does not come up. When
 * they all answer already (a warm-pool sandbox starts them ahead; a check finds them running), a
 * `curl` per health check and a read of /proc/net/tcp in one exec settle it, without starting Node.
 */
export async function startServices(
  driver: SandboxDriver,
  sessionId: string,
  services: readonly string[],
): Promise<void> {
  if (!serviceNames(services).length) return;
  const account = await driver.servicesAccount(sessionId);
  const stopped: string[] = [];
  for (let round = 1; ; round++) {
    const result = await driver.exec(sessionId, {
      ...asAccount(account),
      cmd: ['sh', '-c', servicesUpScript(services, account), 'labkit-services'],
      timeoutMs: servicesUpTimeoutMs,
      outputLimitBytes,
    });
    if (result.exitCode === 0) return;
    if (result.timedOut) throw failure(services, `no answer within ${servicesUpTimeoutMs / 1000} s`);
    const holders = portHoldersIn(result.stdout);
    if (result.exitCode !== portTakenExitCode || !holders.length) throw failure(services, tail(result));
    if (round === portRounds) {
      const ports = [...new Set(holders.map((holder) => holder.port))].join(', ');
      throw failure(
        services,
        `port ${ports} is taken by a program of the sandbox that comes back when stopped${stopped.length ? ` (stopped: ${stopped.join('; ')})` : ''}`,
      );
    }
    stopped.push(...(await stopPortHolders(driver, sessionId, services, holders)));
  }
}

/**
 * Stops labkit services of a warm-pool sandbox handed to a lab that does not list them: every
 * service, emptying their data folder, for a lab without services; else only the ones named, with
 * their data and logs, so an idle sandbox runs no service its lab does not use. Pool sandboxes are
 * always of the current layout (a runner does not adopt older ones), so the services account is
 * the labkit user's.
 */
export async function stopServices(
  driver: SandboxDriver,
  sessionId: string,
  services?: readonly string[],
): Promise<void> {
  const { dataDir } = labkitServicesAccount;
  const names = services === undefined ? undefined : serviceNames(services);
  if (names?.length === 0) return;
  const script = names
    ? `LABKIT_HOME=${shellQuote(dataDir)} labkit services down ${names.join(' ')} && cd ${shellQuote(dataDir)} && rm -rf ${names.flatMap((name) => [name, `${name}.log`]).join(' ')}`
    : `LABKIT_HOME=${shellQuote(dataDir)} labkit services down && find ${shellQuote(dataDir)} -mindepth 1 -delete`;
  await driver.exec(sessionId, {
    ...asAccount(labkitServicesAccount),
    cmd: ['sh', '-c', script],
    timeoutMs: servicesStopTimeoutMs,
    outputLimitBytes: 4 * 1024,
  });
}
