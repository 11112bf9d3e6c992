import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@/lib/db/migrate';
import type { CheckResult } from '@/lib/runner/client';

// A database of this file's own, migrated like `npm start` does, before anything reads the config.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'academy-lab-progress-'));
const databasePath = path.join(dir, 'academy.db');
process.env.DATABASE_URL = `file:${databasePath}`;
migrateDatabase(databasePath, path.join(process.cwd(), 'prisma', 'migrations'));

const { getDb } = await import('@/lib/db/client');
const { labProgress, passedStepsByLab, recordCheck } = await import('./progress');

const db = getDb();
const labId = 'demo-lab';
const stepIds = ['one', 'two'];
let userId = '';

afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.user.deleteMany();
  userId = (await db.user.create({ data: { email: 'ada@example.com', name: 'Ada', passwordHash: '' } })).id;
});

function result(stepId: string, status: CheckResult['status']): CheckResult {
  return {
    stepId,
    status,
    message: `${status} message`,
    details: [{ name: 'mae identical', status: status === 'pass' ? 'pass' : 'fail' }],
    durationMs: 1234.4,
  };
}

describe('lab progress', () => {
  it('keeps a background check that did not pass out of the learner’s progress', async () => {
    await recordCheck(userId, labId, stepIds, result('one', 'fail'), true);
    const progress = await labProgress(userId, labId, stepIds);
    expect(progress.steps.one).toMatchObject({ status: 'not-started', attempts: 0, last: null });
    expect(await db.labStepResult.count({ where: { userId, automatic: true } })).toBe(1);
  });

  it('counts a background pass, and shows it as the last check, marked automatic', async () => {
    await recordCheck(userId, labId, stepIds, result('one', 'fail'));
    await recordCheck(userId, labId, stepIds, result('one', 'pass'), true);
    const progress = await labProgress(userId, labId, stepIds);
    expect(progress.steps.one).toMatchObject({
      status: 'passed',
      attempts: 2,
      last: { status: 'pass', automatic: true },
    });
    expect(progress.steps.one!.last?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('shows a skipped step as skipped, not passed, and never completes the lab with it', async () => {
    await db.labStepSkip.create({ data: { userId, labId, stepId: 'one' } });
    await recordCheck(userId, labId, stepIds, result('one', 'pass'));
    await recordCheck(userId, labId, stepIds, result('two', 'pass'));
    const progress = await labProgress(userId, labId, stepIds);
    expect(progress.steps.one!.status).toBe('skipped');
    expect(progress.steps.two!.status).toBe('passed');
    expect(progress.completedAt).toBeNull();
    expect((await passedStepsByLab(userId)).get(labId)).toEqual(new Set(['two']));
  });

  it('completes the lab once every step passed', async () => {
    await recordCheck(userId, labId, stepIds, result('one', 'pass'));
    await recordCheck(userId, labId, stepIds, result('two', 'pass'), true);
    expect((await labProgress(userId, labId, stepIds)).completedAt).not.toBeNull();
  });

  it('tells the last jump and who made it', async () => {
    expect((await labProgress(userId, labId, stepIds)).jump).toBeNull();
    const jumpedAt = new Date('2026-12-01T09:00:00Z');
    const workshop = await db.workshop.create({
      data: {
        title: 'W',
        code: 'ABCDEF',
        instructorId: userId,
        labs: '[]',
        startsAt: jumpedAt,
        endsAt: jumpedAt,
      },
    });
    await db.labProgress.create({
      data: { userId, labId, currentStep: 'two', jumpStep: 'two', jumpedAt, jumpWorkshopId: workshop.id },
    });
    const progress = await labProgress(userId, labId, stepIds);
    expect(progress.currentStep).toBe('two');
    expect(progress.jump).toEqual({ stepId: 'two', at: jumpedAt.toISOString(), byInstructor: true });
  });
});
