/**
 * DVC's run-cache: every successful run of a stage is remembered under
 * `.dvc/cache/runs/<key[:2]>/<key>/<value>`, so running the same command on the same inputs again
 * (after going back to an earlier params.yaml, say) checks the outputs out of the cache instead.
 *
 * As DVC's `dvc/stage/cache.py` computes them: the key is the sha256 of the stage's lock entry
 * with its outputs reduced to their paths, the value the sha256 of the whole entry, both over
 * Python's `json.dumps(entry, sort_keys=True)` with every `size` and `nfiles` key left out. The file
 * holds the lock entry as YAML. A stage qualifies when it has a command, dependencies and outputs,
 * no `persist` or remote output, and is neither `always_changed` nor a callback.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isPyMapping, pythonJsonDumps, type PyValue } from '../data/python-json';
import { dumpYaml, parseYaml } from '../data/yaml-file';
import { lockStageSchema, type LockStage } from './lockfile';
import { isCallback, type Stage } from './stage';

const excluded = new Set(['size', 'nfiles']);

/** DVC's `dict_filter`: the keys left out wherever they are. */
function withoutSizes(value: PyValue): PyValue {
  if (Array.isArray(value)) return value.map(withoutSizes);
  if (isPyMapping(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !excluded.has(key))
        .map(([key, item]) => [key, withoutSizes(item)]),
    );
  }
  return value;
}

function sha256(value: PyValue): string {
  return createHash('sha256')
    .update(pythonJsonDumps(withoutSizes(value)), 'utf8')
    .digest('hex');
}

/** The run-cache key of a lock entry (its outputs as paths only). */
export function runCacheKey(entry: LockStage): string {
  const keyed = { ...entry, outs: (entry.outs ?? []).map((out) => out.path) } as unknown as PyValue;
  return sha256(keyed);
}

/** The run-cache value (file name) of a lock entry. */
export function runCacheValue(entry: LockStage): string {
  return sha256(entry as unknown as PyValue);
}

export function canUseRunCache(stage: Stage): boolean {
  if (stage.alwaysChanged || isCallback(stage)) return false;
  if (stage.deps.length + stage.params.length === 0 || stage.outs.length === 0) return false;
  if (stage.deps.some((dep) => dep.external)) return false;
  return stage.outs.every((out) => !out.external && !out.persist);
}

export class RunCache {
  readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = path.join(cacheDir, 'runs');
  }

  private entryDir(key: string): string {
    return path.join(this.dir, key.slice(0, 2), key);
  }

  /** Remembers a run; nothing if the same entry is there already. */
  save(entry: LockStage): void {
    const key = runCacheKey(entry);
    const value = runCacheValue(entry);
    const dir = this.entryDir(key);
    const file = path.join(dir, value);
    if (fs.existsSync(file)) return;
    fs.mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, dumpYaml(entry as unknown as Record<string, unknown>));
    fs.renameSync(temporary, file);
  }

  /** The remembered runs for a key, most recent first; damaged files are skipped. */
  load(key: string): LockStage[] {
    const dir = this.entryDir(key);
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((name) => /^[0-9a-f]{64}$/.test(name));
    } catch {
      return [];
    }
    const withTimes = names.map((name) => ({ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs }));
    withTimes.sort((a, b) => b.mtime - a.mtime);
    const entries: LockStage[] = [];
    for (const { name } of withTimes) {
      try {
        const file = path.join(dir, name);
        const parsed = lockStageSchema.safeParse(parseYaml(fs.readFileSync(file, 'utf8'), file));
        if (parsed.success) entries.push(parsed.data);
      } catch {
        // A damaged entry is skipped, as DVC skips (and removes) it.
      }
    }
    return entries;
  }
}
