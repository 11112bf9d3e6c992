/**
 * `npm run db:backup -- <file>`: a consistent copy of the database (DATABASE_URL) while the
 * platform runs. See lib/db/backup.ts and docs/operating.md ("Backups").
 */
import path from 'node:path';
import { getConfig } from '@/lib/config';
import { backupDatabase, BackupError } from '@/lib/db/backup';

const [target, ...rest] = process.argv.slice(2);
if (!target || rest.length > 0 || target.startsWith('-')) {
  console.error('Usage: npm run db:backup -- <backup file>   e.g. /backups/academy-$(date +%F).db');
  process.exit(2);
}

const { databasePath } = getConfig();
try {
  const report = await backupDatabase(databasePath, target);
  const megabytes = (report.bytes / 1024 / 1024).toFixed(1);
  console.log(
    `✓ Backed up ${databasePath} to ${path.resolve(target)} (${megabytes} MB) in ${report.seconds.toFixed(1)} s`,
  );
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`✗ ${error.message}`);
  process.exit(1);
}
