/**
 * The lab runner process (`npm run runner`, and started by `npm start` beside the web app):
 * makes sure the Docker engine runs and the sandbox image exists, re-adopts sandboxes left by a
 * previous run, and serves the API on RUNNER_HOST:RUNNER_PORT.
 */
import { parseRunnerConfig } from '../config';
import { ensureDockerEngine } from '../drivers/docker-daemon';
import { ensureSandboxImage } from '../image/build';
import { createRunner } from './runner';

const log = (message: string) => console.log(`[runner] ${message}`);
const shutdownGraceMs = 5_000;

async function main(): Promise<void> {
  const config = parseRunnerConfig(process.env);
  const { docker } = await ensureDockerEngine({ log });
  const image = config.sandboxImage ?? (await ensureSandboxImage(docker, { log })).ref;
  const runner = await createRunner(config, docker, image, log);
  await runner.app.listen({ port: config.port, host: config.host });
  log(`listening on http://${config.host}:${config.port} (image ${image}, warm pool ${config.poolSize})`);

  let isStopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (isStopping) return;
      isStopping = true;
      log(`${signal}: stopping; sandboxes keep running and are re-adopted on the next start`);
      // Open terminals could hold the close up; the sandboxes do not need it to finish.
      setTimeout(() => process.exit(0), shutdownGraceMs).unref();
      void runner.close().finally(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(`[runner] ✗ ${(error as Error).message}`);
  process.exit(1);
});
