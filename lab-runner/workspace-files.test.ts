import { describe, expect, it } from 'vitest';
import { parseWorkspacePath } from './workspace-files';

describe('parseWorkspacePath', () => {
  it.each([
    ['', ''],
    ['.', ''],
    ['train.py', 'train.py'],
    ['src//model/./train.py', 'src/model/train.py'],
    ['..foo', '..foo'],
    ['notes/..hidden', 'notes/..hidden'],
    ['-rf', '-rf'],
  ])('accepts %j as %j', (input, expected) => {
    expect(parseWorkspacePath(input)).toBe(expected);
  });

  it.each([
    ['../x', /"\.\." is not allowed/],
    ['a/../../x', /"\.\." is not allowed/],
    ['/etc/passwd', /without a leading \//],
    ['..\\x', /use \/ to separate folders/],
    ['a\u0000b', /control characters/],
    ['x'.repeat(256), /longer than 255 bytes/],
    [`${'a/'.repeat(2100)}x`, /too long|too big|at most/i],
    ['caf\ufffd.txt', /not valid UTF-8/],
  ])('rejects %j', (input, message) => {
    expect(() => parseWorkspacePath(input)).toThrowError(message);
  });

  it('leaves percent-encoding alone (decoding is the HTTP layer’s job, done once)', () => {
    expect(parseWorkspacePath('%2e%2e/x')).toBe('%2e%2e/x');
  });
});
