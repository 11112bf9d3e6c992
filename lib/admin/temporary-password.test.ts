import { describe, expect, it } from 'vitest';
import { passwordProblem } from '@/lib/auth/password';
import { generateTemporaryPassword, temporaryPasswordPattern } from './temporary-password';

describe('generateTemporaryPassword', () => {
  it('makes groups of unambiguous characters that pass the password rules', () => {
    for (let i = 0; i < 200; i++) {
      const password = generateTemporaryPassword();
      expect(password).toMatch(temporaryPasswordPattern);
      expect(password).not.toMatch(/[01ilIoO]/);
      expect(passwordProblem(password)).toBeNull();
    }
  });

  it('never repeats itself', () => {
    const seen = new Set(Array.from({ length: 1000 }, generateTemporaryPassword));
    expect(seen.size).toBe(1000);
  });
});
