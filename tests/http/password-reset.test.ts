/**
 * "Forgot password?" by mail, against the production server and a real SMTP server started here
 * (smtp-server) on the port the server mails to (tests/http/global-setup.ts): the link arrives, works
 * once, for 30 minutes, sets a password under the sign-up rules and ends every session; the answer
 * never says whether an account has the email; requests are limited per email and per address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { getDb } from '@/lib/db/client';
import { HttpClient, baseUrl, login, signUp, uniqueEmail } from './support';

type ErrorBody = { error: string; message: string };
type ReceivedMail = { from: string; to: string[]; user: unknown; text: string };

const smtp = inject('httpSmtp');
const received: ReceivedMail[] = [];
let server: SMTPServer;

/** The text of a message as sent: after its headers, undoing quoted-printable or base64. */
function bodyText(raw: string): string {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = raw.slice(0, split);
  const body = raw.slice(split).trim();
  if (/^content-transfer-encoding:\s*quoted-printable/im.test(headers)) {
    return body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  if (/^content-transfer-encoding:\s*base64/im.test(headers))
    return Buffer.from(body, 'base64').toString('utf8');
  return body;
}

beforeAll(async () => {
  server = new SMTPServer({
    // Plain SMTP on loopback; the server still demands the user and password the app was given.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === smtp.user && auth.password === smtp.password)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        received.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          user: session.user,
          text: bodyText(Buffer.concat(chunks).toString('utf8')),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(smtp.port, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The next mail to `email` (waits for the app, which mails after answering). */
async function mailTo(email: string, timeoutMs = 15_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const index = received.findIndex((mail) => mail.to.includes(email));
    if (index !== -1) return received.splice(index, 1)[0]!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${email} within ${timeoutMs / 1000} s`);
}

/** The reset link's token in a mail, after checking the link points at PUBLIC_URL. */
function tokenIn(mail: ReceivedMail): string {
  const link = /(\S+)\/reset-password\?token=([A-Za-z0-9_-]{43})\b/.exec(mail.text);
  expect(link?.[1], mail.text).toBe(baseUrl);
  return link![2]!;
}

async function askForLink(email: string, client = new HttpClient()) {
  return client.post('/api/auth/password-reset', { email });
}

describe('a reset link by mail', () => {
  it('arrives, sets a new password once, ends every session, and the new password logs in', async () => {
    const account = await signUp('learner');
    const otherBrowser = await login(account.email, account.password);

    const asked = await askForLink(` ${account.email.toUpperCase()} `);
    expect(asked.status).toBe(202);
    const mail = await mailTo(account.email);
    expect(mail.from).toBe('academy@example.test');
    expect(mail.user).toBe(smtp.user);
    expect(mail.text).toContain('30 minutes');
    const token = tokenIn(mail);

    const visitor = new HttpClient();
    const page = await visitor.get(`/reset-password?token=${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('New password');
    expect(html).toContain('<meta name="referrer" content="no-referrer"');

    // A password the sign-up would refuse is refused without spending the link.
    const weak = await visitor.post('/api/auth/password-reset/confirm', { token, password: 'short' });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as ErrorBody).message).toBe('Use at least 10 characters for your password.');

    const newPassword = 'a brand new password';
    const reset = await visitor.post('/api/auth/password-reset/confirm', { token, password: newPassword });
    expect(reset.status).toBe(204);
    expect(await account.client.me()).toBeNull();
    expect(await otherBrowser.client.me()).toBeNull();
    const old = await new HttpClient().post('/api/auth/login', {
      email: account.email,
      password: account.password,
    });
    expect(old.status).toBe(401);
    expect(await (await login(account.email, newPassword)).client.me()).toMatchObject({
      id: account.user.id,
    });

    // Once only.
    const again = await visitor.post('/api/auth/password-reset/confirm', {
      token,
      password: 'yet another password',
    });
    expect(again.status).toBe(400);
    expect(((await again.json()) as ErrorBody).error).toBe('RESET_LINK_INVALID');
    expect(await (await visitor.get(`/reset-password?token=${token}`)).text()).toContain(
      'reset-link-invalid',
    );

    const audit = await getDb().auditEvent.findMany({ where: { targetId: account.user.id } });
    expect(audit).toMatchObject([{ action: 'password-reset:email-link', actorId: account.user.id }]);
    expect(
      JSON.stringify(await getDb().passwordResetToken.findMany({ where: { userId: account.user.id } })),
    ).not.toContain(token);
  });

  it('is refused once it has expired, and a newer link replaces an older one', async () => {
    const account = await signUp('learner');
    await askForLink(account.email);
    const first = tokenIn(await mailTo(account.email));
    await askForLink(account.email);
    const second = tokenIn(await mailTo(account.email));
    const replaced = await new HttpClient().post('/api/auth/password-reset/confirm', {
      token: first,
      password: 'a brand new password',
    });
    expect(replaced.status).toBe(400);

    await getDb().passwordResetToken.updateMany({
      where: { userId: account.user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await new HttpClient().post('/api/auth/password-reset/confirm', {
      token: second,
      password: 'a brand new password',
    });
    expect(expired.status).toBe(400);
    expect(((await expired.json()) as ErrorBody).error).toBe('RESET_LINK_INVALID');
    expect(await (await login(account.email, account.password)).client.me()).toMatchObject({
      id: account.user.id,
    });
  });

  it('gets the same answer for an email no account has, and no mail is sent', async () => {
    const account = await signUp('learner');
    const nobody = uniqueEmail('nobody');
    const known = await askForLink(account.email);
    const unknown = await askForLink(nobody);
    expect(unknown.status).toBe(known.status);
    const words = async (response: Response, email: string) =>
      ((await response.json()) as { message: string }).message.replace(email, '<email>');
    expect(await words(unknown, nobody)).toBe(await words(known, account.email));
    await mailTo(account.email);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received.filter((mail) => mail.to.includes(nobody))).toEqual([]);
  });

  it('is limited per email and per address, answering 429 with Retry-After', async () => {
    const email = uniqueEmail('limited');
    for (let i = 0; i < 3; i++) expect((await askForLink(email)).status).toBe(202);
    const perEmail = await askForLink(email);
    expect(perEmail.status).toBe(429);
    expect(Number(perEmail.headers.get('retry-after'))).toBeGreaterThan(0);

    const sameAddress = new HttpClient();
    for (let i = 0; i < 10; i++)
      expect((await askForLink(uniqueEmail('spray'), sameAddress)).status).toBe(202);
    const perAddress = await askForLink(uniqueEmail('spray'), sameAddress);
    expect(perAddress.status).toBe(429);
    expect(((await perAddress.json()) as ErrorBody).error).toBe('TOO_MANY_RESETS');
  });

  it('refuses a request from another site or without the CSRF token', async () => {
    const account = await signUp('learner');
    const crossSite = await new HttpClient().request('/api/auth/password-reset', {
      json: { email: account.email },
      origin: 'https://evil.example',
    });
    expect(crossSite.status).toBe(403);
    const noToken = await new HttpClient().request('/api/auth/password-reset', {
      json: { email: account.email },
      csrf: false,
    });
    expect(noToken.status).toBe(403);
    const reset = await new HttpClient().request('/api/auth/password-reset/confirm', {
      json: { token: 'x'.repeat(43), password: 'a brand new password' },
      csrf: false,
    });
    expect(reset.status).toBe(403);
  });

  it('shows the "Forgot password?" form, linked from the log-in page', async () => {
    expect(await (await new HttpClient().get('/login')).text()).toContain('href="/forgot-password"');
    const html = await (await new HttpClient().get('/forgot-password')).text();
    expect(html).toContain('Send me a link');
    expect(html).not.toContain('data-testid="no-mail"');
  });
});
