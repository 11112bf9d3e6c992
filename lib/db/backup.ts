/**
 * A consistent copy of the live database, taken while the web app keeps writing: SQLite's online
 * backup API (better-sqlite3's `db.backup`). All pages are copied in one step, inside one read
 * transaction; in WAL mode that never blocks the app's writers, and a write from another process
 * cannot make the copy restart over and over as it would page by page.
 *
 * The copy is written beside the target as `<file>.partial`, switched to a rollback journal (one
 * self-contained file, no `-wal` beside it), checked with `PRAGMA integrity_check` and only then
 * renamed to the target, so a failed backup never leaves a file that looks like a good one.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export class BackupError extends Error {
  override name = 'BackupError';
}

export type BackupReport = { target: string; bytes: number; pages: number; seconds: number };

/** `sqlite3_backup_step(n)` with n ≥ the page count copies everything in one step. */
const allPagesInOneStep = 0x7fffffff;

export async function backupDatabase(sourcePath: string, targetPath: string): Promise<BackupReport> {
  const source = path.resolve(sourcePath);
  const target = path.resolve(targetPath);
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source}.`);
  if (target === source) throw new BackupError('The backup cannot replace the database itself.');
  if (fs.existsSync(target)) {
    throw new BackupError(
      `${target} already exists; choose a new file name (backups are never overwritten).`,
    );
  }
  if (!fs.existsSync(path.dirname(target)))
    throw new BackupError(`The folder ${path.dirname(target)} does not exist.`);

  const started = performance.now();
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  let pages = 0;
  try {
    db.pragma('busy_timeout = 5000');
    const result = await db.backup(partial, { progress: () => allPagesInOneStep });
    pages = result.totalPages;
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(`The backup failed: ${(error as Error).message}`);
  } finally {
    db.close();
  }

  const copy = new Database(partial, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      throw new BackupError(`The copy failed its integrity check: ${String(integrity)}`);
  } catch (error) {
    copy.close();
    fs.rmSync(partial, { force: true });
    throw error instanceof BackupError
      ? error
      : new BackupError(`The copy cannot be read: ${(error as Error).message}`);
  }
  copy.close();
  fs.renameSync(partial, target);
  return { target, bytes: fs.statSync(target).size, pages, seconds: (performance.now() - started) / 1000 };
}
