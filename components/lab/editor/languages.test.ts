import { describe, expect, it } from 'vitest';
import { languageForPath, languageLabel } from './languages';

describe('languageForPath', () => {
  it.each([
    ['train.py', 'python'],
    ['src/pipeline/Features.PY', 'python'],
    ['params.yaml', 'yaml'],
    ['.github/workflows/ci.yml', 'yaml'],
    ['metrics.json', 'json'],
    ['README.md', 'markdown'],
    ['scripts/run.sh', 'shell'],
    ['setup.bash', 'shell'],
    ['.bashrc', 'shell'],
    ['Dockerfile', 'dockerfile'],
    ['docker/Dockerfile.serve', 'dockerfile'],
    ['setup.cfg', 'ini'],
    ['pyproject.toml', 'ini'],
    ['queries/report.sql', 'sql'],
  ])('opens %s as %s', (path, language) => {
    expect(languageForPath(path)).toBe(language);
  });

  it.each(['data/iris.csv', 'notes.txt', 'Makefile', '.gitignore', 'archive.tar.gz', 'weird.'])(
    'opens %s as plain text',
    (path) => {
      expect(languageForPath(path)).toBe('plaintext');
    },
  );
});

describe('languageLabel', () => {
  it('names languages for people', () => {
    expect(languageLabel('python')).toBe('Python');
    expect(languageLabel('plaintext')).toBe('Plain text');
  });
});
