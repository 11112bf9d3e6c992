import { describe, expect, it } from 'vitest';
import { applyEdits, minimalReplacement, textEdits } from './text-edit';

describe('minimalReplacement', () => {
  it('is null for equal texts', () => {
    expect(minimalReplacement('same', 'same')).toBeNull();
  });

  it('replaces only the part that changed', () => {
    expect(minimalReplacement('lr = 0.1\n', 'lr = 0.01\n')).toEqual({ start: 7, end: 7, text: '0' });
    expect(minimalReplacement('abcdef', 'abXYef')).toEqual({ start: 2, end: 4, text: 'XY' });
  });

  it('handles appends, deletions and emptying', () => {
    expect(minimalReplacement('a\n', 'a\nb\n')).toEqual({ start: 2, end: 2, text: 'b\n' });
    expect(minimalReplacement('a\nb\n', 'a\n')).toEqual({ start: 2, end: 4, text: '' });
    expect(minimalReplacement('abc', '')).toEqual({ start: 0, end: 3, text: '' });
    expect(minimalReplacement('', 'abc')).toEqual({ start: 0, end: 0, text: 'abc' });
  });

  it('does not let the common start and end overlap on repeated text', () => {
    expect(minimalReplacement('aaa', 'aaaa')).toEqual({ start: 3, end: 3, text: 'a' });
  });

  it('never splits a surrogate pair', () => {
    expect(minimalReplacement('x😀y', 'x😃y')).toEqual({ start: 1, end: 3, text: '😃' });
  });
});

describe('textEdits', () => {
  it('is empty for equal texts', () => {
    expect(textEdits('a\nb\n', 'a\nb\n')).toEqual([]);
  });

  it('keeps changes far apart as separate small edits', () => {
    const before = 'seed = 42\nx = 1\ny = 2\nz = 3\n# edited\n';
    const after = 'seed = 7\nx = 1\ny = 2\nz = 3\n# from terminal\n';

    expect(textEdits(before, after)).toEqual([
      { start: 7, end: 9, text: '7' },
      { start: 30, end: 36, text: 'from terminal' },
    ]);
  });

  it('finds inserted and deleted lines in the middle of a file', () => {
    const before = ['import os', 'def a():', '    pass', 'def b():', '    pass', ''].join('\n');
    const after = ['import os', 'import sys', 'def a():', '    pass', 'def c():', '    return 1', ''].join(
      '\n',
    );
    const edits = textEdits(before, after);

    expect(applyEdits(before, edits)).toBe(after);
    expect(edits[0]).toEqual({ start: 10, end: 10, text: 'import sys\n' });
  });

  it.each([
    ['', 'abc'],
    ['abc', ''],
    ['no newline', 'no newline\n'],
    ['a\r\nb\r\n', 'a\nb\n'],
    ['🙂\n🙂\n🙂', '🙂\n🙃\n🙂'],
    ['x\nx\nx\n', 'x\ny\nx\nx\ny\n'],
    ['a\nb\nc\nd\ne\n', 'e\nd\nc\nb\na\n'],
  ])('turns %j into %j', (before, after) => {
    expect(applyEdits(before, textEdits(before, after))).toBe(after);
  });

  it('turns random texts into each other', () => {
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const randomText = () =>
      Array.from(
        { length: Math.floor(random() * 30) },
        () => ['a', 'b', 'c', 'dd', ''][Math.floor(random() * 5)],
      )
        .map((line) => `${line}\n`)
        .join('');
    for (let round = 0; round < 300; round++) {
      const before = randomText();
      const after = randomText();
      const edits = textEdits(before, after);
      expect(applyEdits(before, edits)).toBe(after);
      for (let i = 1; i < edits.length; i++)
        expect(edits[i]!.start).toBeGreaterThanOrEqual(edits[i - 1]!.end);
    }
  });

  it('still works when too much changed to diff line by line', () => {
    const before = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join('');
    const after = Array.from({ length: 5000 }, (_, i) => `other ${i}\n`).join('');

    expect(applyEdits(before, textEdits(before, after))).toBe(after);
  });
});
