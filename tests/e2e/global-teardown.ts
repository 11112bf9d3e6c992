/**
 * After the e2e run: remove every sandbox (container and loop-mounted workspace) the e2e lab runner
 * made. The runner keeps sandboxes across restarts on purpose (learners' work), so tests clean up.
 */
import path from 'node:path';
import { DockerDriver } from '@/lab-runner/drivers/docker';
import { getDocker } from '@/tests/support/docker';
import { e2eRunnerDataDir } from '../../playwright.config';

export default async function globalTeardown(): Promise<void> {
  const { docker } = await getDocker();
  const driver = new DockerDriver({ docker, sandboxesDir: path.resolve(e2eRunnerDataDir, 'sandboxes') });
  const removed = await driver.reapOrphans(() => false);
  if (removed.length) console.log(`e2e teardown: removed ${removed.length} sandboxes`);
}
