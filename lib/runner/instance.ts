/**
 * The web server's one client of the lab runner, made on first use: the configuration (runner URL
 * and secret) is read when a request needs it, not when a module is imported during the build.
 */
import 'server-only';
import { getConfig } from '@/lib/config';
import { RunnerClient } from './client';

let runnerClient: RunnerClient | undefined;

export function getRunner(): RunnerClient {
  const config = getConfig();
  runnerClient ??= new RunnerClient(config.runnerUrl, config.runnerSecret());
  return runnerClient;
}
