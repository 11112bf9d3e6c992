/**
 * Temporary passwords an admin hands to a learner who lost theirs (there is no mail server). Read
 * aloud or copied, so the alphabet leaves out look-alikes (0/O, 1/l/I); 4 groups of 5 characters
 * from 31 symbols carry about 99 bits, far past guessing through the log-in form.
 */
import crypto from 'node:crypto';

const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
const groups = 4;
const groupLength = 5;

export function generateTemporaryPassword(): string {
  return Array.from({ length: groups }, () =>
    Array.from({ length: groupLength }, () => alphabet[crypto.randomInt(alphabet.length)]).join(''),
  ).join('-');
}

/** What a temporary password looks like (for tests and for telling it apart in messages). */
export const temporaryPasswordPattern = new RegExp(
  `^[${alphabet}]{${groupLength}}(-[${alphabet}]{${groupLength}}){${groups - 1}}$`,
);
