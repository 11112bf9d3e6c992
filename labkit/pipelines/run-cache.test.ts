import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PyFloat } from '../data/python-json';
import { buildLockStage, lockEntry } from './lockfile';
import { runCacheKey, runCacheValue } from './run-cache';

/** DVC's run-cache hashes (dvc/stage/cache.py and dvc/utils dict_sha256), computed by Python. */
function pythonHashes(entry: string): { key: string; value: string } {
  const script = `
import hashlib, json, sys
def dict_filter(d, exclude=()):
    if isinstance(d, list): return [dict_filter(e, exclude) for e in d]
    if isinstance(d, dict): return {k: dict_filter(v, exclude) for k, v in d.items() if k not in exclude}
    return d
def sha(d): return hashlib.sha256(json.dumps(dict_filter(d, ["size", "nfiles"]), sort_keys=True).encode("utf-8")).hexdigest()
entry = ${entry}
value = sha(entry)
entry["outs"] = [out["path"] for out in entry.get("outs", [])]
print(sha(entry), value)
`;
  const [key = '', value = ''] = execFileSync('python3', ['-c', script], { encoding: 'utf8' })
    .trim()
    .split(' ');
  return { key, value };
}

describe('run-cache keys', () => {
  it('are the sha256 DVC computes: sizes left out, outputs by path, floats as floats', () => {
    const entry = buildLockStage(
      'python train.py',
      [lockEntry('data/features', { md5: 'f35d4cc2c552ac959ae602162b8543f3.dir', size: 2232588, nfiles: 2 })],
      { 'params.yaml': { 'train.seed': 20170428, 'train.min_split': new PyFloat(1), 'train.lr': 0.01 } },
      [lockEntry('model.pkl', { md5: 'd1f6e055f7f5e2827fcfae68d9b64d4c', size: 1958115 })],
    );
    const expected = pythonHashes(`{
  "cmd": "python train.py",
  "deps": [{"path": "data/features", "hash": "md5", "md5": "f35d4cc2c552ac959ae602162b8543f3.dir", "size": 2232588, "nfiles": 2}],
  "params": {"params.yaml": {"train.lr": 0.01, "train.min_split": 1.0, "train.seed": 20170428}},
  "outs": [{"path": "model.pkl", "hash": "md5", "md5": "d1f6e055f7f5e2827fcfae68d9b64d4c", "size": 1958115}],
}`);
    expect(runCacheKey(entry)).toBe(expected.key);
    expect(runCacheValue(entry)).toBe(expected.value);
  });
});
