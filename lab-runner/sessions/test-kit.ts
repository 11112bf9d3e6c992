/**
 * What unit tests of the session manager (and of anything built on it) share, without Docker: a
 * folder of small labs and a SessionManager over a FakeDriver, with limits a test chooses, closed
 * after each test. Used only by tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { stringify } from 'yaml';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { FakeDriver } from '../drivers/fake';
import { LabCatalog } from '../labs';
import { createRunnerMetrics, type RunnerMetrics } from '../server/metrics';
import { SessionManager, type SessionManagerOptions } from './manager';

/** The labs every test manager has. */
export const testLabs = {
  /** No services, no time limit of its own, the default disk: a pool sandbox fits it. */
  plain: 'plain-lab',
  /** `services: [tracking]`. */
  tracking: 'tracking-lab',
  /** `timeLimitMinutes: 30`. */
  timed: 'timed-lab',
  /** A 1 GB disk: no pool sandbox (512 MB) fits it. */
  bigDisk: 'big-disk-lab',
} as const;

export const testImage = 'mlops-academy/lab:test';
export const starterFile = { path: 'train.py', content: 'print("starter")\n' };

function writeLab(labsDir: string, id: string, extra: Record<string, unknown>): void {
  const files: Record<string, string> = {
    'lab.yaml': stringify({
      id,
      title: `Lab ${id}`,
      summary: 'A lab for the session manager tests.',
      chapter: '01-intro',
      minutes: 5,
      ...extra,
      steps: [
        {
          id: 'first-step',
          title: 'First step',
          body: 'steps/01.mdx',
          check: 'checks/first.sh',
          solution: 'solution/01',
        },
      ],
    }),
    'steps/01.mdx': 'Do the thing.\n',
    'checks/first.sh': 'echo "{}"\n',
    'solution/01/train.py': 'print("solved")\n',
    [`workspace/${starterFile.path}`]: starterFile.content,
  };
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(labsDir, id, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

export function writeTestLabs(labsDir: string): void {
  writeLab(labsDir, testLabs.plain, {});
  writeLab(labsDir, testLabs.tracking, { services: ['tracking'] });
  writeLab(labsDir, testLabs.timed, { timeLimitMinutes: 30 });
  writeLab(labsDir, testLabs.bigDisk, { resources: { diskMb: 1024 } });
}

export type TestManager = {
  manager: SessionManager;
  driver: FakeDriver;
  metrics: RunnerMetrics;
  /** What the manager logged, oldest first. */
  logs: string[];
};

export const testLimits = {
  idleStopMs: 10 * 60_000,
  sessionTtlMs: 4 * 3_600_000,
  poolSize: 0,
  maxSessions: 10,
  maxSessionsPerUser: 2,
};

/**
 * Call at a test file's top level: makes managers over fresh fake drivers (the given one if any)
 * and the test labs, with `testLimits` unless overridden; each is closed after its test.
 */
export function testManagers(): (
  options?: Partial<Omit<SessionManagerOptions, 'driver'>> & { driver?: FakeDriver },
) => TestManager {
  const newDir = tempDirsForEachTest('academy-sessions-');
  const made: SessionManager[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((manager) => manager.close()));
  });
  return (options = {}) => {
    const labsDir = newDir();
    writeTestLabs(labsDir);
    const driver = options.driver ?? new FakeDriver();
    const metrics = createRunnerMetrics();
    const logs: string[] = [];
    const manager = new SessionManager({
      labs: new LabCatalog(labsDir),
      metrics,
      defaultImage: testImage,
      log: (message) => logs.push(message),
      ...testLimits,
      ...options,
      driver,
    });
    made.push(manager);
    return { manager, driver, metrics, logs };
  };
}

/**
 * The fake engine holds exactly the sandboxes the manager knows: one per live session (a failed
 * one's is removed) and one per warm pool entry. Call it when no pool sandbox is being made.
 */
export async function expectNoLeakedSandboxes({ manager, driver }: TestManager): Promise<void> {
  const inEngine = await driver.list();
  const sessionIds = manager
    .list()
    .filter((session) => session.state !== 'error')
    .map((session) => session.id)
    .sort();
  expect(
    inEngine
      .filter((info) => !info.labels.isPool)
      .map((info) => info.labels.sessionId)
      .sort(),
  ).toEqual(sessionIds);
  expect(inEngine.filter((info) => info.labels.isPool)).toHaveLength(manager.poolSize());
}
