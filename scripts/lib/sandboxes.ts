/**
 * `npm run sandboxes -- list|stop|destroy [--all|<id>…]`: the operator's view of the sandboxes the
 * platform left behind, and a way to stop or destroy them.
 *
 * Two ways to reach them, chosen in this order:
 * - the runner's server-to-server API with the runner secret, while the runner answers: it owns
 *   the sandboxes' state (its sessions, the idle stop, capacity, the warm pool), so changes made
 *   through it stay consistent and show at once in the admin pages;
 * - the Docker labels, when the runner is down (after stopping the platform): only containers
 *   labelled as sandboxes of this runner's data folder (`mlops-academy.session`, and
 *   `mlops-academy.runner` = the id of RUNNER_DATA_DIR), through the runner's own Docker driver,
 *   which also unmounts and deletes a destroyed sandbox's workspace. Nothing else on the engine
 *   is ever touched: an id that is not in that list is refused.
 */
import type { SandboxDriver } from '@/lab-runner/drivers/driver';
import type { RunnerClient } from '@/lib/runner/client';

export type SandboxRow = {
  id: string;
  /** ready, stopped, creating, error; "pool" for a warm sandbox no learner has yet. */
  state: string;
  labId: string;
  userId: string;
  createdAt: string | null;
};

export type SandboxControl = {
  /** Where the sandboxes are read from, in words, for the first line of output. */
  source: string;
  list(): Promise<SandboxRow[]>;
  stop(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
};

/** Through the runner's API: the learners' sandboxes it holds (the warm pool is its own business). */
export function runnerControl(client: RunnerClient, runnerUrl: string): SandboxControl {
  return {
    source: `the lab runner at ${runnerUrl}`,
    async list() {
      return (await client.listSessions()).map((session) => ({
        id: session.id,
        state: session.state,
        labId: session.labId,
        userId: session.userId,
        createdAt: session.createdAt,
      }));
    },
    async stop(id) {
      await client.stop(id);
    },
    destroy: (id) => client.destroy(id),
  };
}

/** Through the Docker labels, with the runner down: every sandbox of this data folder, the pool's too. */
export function dockerControl(driver: SandboxDriver, description: string): SandboxControl {
  return {
    source: description,
    async list() {
      return (await driver.list()).map((info) => ({
        id: info.labels.sessionId,
        state: info.labels.isPool ? 'pool' : info.isRunning ? 'ready' : 'stopped',
        labId: info.labels.labId,
        userId: info.labels.isPool ? '' : info.labels.userId,
        createdAt: new Date(info.createdAt).toISOString(),
      }));
    },
    stop: (id) => driver.stop(id),
    destroy: (id) => driver.remove(id),
  };
}

export const usage = 'Usage: npm run sandboxes -- list | stop (--all | <id>…) | destroy (--all | <id>…)';

type Print = (line: string) => void;

function table(rows: SandboxRow[]): string[] {
  const header: SandboxRow = { id: 'id', state: 'state', labId: 'lab', userId: 'user', createdAt: 'created' };
  const cells = [header, ...rows].map((row) => [
    row.id,
    row.state,
    row.labId,
    row.userId || '-',
    row.createdAt ?? '-',
  ]);
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
  return cells.map((line) =>
    line
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}

export type SandboxesCommand =
  { command: 'list' } | { command: 'stop' | 'destroy'; targets: 'all' | string[] };

/** The command line's arguments, or null when they do not fit the usage. */
export function parseSandboxesArgs(args: readonly string[]): SandboxesCommand | null {
  const [command, ...targets] = args;
  if (command === 'list') return targets.length === 0 ? { command } : null;
  if (command !== 'stop' && command !== 'destroy') return null;
  if (targets.length === 1 && targets[0] === '--all') return { command, targets: 'all' };
  if (targets.length === 0 || targets.some((target) => target.startsWith('-'))) return null;
  return { command, targets };
}

/**
 * Runs one command; returns the exit status (0 done, 1 refused or failed). `stop` and `destroy`
 * check every id first and change nothing when one is unknown.
 */
export async function runSandboxesCommand(
  request: SandboxesCommand,
  control: SandboxControl,
  print: Print,
  printError: Print,
): Promise<number> {
  print(`Sandboxes through ${control.source}:`);
  const rows = await control.list();
  if (request.command === 'list') {
    if (rows.length === 0) print('none.');
    else for (const line of table(rows)) print(line);
    return 0;
  }
  const { command, targets } = request;
  const unknown = targets === 'all' ? [] : targets.filter((id) => !rows.some((row) => row.id === id));
  if (unknown.length > 0) {
    printError(`✗ No such sandbox here: ${unknown.join(', ')} (nothing was changed). See \`list\`.`);
    return 1;
  }
  const chosen = targets === 'all' ? rows : rows.filter((row) => targets.includes(row.id));
  // Stopping a stopped sandbox changes nothing; the pool's are only ever destroyed.
  const todo =
    command === 'stop' ? chosen.filter((row) => row.state !== 'stopped' && row.state !== 'pool') : chosen;
  let failures = 0;
  for (const row of todo) {
    try {
      await (command === 'stop' ? control.stop(row.id) : control.destroy(row.id));
      print(`${command === 'stop' ? 'stopped' : 'destroyed'} ${row.id} (${row.labId || 'pool'})`);
    } catch (error) {
      failures++;
      printError(`✗ ${row.id}: ${(error as Error).message}`);
    }
  }
  if (todo.length === 0) print(`nothing to ${command}.`);
  return failures > 0 ? 1 : 0;
}

/** Whether the runner answers its health check at `runnerUrl` within `timeoutMs`. */
export async function runnerAnswers(runnerUrl: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(`${runnerUrl}/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}
