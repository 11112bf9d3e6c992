/**
 * `npm run sandboxes -- list | stop (--all | <id>…) | destroy (--all | <id>…)`: the sandboxes the
 * platform left running, through the runner's API while it answers, else through the Docker labels
 * of this runner's data folder (scripts/lib/sandboxes.ts says why). Same settings as the platform:
 * RUNNER_URL, the runner secret, RUNNER_DATA_DIR.
 */
import path from 'node:path';
import Docker from 'dockerode';
import { DockerDriver, labelKeys, runnerIdFor } from '@/lab-runner/drivers/docker';
import { pingEngine } from '@/lab-runner/drivers/docker-daemon';
import { getConfig } from '@/lib/config';
import { RunnerClient } from '@/lib/runner/client';
import {
  dockerControl,
  parseSandboxesArgs,
  runnerAnswers,
  runnerControl,
  runSandboxesCommand,
  usage,
  type SandboxControl,
} from './lib/sandboxes';

async function chooseControl(): Promise<SandboxControl> {
  const { runnerUrl, runnerSecret, runnerDataDir } = getConfig();
  if (await runnerAnswers(runnerUrl)) {
    return runnerControl(new RunnerClient(runnerUrl, runnerSecret()), runnerUrl);
  }
  const docker = new Docker();
  const problem = await pingEngine(docker);
  if (problem) {
    throw new Error(
      `Neither the lab runner (${runnerUrl}) nor the Docker engine answers: ${problem.message}`,
    );
  }
  const sandboxesDir = path.join(runnerDataDir, 'sandboxes');
  return dockerControl(
    new DockerDriver({ docker, sandboxesDir }),
    `Docker (the lab runner does not answer at ${runnerUrl}): containers labelled ` +
      `${labelKeys.runner}=${runnerIdFor(sandboxesDir)}, the sandboxes of ${runnerDataDir}`,
  );
}

const request = parseSandboxesArgs(process.argv.slice(2));
if (!request) {
  console.error(usage);
  process.exit(2);
}
try {
  process.exitCode = await runSandboxesCommand(request, await chooseControl(), console.log, console.error);
} catch (error) {
  console.error(`✗ ${(error as Error).message}`);
  process.exitCode = 1;
}
