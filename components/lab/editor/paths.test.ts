import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  baseName,
  joinPath,
  movedPath,
  nameProblem,
  parentOf,
  renameTarget,
  tabLabels,
} from './paths';

describe('path helpers', () => {
  it('splits a path into its folder and name', () => {
    expect(baseName('src/model/train.py')).toBe('train.py');
    expect(parentOf('src/model/train.py')).toBe('src/model');
    expect(baseName('train.py')).toBe('train.py');
    expect(parentOf('train.py')).toBe('');
  });

  it('joins a name to a folder, the workspace being ""', () => {
    expect(joinPath('', 'a.py')).toBe('a.py');
    expect(joinPath('src', 'a.py')).toBe('src/a.py');
  });

  it('lists the folders above a path, outermost first', () => {
    expect(ancestorsOf('a/b/c.py')).toEqual(['a', 'a/b']);
    expect(ancestorsOf('c.py')).toEqual([]);
  });

  it('renames within the same folder', () => {
    expect(renameTarget('src/old.py', 'new.py')).toBe('src/new.py');
    expect(renameTarget('old.py', 'new.py')).toBe('new.py');
  });

  it('moves a path with the folder that contains it, and nothing else', () => {
    expect(movedPath('src/a.py', 'src', 'lib')).toBe('lib/a.py');
    expect(movedPath('src', 'src', 'lib')).toBe('lib');
    expect(movedPath('src2/a.py', 'src', 'lib')).toBeNull();
    expect(movedPath('other.py', 'src', 'lib')).toBeNull();
  });
});

describe('nameProblem', () => {
  it.each(['train.py', '.env', 'my data', 'données.csv', 'a..b'])('accepts %s', (name) => {
    expect(nameProblem(name)).toBeNull();
  });

  it.each([
    ['', 'Give it a name.'],
    ['   ', 'Give it a name.'],
    [' a.py', 'A name cannot start or end with a space.'],
    ['src/a.py', 'A name cannot contain / or \\; create folders one at a time.'],
    ['a\\b', 'A name cannot contain / or \\; create folders one at a time.'],
    ['..', '".." is not a valid name.'],
    ['.', '"." is not a valid name.'],
    ['a\nb', 'A name cannot contain control characters.'],
    ['é'.repeat(128), 'A name can be at most 255 bytes long.'],
  ])('refuses %j', (name, problem) => {
    expect(nameProblem(name)).toBe(problem);
  });
});

describe('tabLabels', () => {
  it('labels tabs by name, adding the folder only where names repeat', () => {
    expect(
      Object.fromEntries(tabLabels(['src/train.py', 'tests/train.py', 'train.py', 'params.yaml'])),
    ).toEqual({
      'src/train.py': { name: 'train.py', folder: 'src' },
      'tests/train.py': { name: 'train.py', folder: 'tests' },
      'train.py': { name: 'train.py', folder: '/' },
      'params.yaml': { name: 'params.yaml', folder: null },
    });
  });
});
