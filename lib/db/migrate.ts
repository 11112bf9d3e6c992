/**
 * Applies prisma/migrations/<name>/migration.sql in order, without Prisma's downloaded schema engine.
 *
 * Bookkeeping uses Prisma's own `_prisma_migrations` table (same columns, SHA-256 checksum of the
 * file), so a host that can run `prisma migrate deploy` sees the same history and does the same.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type MigrationFile = { name: string; sql: string; checksum: string };
export type MigrationReport = { applied: string[]; alreadyApplied: string[] };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const createBookkeepingTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export function readMigrations(migrationsDir: string): MigrationFile[] {
  if (!fs.existsSync(migrationsDir)) throw new MigrationError(`No migrations folder at ${migrationsDir}`);
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      if (!fs.existsSync(file)) throw new MigrationError(`Migration ${name} has no migration.sql`);
      const sql = fs.readFileSync(file, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Opens (creating if needed) the SQLite file, switches it to WAL and applies pending migrations. */
export function migrateDatabase(databasePath: string, migrationsDir: string): MigrationReport {
  fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  const db = new Database(databasePath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(createBookkeepingTable);
    return applyPending(db, readMigrations(migrationsDir));
  } finally {
    db.close();
  }
}

type AppliedRow = { migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown };

function applyPending(db: Database.Database, migrations: MigrationFile[]): MigrationReport {
  const rows = db
    .prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"')
    .all() as AppliedRow[];
  const applied = new Map(
    rows.filter((row) => row.rolled_back_at === null).map((r) => [r.migration_name, r]),
  );
  const report: MigrationReport = { applied: [], alreadyApplied: [] };

  for (const migration of migrations) {
    const previous = applied.get(migration.name);
    if (previous) {
      if (previous.finished_at === null) {
        throw new MigrationError(
          `Migration ${migration.name} started earlier but did not finish; fix the database by hand, then mark it rolled back.`,
        );
      }
      if (previous.checksum !== migration.checksum) {
        throw new MigrationError(
          `Migration ${migration.name} was changed after it was applied (checksum differs); add a new migration instead.`,
        );
      }
      report.alreadyApplied.push(migration.name);
      continue;
    }
    applyOne(db, migration);
    report.applied.push(migration.name);
  }
  return report;
}

function applyOne(db: Database.Database, migration: MigrationFile): void {
  const id = randomUUID();
  const run = db.transaction(() => {
    db.prepare(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)',
    ).run(id, migration.checksum, migration.name, Date.now());
    db.exec(migration.sql);
    db.prepare('UPDATE "_prisma_migrations" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?').run(
      Date.now(),
      id,
    );
  });
  try {
    run();
  } catch (error) {
    throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
  }
}
