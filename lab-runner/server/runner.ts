/** Wires a runner together (driver, session manager, HTTP app); used by main.ts and the tests. */
import fs from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import type { FastifyInstance } from 'fastify';
import type { RunnerConfig } from '../config';
import { DockerDriver } from '../drivers/docker';
import { LabCatalog } from '../labs';
import { SessionManager } from '../sessions/manager';
import { buildRunnerApp } from './app';
import { createRunnerMetrics } from './metrics';
import { NonceRegistry } from './nonces';

export type Runner = {
  app: FastifyInstance;
  sessions: SessionManager;
  labs: LabCatalog;
  /** Stops serving and background work; sandboxes keep running for the next runner to adopt. */
  close(): Promise<void>;
};

export async function createRunner(
  config: RunnerConfig,
  docker: Docker,
  defaultImage: string,
  log: (message: string) => void = () => undefined,
): Promise<Runner> {
  const metrics = createRunnerMetrics();
  const labs = new LabCatalog(config.labsDir);
  const sessions = new SessionManager({
    driver: new DockerDriver({ docker, sandboxesDir: path.join(config.dataDir, 'sandboxes') }),
    labs,
    metrics,
    defaultImage,
    imageOverride: config.sandboxImage,
    idleStopMs: config.idleStopMs,
    sessionTtlMs: config.sessionTtlMs,
    poolSize: config.poolSize,
    maxSessions: config.maxSessions,
    maxSessionsPerUser: config.maxSessionsPerUser,
    minFreeDiskMb: config.minFreeDiskMb,
    freeDiskBytes: () => freeBytesAt(config.dataDir),
    log,
  });
  await sessions.start();
  const app = await buildRunnerApp({
    sessions,
    labs,
    metrics,
    secret: config.secret,
    allowedOrigins: config.allowedOrigins,
    nonces: new NonceRegistry(),
  });
  return {
    app,
    sessions,
    labs,
    close: async () => {
      await app.close();
      await sessions.close();
    },
  };
}

/** Bytes an unprivileged writer may still use on the file system holding `folder`. */
function freeBytesAt(folder: string): number | null {
  try {
    const stats = fs.statfsSync(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}
