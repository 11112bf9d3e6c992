/**
 * `npm run sandboxes` with the runner down, against the real Docker engine: only containers
 * labelled as sandboxes of this runner's data folder are listed, stopped or destroyed. A container
 * with our name but no labels, or another runner's sandbox, is never touched, even by id.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSessionId } from '@/lab-runner/api/sessions';
import { DockerDriver, labelKeys, runnerIdFor } from '@/lab-runner/drivers/docker';
import { dockerControl, parseSandboxesArgs, runSandboxesCommand } from '@/scripts/lib/sandboxes';
import {
  ensureImageForTests,
  getDocker,
  removeContainer,
  startHardenedContainer,
} from '@/tests/support/docker';

let docker: Docker;
let image: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-academy-sandboxes-cmd-'));
const sandboxesDir = path.join(dataDir, 'sandboxes');
const containers: Docker.Container[] = [];

/** A running container named as the driver names sandboxes, with these labels. */
async function container(sessionId: string, labels: Record<string, string>): Promise<Docker.Container> {
  const started = await startHardenedContainer(docker, image, {
    name: `mlops-academy-${sessionId}`,
    Cmd: ['sleep', 'infinity'],
    Labels: labels,
  });
  containers.push(started);
  return started;
}

const sandboxLabels = (sessionId: string, runnerId: string) => ({
  [labelKeys.session]: sessionId,
  [labelKeys.runner]: runnerId,
  [labelKeys.user]: 'learner-1',
  [labelKeys.lab]: 'sandbox-basics',
  [labelKeys.expires]: String(Date.now() + 60 * 60_000),
  [labelKeys.pool]: '0',
});

const ours = newSessionId();
const anotherRunners = newSessionId();
const unlabelled = newSessionId();

beforeAll(async () => {
  ({ docker } = await getDocker());
  image = await ensureImageForTests();
  await container(ours, sandboxLabels(ours, runnerIdFor(sandboxesDir)));
  await container(anotherRunners, sandboxLabels(anotherRunners, runnerIdFor(path.join(dataDir, 'other'))));
  await container(unlabelled, {});
});

afterAll(async () => {
  for (const created of containers) await removeContainer(created);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const out: string[] = [];
  const errors: string[] = [];
  const control = dockerControl(new DockerDriver({ docker, sandboxesDir }), 'Docker');
  const request = parseSandboxesArgs(args);
  if (!request) throw new Error(`bad arguments: ${args.join(' ')}`);
  const status = await runSandboxesCommand(
    request,
    control,
    (l) => out.push(l),
    (l) => errors.push(l),
  );
  return { status, out, errors };
}

const isRunning = async (sessionId: string) =>
  (await docker.getContainer(`mlops-academy-${sessionId}`).inspect()).State.Running;

describe('npm run sandboxes through Docker', () => {
  it("lists this runner's sandbox only", async () => {
    const { status, out } = await run('list');
    expect(status).toBe(0);
    const listed = out.join('\n');
    expect(listed).toContain(ours);
    expect(listed).not.toContain(anotherRunners);
    expect(listed).not.toContain(unlabelled);
  });

  it('refuses, by id, a container that is not labelled as its sandbox, and changes nothing', async () => {
    for (const foreign of [anotherRunners, unlabelled]) {
      const { status } = await run('destroy', foreign);
      expect(status, foreign).toBe(1);
      expect(await isRunning(foreign), foreign).toBe(true);
    }
  });

  it('stops, then destroys, its own sandbox with --all, leaving the others running', async () => {
    expect((await run('stop', '--all')).status).toBe(0);
    expect(await isRunning(ours)).toBe(false);
    expect((await run('destroy', '--all')).status).toBe(0);
    await expect(docker.getContainer(`mlops-academy-${ours}`).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(await isRunning(anotherRunners)).toBe(true);
    expect(await isRunning(unlabelled)).toBe(true);
  });
});
