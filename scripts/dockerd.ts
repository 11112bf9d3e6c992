/**
 * The Docker engine the lab runner and the tests use.
 *   up    make sure an engine answers: install docker.io and start dockerd when needed (as root)
 *   down  stop the dockerd that `up` started, if any; an engine started otherwise is left alone
 */
import path from 'node:path';
import {
  defaultDockerdPidFile,
  ensureDockerEngine,
  isProcessRunning,
  readPidFile,
  stopDockerEngineIfStartedBy,
} from '@/lab-runner/drivers/docker-daemon';
import { projectRoot } from '@/lib/config';
import { runSubcommand } from './lib/cli';

async function up(): Promise<void> {
  const { startedPid } = await ensureDockerEngine();
  if (startedPid !== undefined) {
    console.log(`Docker engine ready (started pid ${startedPid})`);
    return;
  }
  const ours = readPidFile(path.join(projectRoot, defaultDockerdPidFile));
  const startedEarlier = ours !== undefined && isProcessRunning(ours, 'dockerd');
  console.log(
    startedEarlier
      ? `Docker engine already running (started by us earlier, pid ${ours})`
      : 'Docker engine already running',
  );
}

async function down(): Promise<void> {
  const { stopped, pid } = await stopDockerEngineIfStartedBy();
  if (stopped) console.log(`Docker engine stopped (pid ${pid})`);
  else if (pid !== undefined) console.log(`The dockerd we started (pid ${pid}) had already exited`);
  else console.log('No Docker engine started by us is running; nothing to stop');
}

const commands: Record<string, () => Promise<void>> = { up, down };
await runSubcommand('scripts/dockerd.ts', commands);
