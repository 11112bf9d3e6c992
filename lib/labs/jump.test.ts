import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadLab } from '@/lab-runner/api/lab-loader';
import { migrateDatabase } from '@/lib/db/migrate';
import type { RunnerClient } from '@/lib/runner/client';

// A database of this file's own, migrated like `npm start` does, before anything reads the config.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'academy-lab-jump-'));
const databasePath = path.join(dir, 'academy.db');
process.env.DATABASE_URL = `file:${databasePath}`;
migrateDatabase(databasePath, path.join(process.cwd(), 'prisma', 'migrations'));

const { getDb } = await import('@/lib/db/client');
const { applyPendingJump, jumpToStep, stepsLeftBefore } = await import('./jump');
const { referenceFilesBefore } = await import('./catalog');

const db = getDb();
const lab = loadLab('reproducible-training', { labsDir: path.join(process.cwd(), 'labs') });
const solution = (folder: string, file: string) =>
  fs.readFileSync(path.join(lab.dir, 'solution', folder, file), 'utf8');
let userId = '';

afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.user.deleteMany();
  userId = (await db.user.create({ data: { email: 'ada@example.com', name: 'Ada', passwordHash: '' } })).id;
});

/** A runner whose file writes are recorded (or fail, when asked). */
function fakeRunner(options: { failWrites?: boolean } = {}) {
  const writeFile = vi.fn(async (_sessionId: string, _path: string, _content: string) => {
    if (options.failWrites) throw new Error('runner unavailable');
    return {};
  });
  return { runner: { writeFile } as unknown as RunnerClient, writeFile };
}

async function pass(stepId: string) {
  await db.labStepResult.create({
    data: { userId, labId: lab.id, stepId, status: 'pass', message: '', details: '[]', durationMs: 1 },
  });
}

describe('referenceFilesBefore', () => {
  it('is the solutions of every earlier step, sorted by path', () => {
    expect(referenceFilesBefore(lab, 'deterministic-run')).toEqual([]);
    expect(referenceFilesBefore(lab, 'write-metrics')).toEqual([
      { path: 'requirements.txt', content: solution('02', 'requirements.txt') },
      { path: 'train.py', content: solution('01', 'train.py') },
    ]);
  });
});

describe('jumpToStep', () => {
  it('writes the earlier solutions, records the steps not passed as skipped and makes the step current', async () => {
    await pass('deterministic-run');
    const { runner, writeFile } = fakeRunner();
    const outcome = await jumpToStep(runner, 'session-1', userId, lab, 'write-metrics');
    expect(outcome).toEqual({
      stepId: 'write-metrics',
      files: ['requirements.txt', 'train.py'],
      skipped: ['record-environment'],
    });
    expect(writeFile.mock.calls).toEqual([
      ['session-1', 'requirements.txt', solution('02', 'requirements.txt')],
      ['session-1', 'train.py', solution('01', 'train.py')],
    ]);
    const skips = await db.labStepSkip.findMany({ where: { userId } });
    expect(skips.map((s) => [s.stepId, s.workshopId])).toEqual([['record-environment', null]]);
    const progress = await db.labProgress.findUnique({ where: { userId_labId: { userId, labId: lab.id } } });
    expect(progress).toMatchObject({
      currentStep: 'write-metrics',
      jumpStep: 'write-metrics',
      jumpWorkshopId: null,
    });
    expect(await stepsLeftBefore(userId, lab, 'write-metrics')).toEqual([]);
  });

  it('refuses the first step and unknown steps', async () => {
    const { runner, writeFile } = fakeRunner();
    await expect(jumpToStep(runner, 's', userId, lab, 'deterministic-run')).rejects.toMatchObject({
      status: 400,
      code: 'FIRST_STEP',
    });
    await expect(jumpToStep(runner, 's', userId, lab, 'nope')).rejects.toMatchObject({ status: 404 });
    expect(writeFile).not.toHaveBeenCalled();
  });

  it('records nothing when the files could not be written', async () => {
    const { runner } = fakeRunner({ failWrites: true });
    await expect(jumpToStep(runner, 's', userId, lab, 'record-environment')).rejects.toThrow(
      'runner unavailable',
    );
    expect(await db.labStepSkip.count()).toBe(0);
  });
});

describe('applyPendingJump', () => {
  async function pending(stepId: string) {
    const now = new Date();
    const workshop = await db.workshop.create({
      data: { title: 'W', code: 'ABCDEF', instructorId: userId, labs: '[]', startsAt: now, endsAt: now },
    });
    await db.pendingStepJump.create({ data: { userId, labId: lab.id, stepId, workshopId: workshop.id } });
    return workshop.id;
  }

  it('does nothing without a pending jump', async () => {
    const { runner, writeFile } = fakeRunner();
    expect(await applyPendingJump(runner, 's', userId, lab)).toBeNull();
    expect(writeFile).not.toHaveBeenCalled();
  });

  it('applies the instructor’s jump once, recording the workshop', async () => {
    const workshopId = await pending('record-environment');
    const { runner } = fakeRunner();
    expect(await applyPendingJump(runner, 's', userId, lab)).toMatchObject({
      skipped: ['deterministic-run'],
    });
    expect(await db.labStepSkip.findFirst({ where: { userId } })).toMatchObject({ workshopId });
    expect(await db.pendingStepJump.count()).toBe(0);
    expect(await applyPendingJump(runner, 's', userId, lab)).toBeNull();
  });

  it('drops the jump for a learner who did the earlier steps meanwhile', async () => {
    await pending('record-environment');
    await pass('deterministic-run');
    const { runner, writeFile } = fakeRunner();
    expect(await applyPendingJump(runner, 's', userId, lab)).toBeNull();
    expect(writeFile).not.toHaveBeenCalled();
    expect(await db.pendingStepJump.count()).toBe(0);
  });

  it('keeps the jump pending when the files could not be written', async () => {
    await pending('record-environment');
    const { runner } = fakeRunner({ failWrites: true });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await applyPendingJump(runner, 's', userId, lab)).toBeNull();
    expect(await db.pendingStepJump.count()).toBe(1);
    expect(await db.labStepSkip.count()).toBe(0);
  });
});
