/**
 * What labkit remembers of each stage's last run, for `status --json` and the Pipelines tab:
 * running / succeeded / failed / restored from the cache, when, how long, the exit code, and the
 * log file (`.dvc/tmp/labkit/logs/<stage>.log`, the command's output with a header and a footer).
 * Kept in `.dvc/tmp/labkit/stage-runs.json`, rewritten atomically at each change. A run marked
 * `running` whose process is gone is shown as interrupted.
 *
 * `.dvc/tmp/labkit/repro.lock` holds the pid of the `repro` running in the repository, so a second
 * one is refused instead of racing the first over the same outputs, as DVC's repository lock does.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DvcRepo } from '../data/repo';

export type StageRunState = 'running' | 'succeeded' | 'failed' | 'cached' | 'interrupted';

export type StageRun = {
  state: StageRunState;
  startedAt: number;
  endedAt?: number;
  durationMs?: number;
  exitCode?: number;
  /** The log, relative to the repository root. */
  log: string;
  pid: number;
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunStateStore {
  readonly file: string;
  readonly logsDir: string;

  constructor(readonly repo: DvcRepo) {
    this.file = path.join(repo.labkitDir, 'stage-runs.json');
    this.logsDir = path.join(repo.labkitDir, 'logs');
  }

  /** The log file of a stage (its addressing, made safe as a file name). */
  logPath(addressing: string): string {
    return path.join(this.logsDir, `${encodeURIComponent(addressing)}.log`);
  }

  read(): Record<string, StageRun> {
    let runs: Record<string, StageRun>;
    try {
      runs = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, StageRun>;
    } catch {
      return {};
    }
    for (const run of Object.values(runs)) {
      if (run.state === 'running' && run.pid !== process.pid && !isAlive(run.pid)) run.state = 'interrupted';
    }
    return runs;
  }

  record(addressing: string, run: StageRun): void {
    const runs = this.read();
    runs[addressing] = run;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(runs, null, 2)}\n`);
    fs.renameSync(temporary, this.file);
  }
}

export class ReproLockedError extends Error {
  override name = 'ReproLockedError';
}

function reproLockPath(repo: DvcRepo): string {
  return path.join(repo.labkitDir, 'repro.lock');
}

/** The pid of the `repro` (or `exp run`) running in the repository now, if one is. */
export function reproRunning(repo: DvcRepo): number | undefined {
  let holder: number;
  try {
    holder = Number(fs.readFileSync(reproLockPath(repo), 'utf8'));
  } catch {
    return undefined;
  }
  return Number.isInteger(holder) && holder > 0 && isAlive(holder) ? holder : undefined;
}

/** Takes the repository's repro lock; returns the function that releases it. */
export function acquireReproLock(repo: DvcRepo): () => void {
  const file = reproLockPath(repo);
  fs.mkdirSync(repo.labkitDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new ReproLockedError(
          `Unable to acquire lock: another labkit pipeline command (pid ${holder}) is running in this repository.`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new ReproLockedError('Unable to acquire the repro lock.');
}
