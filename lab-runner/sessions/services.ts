/**
 * labkit services in a sandbox: the one routine that brings a lab's services up (for a learner's
 * sandbox after a create, resume or reset, before a check, and ahead of time in a warm-pool
 * sandbox), and the one that stops what the pool started when the lab has none.
 */
import { isLabkitService, labkitServices } from '../api/labkit-services';
import type { ExecRequest, SandboxDriver } from '../drivers/driver';
import { RunnerError } from '../errors';

/** `labkit services up` starts each service and waits for its health check (15 s at most each). */
const servicesUpTimeoutMs = 40_000;
const servicesStopTimeoutMs = 10_000;
/** Lines of the failing command's output quoted to the learner. */
const failureLinesShown = 6;

const asLearner = {
  user: 'learner',
  workingDir: '/home/learner',
  env: { HOME: '/home/learner' },
} satisfies Partial<ExecRequest>;

/**
 * A shell script (run as `sh -c <script> labkit-services`) that succeeds at once when every service
 * answers its health check, and otherwise runs `labkit services up` for them.
 */
export function servicesUpScript(services: readonly string[]): string {
  const names = services.filter(isLabkitService);
  if (!names.length) return 'true';
  const probes = names.map((name) => {
    const service = labkitServices[name];
    return `curl -sf -m 1 -o /dev/null http://127.0.0.1:${service.port}${service.healthPath}`;
  });
  return `${probes.join(' && ')} || exec labkit services up ${names.join(' ')}`;
}

/**
 * Makes `services` answer in the sandbox, as the learner; throws SANDBOX_FAILED, with the end of
 * the command's output, when one does not come up. When they all answer already (a warm-pool
 * sandbox starts them ahead; a check finds them running), a `curl` per health check settles it
 * without starting Node.
 */
export async function startServices(
  driver: SandboxDriver,
  sessionId: string,
  services: readonly string[],
): Promise<void> {
  if (!services.length) return;
  const result = await driver.exec(sessionId, {
    ...asLearner,
    cmd: ['sh', '-c', servicesUpScript(services), 'labkit-services'],
    timeoutMs: servicesUpTimeoutMs,
    outputLimitBytes: 16 * 1024,
  });
  if (result.exitCode === 0) return;
  const why = result.timedOut
    ? `no answer within ${servicesUpTimeoutMs / 1000} s`
    : (result.stderr || result.stdout).trim().split('\n').slice(-failureLinesShown).join('\n');
  throw new RunnerError(
    'SANDBOX_FAILED',
    `The lab's services (${services.join(', ')}) did not start: ${why}`,
  );
}

/**
 * Stops every labkit service and removes their (empty) data, for a warm-pool sandbox handed to a
 * lab without services. (The pattern's brackets keep pkill from matching this very shell's command
 * line.)
 */
export async function stopServices(driver: SandboxDriver, sessionId: string): Promise<void> {
  await driver.exec(sessionId, {
    ...asLearner,
    cmd: [
      'sh',
      '-c',
      'pkill -u learner -f "[/]opt/labkit/lib/labkit[.]mjs serve" ; rm -rf "$HOME/.labkit"; true',
    ],
    timeoutMs: servicesStopTimeoutMs,
    outputLimitBytes: 4 * 1024,
  });
}
