import { describe, expect, it } from 'vitest';
import { isJoinCode, joinCodeAlphabet, joinCodeLength, newJoinCode, normalizeJoinCode } from './join-code';

describe('join codes', () => {
  it('are six characters of the unambiguous alphabet', () => {
    for (let i = 0; i < 200; i += 1) {
      const code = newJoinCode();
      expect(code).toHaveLength(joinCodeLength);
      expect(isJoinCode(code)).toBe(true);
    }
  });

  it('never use characters that look alike', () => {
    for (const char of '01OIL') expect(joinCodeAlphabet).not.toContain(char);
  });

  it('use every letter of the alphabet (the random index is not biased to a part of it)', () => {
    let next = 0;
    const code = newJoinCode(() => next++ % joinCodeAlphabet.length);
    expect(code).toBe(joinCodeAlphabet.slice(0, joinCodeLength));
    const last = newJoinCode((n) => n - 1);
    expect(last).toBe(joinCodeAlphabet.at(-1)!.repeat(joinCodeLength));
  });

  it('match what a learner types: any case, surrounding spaces, a dash in the middle', () => {
    expect(normalizeJoinCode('  abc-def ')).toBe('ABCDEF');
    expect(normalizeJoinCode('AB CD EF')).toBe('ABCDEF');
    expect(isJoinCode(normalizeJoinCode(' k7m-q2p\n'))).toBe(true);
  });

  it('refuses codes that cannot be ours', () => {
    expect(isJoinCode('ABCDE')).toBe(false);
    expect(isJoinCode('ABCDEFG')).toBe(false);
    expect(isJoinCode('ABCDE0')).toBe(false);
    expect(isJoinCode('abcdef')).toBe(false);
    expect(isJoinCode("' OR 1")).toBe(false);
  });
});
