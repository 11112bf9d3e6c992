import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  needsRehash,
  passwordMaxLength,
  passwordProblem,
  scryptParameters,
  verifyAgainstDummy,
  verifyPassword,
} from './password';

describe('hashPassword and verifyPassword', () => {
  it('stores a self-describing scrypt hash with a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    const { N, r, p } = scryptParameters;
    expect(first).toMatch(
      new RegExp(`^scrypt\\$${N}\\$${r}\\$${p}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`),
    );
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct horse');
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('treats the same text in either Unicode form as the same password', async () => {
    const composed = 'caf\u00e9 au lait!';
    const decomposed = 'cafe\u0301 au lait!';
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('verifies a hash made with other parameters, and says it needs a rehash', async () => {
    const stored = await hashPassword('correct horse battery');
    const parts = stored.split('$');
    // The same password under N = 2^14, made by hand the way an older version would have.
    const crypto = await import('node:crypto');
    const salt = Buffer.from(parts[4] ?? '', 'base64url');
    const older = crypto.scryptSync('correct horse battery', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const olderStored = ['scrypt', 2 ** 14, 8, 1, parts[4], older.toString('base64url')].join('$');
    expect(await verifyPassword('correct horse battery', olderStored)).toBe(true);
    expect(needsRehash(olderStored)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  it('answers false, never throws, for an empty, foreign or hostile hash', async () => {
    for (const stored of [
      '',
      'plain-text',
      '$2b$10$abcdefghijklmnopqrstuv',
      'scrypt$1048577$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'scrypt$33554432$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'scrypt$32768$8$1$$',
    ]) {
      expect(await verifyPassword('anything at all', stored), stored).toBe(false);
      expect(needsRehash(stored)).toBe(true);
    }
  });

  it('spends a real verification on an unknown account and answers false', async () => {
    expect(await verifyAgainstDummy('a password nobody has, for timing only')).toBe(false);
  });
});

describe('passwordProblem', () => {
  it('accepts ten characters or more, up to the maximum', () => {
    expect(passwordProblem('abcdefghij')).toBeNull();
    expect(passwordProblem('x'.repeat(passwordMaxLength - 1) + 'y')).toBeNull();
  });

  it('refuses a short password, counting characters rather than bytes', () => {
    expect(passwordProblem('abcdefghi')).toBe('Use at least 10 characters for your password.');
    expect(passwordProblem('😀😀😀😀😀')).toMatch(/at least 10 characters/);
  });

  it('refuses a password longer than the maximum', () => {
    expect(passwordProblem('ab'.repeat(101))).toBe('Use at most 200 characters for your password.');
  });

  it('refuses one character repeated', () => {
    expect(passwordProblem('aaaaaaaaaaaa')).toBe('Your password cannot be one character repeated.');
  });
});
