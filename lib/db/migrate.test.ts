import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { createPrismaClient } from './client';
import { MigrationError, migrateDatabase, readMigrations } from './migrate';

const migrationsDir = path.join(process.cwd(), 'prisma', 'migrations');
const makeDir = tempDirsForEachTest();

function tables(databasePath: string): string[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((row) => row.name);
  } finally {
    db.close();
  }
}

describe('migrateDatabase', () => {
  it('applies every migration to an empty database, in WAL mode, with Prisma-compatible bookkeeping', () => {
    const databasePath = path.join(makeDir(), 'nested', 'academy.db');
    const report = migrateDatabase(databasePath, migrationsDir);

    const expected = readMigrations(migrationsDir).map((m) => m.name);
    expect(report.applied).toEqual(expected);
    expect(tables(databasePath)).toEqual(
      expect.arrayContaining(['User', 'Session', 'QuizAttempt', '_prisma_migrations']),
    );

    const db = new Database(databasePath, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const rows = db
        .prepare(
          'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"',
        )
        .all() as {
        migration_name: string;
        checksum: string;
        finished_at: number;
        applied_steps_count: number;
      }[];
      const first = rows.find((row) => row.migration_name === expected[0]);
      const sql = fs.readFileSync(path.join(migrationsDir, expected[0]!, 'migration.sql'));
      expect(first?.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(first?.finished_at).not.toBeNull();
      expect(first?.applied_steps_count).toBe(1);
    } finally {
      db.close();
    }
  });

  it('is idempotent: a second run applies nothing and changes nothing', () => {
    const databasePath = path.join(makeDir(), 'academy.db');
    migrateDatabase(databasePath, migrationsDir);
    const second = migrateDatabase(databasePath, migrationsDir);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toHaveLength(readMigrations(migrationsDir).length);
  });

  it('applies only the new migration when one is added later', () => {
    const dir = makeDir();
    const migrations = path.join(dir, 'migrations');
    fs.cpSync(migrationsDir, migrations, { recursive: true });
    const databasePath = path.join(dir, 'academy.db');
    migrateDatabase(databasePath, migrations);

    fs.mkdirSync(path.join(migrations, '99990101000000_add_note'));
    fs.writeFileSync(
      path.join(migrations, '99990101000000_add_note', 'migration.sql'),
      'CREATE TABLE "Note" ("id" TEXT NOT NULL PRIMARY KEY);\n',
    );
    expect(migrateDatabase(databasePath, migrations).applied).toEqual(['99990101000000_add_note']);
    expect(tables(databasePath)).toContain('Note');
  });

  it('refuses a migration that was edited after it was applied', () => {
    const dir = makeDir();
    const migrations = path.join(dir, 'migrations');
    fs.cpSync(migrationsDir, migrations, { recursive: true });
    const databasePath = path.join(dir, 'academy.db');
    migrateDatabase(databasePath, migrations);
    const [first] = readMigrations(migrations);
    fs.appendFileSync(path.join(migrations, first!.name, 'migration.sql'), '\n-- edited\n');
    expect(() => migrateDatabase(databasePath, migrations)).toThrowError(/was changed after it was applied/);
  });

  it('rolls back a failing migration and records nothing for it', () => {
    const dir = makeDir();
    const migrations = path.join(dir, 'migrations');
    fs.mkdirSync(path.join(migrations, '0001_broken'), { recursive: true });
    fs.writeFileSync(
      path.join(migrations, '0001_broken', 'migration.sql'),
      'CREATE TABLE "Good" ("id" TEXT PRIMARY KEY);\nCREATE TABLE oops syntax error;\n',
    );
    const databasePath = path.join(dir, 'academy.db');
    expect(() => migrateDatabase(databasePath, migrations)).toThrowError(MigrationError);
    expect(tables(databasePath)).not.toContain('Good');
    const db = new Database(databasePath, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM "_prisma_migrations"').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('Prisma Client on the migrated database', () => {
  it('creates and reads users, sessions and quiz attempts, and cascades deletes', async () => {
    const databasePath = path.join(makeDir(), 'academy.db');
    migrateDatabase(databasePath, migrationsDir);
    const prisma = createPrismaClient(databasePath);
    try {
      const user = await prisma.user.create({
        data: { email: "o'brien@example.com", name: 'Robert"); DROP TABLE User;--', passwordHash: 'x' },
      });
      expect(user.role).toBe('learner');
      await prisma.session.create({
        data: { id: 'token-hash', userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) },
      });
      await prisma.quizAttempt.create({
        data: {
          userId: user.id,
          chapter: '01-mlops-fundamentals',
          quizId: 'q',
          answers: '{"a":1}',
          score: 1,
          total: 5,
        },
      });
      const loaded = await prisma.user.findUniqueOrThrow({
        where: { email: "o'brien@example.com" },
        include: { sessions: true, quizAttempts: true },
      });
      expect(loaded.name).toBe('Robert"); DROP TABLE User;--');
      expect(loaded.sessions).toHaveLength(1);
      expect(loaded.quizAttempts[0]?.score).toBe(1);

      await expect(
        prisma.user.create({ data: { email: "o'brien@example.com", name: 'Twin', passwordHash: 'x' } }),
      ).rejects.toThrow();

      await prisma.user.delete({ where: { id: user.id } });
      expect(await prisma.session.count()).toBe(0);
      expect(await prisma.quizAttempt.count()).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });
});
