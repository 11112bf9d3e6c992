import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@/lib/db/migrate';

// A database of this file's own, migrated like `npm start` does, before anything reads the config.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'academy-accounts-'));
const databasePath = path.join(dir, 'academy.db');
process.env.DATABASE_URL = `file:${databasePath}`;
migrateDatabase(databasePath, path.join(process.cwd(), 'prisma', 'migrations'));

const { getDb } = await import('@/lib/db/client');
const accounts = await import('./accounts');
const { mergeGuestInto } = await import('./guest-merge');
const { AccountError, authenticate, createUser, ensureAdmin, hasAdmin, setPassword, setRole } = accounts;

const db = getDb();
const password = 'correct horse battery';

afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.user.deleteMany();
});

async function guestWithWork() {
  const guest = await db.user.create({
    data: { email: 'g@guest.invalid', name: 'Guest learner', passwordHash: '', guest: true },
  });
  await db.session.create({
    data: { id: 'guest-session', userId: guest.id, expiresAt: new Date(Date.now() + 60_000) },
  });
  return guest;
}

describe('createUser', () => {
  it('makes a learner with a normalised email and a scrypt hash, never the password', async () => {
    const user = await createUser({ email: '  Ada@Example.COM ', name: ' Ada ', password });
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada', role: 'learner', guest: false });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain(password);
  });

  it('refuses an email that exists, whatever its case, as a 409 EMAIL_TAKEN', async () => {
    await createUser({ email: 'ada@example.com', name: 'Ada', password });
    const again = createUser({ email: 'ADA@example.com', name: 'Other', password });
    await expect(again).rejects.toBeInstanceOf(AccountError);
    await expect(again).rejects.toMatchObject({ status: 409, code: 'EMAIL_TAKEN' });
  });

  it('refuses a weak password with the rule it breaks', async () => {
    await expect(createUser({ email: 'a@example.com', name: 'A', password: 'short' })).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
      message: 'Use at least 10 characters for your password.',
    });
  });

  it("turns this browser's guest into the account, keeping its id and lab work", async () => {
    const guest = await guestWithWork();
    await db.labStepResult.create({
      data: {
        userId: guest.id,
        labId: 'lab',
        stepId: 's1',
        status: 'pass',
        message: '',
        details: '[]',
        durationMs: 5,
      },
    });
    const user = await createUser(
      { email: 'ada@example.com', name: 'Ada', password },
      { fromGuestId: guest.id },
    );
    expect(user).toMatchObject({ id: guest.id, email: 'ada@example.com', guest: false, role: 'learner' });
    expect(await db.labStepResult.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it('makes a fresh account when the guest id is not a guest', async () => {
    const other = await createUser({ email: 'grace@example.com', name: 'Grace', password });
    const user = await createUser(
      { email: 'ada@example.com', name: 'Ada', password },
      { fromGuestId: other.id },
    );
    expect(user.id).not.toBe(other.id);
    expect((await db.user.findUniqueOrThrow({ where: { id: other.id } })).email).toBe('grace@example.com');
  });
});

describe('authenticate', () => {
  it('finds the account for the right password only', async () => {
    const user = await createUser({ email: 'ada@example.com', name: 'Ada', password });
    expect((await authenticate('ADA@example.com', password))?.id).toBe(user.id);
    expect(await authenticate('ada@example.com', 'wrong password!')).toBeNull();
    expect(await authenticate('nobody@example.com', password)).toBeNull();
  });

  it('never lets anyone log in as a guest', async () => {
    await guestWithWork();
    expect(await authenticate('g@guest.invalid', '')).toBeNull();
  });

  it('stores a fresh hash when the old one used other parameters', async () => {
    const user = await createUser({ email: 'ada@example.com', name: 'Ada', password });
    const crypto = await import('node:crypto');
    const salt = crypto.randomBytes(16);
    const older = crypto.scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const olderHash = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64url'), older.toString('base64url')].join(
      '$',
    );
    await db.user.update({ where: { id: user.id }, data: { passwordHash: olderHash } });
    expect(await authenticate('ada@example.com', password)).not.toBeNull();
    const stored = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    expect(stored).toMatch(/^scrypt\$32768\$/);
  });
});

