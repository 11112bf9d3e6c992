import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { backupDatabase, BackupError } from './backup';

const tempDir = tempDirsForEachTest('mlops-academy-backup-');
const writers: ChildProcess[] = [];

afterEach(() => {
  for (const writer of writers.splice(0)) writer.kill('SIGKILL');
});

/** A WAL database of a few MB: a ledger and a total that every write keeps equal to its sum. */
function makeDatabase(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, note TEXT NOT NULL);
           CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1), sum INTEGER NOT NULL);
           INSERT INTO totals VALUES (1, 0);`);
  const insert = db.prepare('INSERT INTO ledger (amount, note) VALUES (?, ?)');
  const add = db.prepare('UPDATE totals SET sum = sum + ? WHERE id = 1');
  db.transaction(() => {
    for (let i = 0; i < 20_000; i++) {
      insert.run(i % 7, 'x'.repeat(200));
      add.run(i % 7);
    }
  })();
  db.close();
}

/**
 * Another process writing as the web app does, until killed: each transaction adds a ledger row
 * and the same amount to the total. It prints "writing" once its first write is committed.
 */
function startWriter(file: string): ChildProcess {
  const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `
const Database = require(${JSON.stringify(betterSqlite3)});
const db = new Database(${JSON.stringify(file)});
db.pragma('busy_timeout = 5000');
const insert = db.prepare('INSERT INTO ledger (amount, note) VALUES (?, ?)');
const add = db.prepare('UPDATE totals SET sum = sum + ? WHERE id = 1');
const write = db.transaction((amount) => { insert.run(amount, 'written during the backup'); add.run(amount); });
let n = 0;
(function loop() {
  write(1 + (n++ % 5));
  if (n === 1) process.stdout.write('writing\\n');
  setImmediate(loop);
})();`;
  const writer = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  writers.push(writer);
  return writer;
}

function rowCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('backupDatabase', () => {
  it('takes a consistent copy that passes integrity_check while another process keeps writing', async () => {
    const dir = tempDir();
    const source = path.join(dir, 'academy.db');
    makeDatabase(source);
    const writer = startWriter(source);
    await new Promise<void>((resolve) => writer.stdout?.once('data', () => resolve()));

    const before = rowCount(source);
    const report = await backupDatabase(source, path.join(dir, 'backup.db'));
    const after = rowCount(source);
    writer.kill('SIGKILL');

    // The writer really wrote while the backup ran.
    expect(after).toBeGreaterThan(before);
    expect(report.pages).toBeGreaterThan(500);

    const copy = new Database(report.target, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      // A snapshot: every transaction is in it whole or not at all.
      const { rows, ledgerSum } = copy
        .prepare('SELECT count(*) AS rows, sum(amount) AS ledgerSum FROM ledger')
        .get() as {
        rows: number;
        ledgerSum: number;
      };
      const { sum } = copy.prepare('SELECT sum FROM totals WHERE id = 1').get() as { sum: number };
      expect(ledgerSum).toBe(sum);
      expect(rows).toBeGreaterThanOrEqual(before);
      expect(rows).toBeLessThanOrEqual(after);
    } finally {
      copy.close();
    }
    expect(fs.existsSync(`${report.target}-wal`)).toBe(false);
    expect(fs.existsSync(`${report.target}.partial`)).toBe(false);
  });

  it('never overwrites an existing file, nor the database itself', async () => {
    const dir = tempDir();
    const source = path.join(dir, 'academy.db');
    makeDatabase(source);
    const existing = path.join(dir, 'yesterday.db');
    fs.writeFileSync(existing, 'an older backup');

    await expect(backupDatabase(source, existing)).rejects.toThrow(/already exists/);
    expect(fs.readFileSync(existing, 'utf8')).toBe('an older backup');
    await expect(backupDatabase(source, source)).rejects.toThrow(BackupError);
  });

  it('says so when the database or the target folder is missing', async () => {
    const dir = tempDir();
    await expect(backupDatabase(path.join(dir, 'none.db'), path.join(dir, 'b.db'))).rejects.toThrow(
      /no database/,
    );
    const source = path.join(dir, 'academy.db');
    makeDatabase(source);
    await expect(backupDatabase(source, path.join(dir, 'missing', 'b.db'))).rejects.toThrow(/does not exist/);
  });
});
