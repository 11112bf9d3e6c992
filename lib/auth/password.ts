/**
 * Password hashing with scrypt (node:crypto); the rules a new password must follow are in
 * password-rules.ts (re-exported here).
 *
 * A stored hash describes itself: `scrypt$N$r$p$salt$hash` (salt and hash in base64url), so the
 * cost can be raised later; `needsRehash` tells the log-in route to store a fresh hash when the
 * parameters changed. Hashing runs on libuv's thread pool, not the event loop.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

export { passwordMaxLength, passwordMinLength, passwordProblem } from './password-rules';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keyLength: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** N = 2^15, r = 8, p = 1: OWASP's minimum for scrypt; about 32 MiB and 50–100 ms per hash. */
export const scryptParameters = { N: 2 ** 15, r: 8, p: 1 } as const;
const saltBytes = 16;
const keyBytes = 32;

type Parameters = { N: number; r: number; p: number };

function derive(password: string, salt: Buffer, { N, r, p }: Parameters, keyLength: number) {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is exactly that for our N, so raise it.
  return scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(saltBytes);
  const hash = await derive(password, salt, scryptParameters, keyBytes);
  const { N, r, p } = scryptParameters;
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

type ParsedHash = Parameters & { salt: Buffer; hash: Buffer };

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const isPowerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  // Bounds keep a corrupted row from asking for gigabytes of memory.
  if (!isPowerOfTwo || N > 2 ** 20 || !Number.isInteger(r) || r < 1 || r > 32) return null;
  if (!Number.isInteger(p) || p < 1 || p > 16) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const hash = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || hash.length < 16) return null;
  return { N, r, p, salt, hash };
}

/** Whether `password` matches `stored`. False (never a throw) for an empty or malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed, parsed.hash.length);
  return crypto.timingSafeEqual(candidate, parsed.hash);
}

/** True when `stored` was made with other parameters than today's (or is not ours at all). */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  const { N, r, p } = scryptParameters;
  return parsed.N !== N || parsed.r !== r || parsed.p !== p || parsed.hash.length !== keyBytes;
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time a real check would, for an email nobody has: the answer to a log-in attempt
 * then takes about as long whether the account exists or not.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('a password nobody has, for timing only');
  await verifyPassword(password, await dummyHash);
  return false;
}
