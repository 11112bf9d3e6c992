import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { parseRunnerConfig, RunnerConfigError } from './config';

const tempDir = tempDirsForEachTest('academy-runner-config-');

describe('parseRunnerConfig: the shared secret', () => {
  it('takes RUNNER_SECRET as given', () => {
    expect(parseRunnerConfig({ RUNNER_SECRET: 'a-secret-of-enough-length' }, tempDir()).secret).toBe(
      'a-secret-of-enough-length',
    );
  });

  it('reads RUNNER_SECRET_FILE (relative to the project root), trimmed', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'runner_secret'), 'a-secret-from-a-file-0123\n');
    const config = parseRunnerConfig({ RUNNER_SECRET_FILE: 'runner_secret' }, root);
    expect(config.secret).toBe('a-secret-from-a-file-0123');
    // Nothing is generated in the data folder when the secret comes from a file.
    expect(fs.existsSync(path.join(config.dataDir, 'runner-secret'))).toBe(false);
  });

  it('names RUNNER_SECRET_FILE when the file is missing or its secret too short', () => {
    const root = tempDir();
    expect(() => parseRunnerConfig({ RUNNER_SECRET_FILE: 'missing' }, root)).toThrowError(
      /RUNNER_SECRET_FILE: cannot read .*missing/,
    );
    fs.writeFileSync(path.join(root, 'short'), 'short\n');
    expect(() => parseRunnerConfig({ RUNNER_SECRET_FILE: 'short' }, root)).toThrowError(RunnerConfigError);
  });

  it('refuses RUNNER_SECRET and RUNNER_SECRET_FILE together', () => {
    expect(() =>
      parseRunnerConfig({ RUNNER_SECRET: 'a-secret-of-enough-length', RUNNER_SECRET_FILE: 'x' }, tempDir()),
    ).toThrowError(/not both/);
  });

  it('generates one into the data folder when neither is set', () => {
    const root = tempDir();
    const first = parseRunnerConfig({ RUNNER_DATA_DIR: 'data' }, root);
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(path.join(root, 'data', 'runner-secret'), 'utf8').trim()).toBe(first.secret);
    expect(parseRunnerConfig({ RUNNER_DATA_DIR: 'data' }, root).secret).toBe(first.secret);
  });
});

describe('parseRunnerConfig: bad values', () => {
  it('names every variable that is wrong, at once', () => {
    expect(() =>
      parseRunnerConfig({
        RUNNER_PORT: 'eighty',
        POOL_SIZE: '-1',
        RUNNER_SECRET: 'a-secret-of-enough-length',
      }),
    ).toThrowError(/^Invalid environment: RUNNER_PORT: .+; POOL_SIZE: .+$/);
  });
});