describe('setPassword, setRole and ensureAdmin', () => {
  it('changes the password and ends every session of that user', async () => {
    const user = await createUser({ email: 'ada@example.com', name: 'Ada', password });
    await db.session.create({ data: { id: 's', userId: user.id, expiresAt: new Date(Date.now() + 60_000) } });
    await setPassword(user.id, 'a brand new password');
    expect(await authenticate('ada@example.com', password)).toBeNull();
    expect(await authenticate('ada@example.com', 'a brand new password')).not.toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    await expect(setPassword('nobody', 'a brand new password')).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
    await expect(setPassword(user.id, 'aaaaaaaaaaaa')).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
  });

  it('changes the role, and says when there is no such user', async () => {
    const user = await createUser({ email: 'ada@example.com', name: 'Ada', password });
    expect((await setRole(user.id, 'instructor')).role).toBe('instructor');
    await expect(setRole('nobody', 'admin')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('makes a new admin, or promotes an existing account', async () => {
    expect(await hasAdmin()).toBe(false);
    const made = await ensureAdmin({ email: 'root@example.com', name: 'Root', password });
    expect(made).toMatchObject({ created: true, user: { role: 'admin', email: 'root@example.com' } });
    expect(await hasAdmin()).toBe(true);
    const learner = await createUser({ email: 'ada@example.com', name: 'Ada', password });
    const promoted = await ensureAdmin({ email: 'ADA@example.com', name: 'ignored' });
    expect(promoted).toMatchObject({ created: false, user: { id: learner.id, role: 'admin', name: 'Ada' } });
    expect(await authenticate('ada@example.com', password)).not.toBeNull();
    await expect(ensureAdmin({ email: 'new@example.com', name: 'New' })).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
    });
  });
});

describe('mergeGuestInto', () => {
  it("moves the guest's work into the account, resolves duplicates and removes the guest", async () => {
    const user = await createUser({ email: 'ada@example.com', name: 'Ada', password });
    const guest = await guestWithWork();
    const day = (n: number) => new Date(Date.UTC(2026, 10, n));
    const result = (userId: string, stepId: string) => ({
      userId,
      labId: 'lab',
      stepId,
      status: 'pass',
      message: '',
      details: '[]',
      durationMs: 1,
    });
    await db.labStepResult.createMany({
      data: [result(user.id, 's1'), result(guest.id, 's1'), result(guest.id, 's2')],
    });
    await db.quizAttempt.create({
      data: { userId: guest.id, chapter: 'c', quizId: 'q', answers: '{}', score: 1, total: 1 },
    });
    await db.solutionReveal.createMany({
      data: [
        { userId: user.id, labId: 'lab', stepId: 's1', createdAt: day(5) },
        { userId: guest.id, labId: 'lab', stepId: 's1', createdAt: day(3) },
        { userId: guest.id, labId: 'lab', stepId: 's2', createdAt: day(4) },
      ],
    });
    await db.labProgress.createMany({
      data: [
        { userId: user.id, labId: 'lab', currentStep: 's1', startedAt: day(2), lastOpenedAt: day(6) },
        {
          userId: guest.id,
          labId: 'lab',
          currentStep: 's2',
          startedAt: day(1),
          lastOpenedAt: day(8),
          completedAt: day(7),
        },
        { userId: guest.id, labId: 'other', currentStep: 'x', startedAt: day(1), lastOpenedAt: day(1) },
      ],
    });

    await mergeGuestInto(guest.id, user.id);

    expect(await db.user.findUnique({ where: { id: guest.id } })).toBeNull();
    expect(await db.session.count({ where: { id: 'guest-session' } })).toBe(0);
    expect(await db.labStepResult.count({ where: { userId: user.id } })).toBe(3);
    expect(await db.quizAttempt.count({ where: { userId: user.id } })).toBe(1);
    const reveals = await db.solutionReveal.findMany({
      where: { userId: user.id },
      orderBy: { stepId: 'asc' },
    });
    expect(reveals.map((r) => [r.stepId, r.createdAt.toISOString()])).toEqual([
      ['s1', day(3).toISOString()],
      ['s2', day(4).toISOString()],
    ]);
    const progress = await db.labProgress.findMany({ where: { userId: user.id }, orderBy: { labId: 'asc' } });
    expect(progress).toMatchObject([
      { labId: 'lab', currentStep: 's2', startedAt: day(1), lastOpenedAt: day(8), completedAt: day(7) },
      { labId: 'other', currentStep: 'x' },
    ]);
  });

  it('does nothing for an id that is not a guest', async () => {
    const user = await createUser({ email: 'ada@example.com', name: 'Ada', password });
    const other = await createUser({ email: 'grace@example.com', name: 'Grace', password });
    await mergeGuestInto(other.id, user.id);
    expect(await db.user.count()).toBe(2);
  });
});
