/**
 * Workshop join codes: six characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a
 * code read off a projector is typed right the first time. Matching ignores case, spaces and dashes.
 */
import crypto from 'node:crypto';

export const joinCodeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const joinCodeLength = 6;

/** A random code; `randomIndex(n)` picks in [0, n) (crypto's uniform generator by default). */
export function newJoinCode(randomIndex: (n: number) => number = (n) => crypto.randomInt(n)): string {
  let code = '';
  for (let i = 0; i < joinCodeLength; i += 1)
    code += joinCodeAlphabet.charAt(randomIndex(joinCodeAlphabet.length));
  return code;
}

/** What a learner typed, as a stored code would be: upper case, without spaces or dashes. */
export function normalizeJoinCode(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase();
}

/** A code this platform could have made (after normalizing). */
export function isJoinCode(code: string): boolean {
  return code.length === joinCodeLength && [...code].every((char) => joinCodeAlphabet.includes(char));
}
