/**
 * Makes an admin account, or promotes an existing account to admin.
 *
 *   npm run admin:create -- --email ada@example.com --name "Ada Lovelace"   (asks for the password)
 *   printf '%s' "$PASSWORD" | npm run admin:create -- --email … --name … --password-stdin
 *   npm run admin:create -- --email grace@example.com                      (promotes an account)
 *   … --from-env   ADMIN_EMAIL / ADMIN_PASSWORD, only when no admin exists yet (`npm start` does this)
 *
 * Runs with Node's `react-server` condition (see package.json), under which the `server-only`
 * marker of the modules it shares with the web app is empty. The password is never printed.
 */
import { parseArgs } from 'node:util';
import { AccountError, ensureAdmin, findUserByEmail, hasAdmin, normaliseEmail } from '@/lib/auth/accounts';
import { passwordProblem } from '@/lib/auth/password-rules';
import { getConfig } from '@/lib/config';
import { getDb } from '@/lib/db/client';

class UsageError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (text: string) => {
      for (const character of text) {
        if (character === '\r' || character === '\n') return finish();
        if (character === '\u0003') return finish(new UsageError('Cancelled.'));
        if (character === '\u007f' || character === '\b') value = [...value].slice(0, -1).join('');
        else if (character >= ' ') value += character;
      }
    };
    stdin.on('data', onData);
  });
}

async function askNewPassword(): Promise<string> {
  for (;;) {
    const password = await promptHidden('Password for the admin: ');
    const problem = passwordProblem(password);
    if (problem) {
      console.error(problem);
      continue;
    }
    if ((await promptHidden('Same password again: ')) === password) return password;
    console.error('The two passwords differ; try again.');
  }
}

async function fromEnvironment(): Promise<void> {
  const firstAdmin = getConfig().firstAdmin;
  if (!firstAdmin) return;
  if (await hasAdmin()) {
    console.log('▸ An admin exists already; ADMIN_EMAIL and ADMIN_PASSWORD are not used.');
    return;
  }
  const problem = passwordProblem(firstAdmin.password);
  if (problem) throw new UsageError(`ADMIN_PASSWORD is not accepted: ${problem}`);
  const name = normaliseEmail(firstAdmin.email).split('@')[0] || 'Admin';
  const { user, created } = await ensureAdmin({
    email: firstAdmin.email,
    name,
    password: firstAdmin.password,
  });
  console.log(`▸ ${created ? 'Made the admin account' : 'Made this account an admin'}: ${user.email}.`);
}

async function fromArguments(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.email) throw new UsageError('Give the account with --email.');
  const existing = await findUserByEmail(values.email);
  const isNew = !existing || existing.guest;
  if (isNew && !values.name?.trim()) throw new UsageError('A new account needs --name "Full Name".');
  let password: string | undefined;
  if (values['password-stdin']) password = await readStdin();
  else if (isNew) {
    if (!process.stdin.isTTY) {
      throw new UsageError('No terminal to ask for the password: pipe it in with --password-stdin.');
    }
    password = await askNewPassword();
  }
  const { user, created } = await ensureAdmin({ email: values.email, name: values.name ?? '', password });
  console.log(
    `✓ ${created ? 'Made the admin account' : 'Made this account an admin'}: ${user.email} (${user.name}).`,
  );
}

try {
  await (process.argv.includes('--from-env') ? fromEnvironment() : fromArguments());
} catch (error) {
  const isUsage =
    error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
  console.error(`✗ ${isUsage || error instanceof AccountError ? (error as Error).message : String(error)}`);
  process.exitCode = isUsage ? 2 : 1;
} finally {
  await getDb().$disconnect();
}
