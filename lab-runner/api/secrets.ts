/**
 * The secret the web app and the runner share (server-to-server bearer secret and the key that
 * signs browser tokens), read the same way on both sides: RUNNER_SECRET_FILE, or a file generated
 * once in the runner's data folder when neither RUNNER_SECRET nor RUNNER_SECRET_FILE is set.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The secret file is missing, unreadable or too short; the message names RUNNER_SECRET_FILE. */
export class SecretFileError extends Error {
  override name = 'SecretFileError';
}

/**
 * Without RUNNER_SECRET, a random secret is created once in the data folder, so `npm start` works
 * out of the box and the web app (same host) reads the same file.
 */
export function secretFromFile(dataDir: string): string {
  const file = path.join(dataDir, 'runner-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // The web app and the runner start together: the other one may have just written it.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fs.readFileSync(file, 'utf8').trim();
  }
  return secret;
}

/**
 * The secret in the file RUNNER_SECRET_FILE names: a Docker or Compose secret, a systemd
 * credential, anything kept out of the environment. Surrounding whitespace is ignored.
 */
export function secretFromNamedFile(file: string): string {
  let secret: string;
  try {
    secret = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new SecretFileError(
      `Invalid environment: RUNNER_SECRET_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  if (secret.length < 16) {
    throw new SecretFileError(
      `Invalid environment: RUNNER_SECRET_FILE: the secret in ${file} must be at least 16 characters`,
    );
  }
  return secret;
}
