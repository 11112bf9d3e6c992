import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PublicUser } from '@/lib/auth/public-user';
import { hashSessionToken, newSessionToken } from '@/lib/auth/tokens';
import { getDb } from '@/lib/db/client';
import { HttpClient, baseUrl, defaultPassword, login, signUp, uniqueEmail } from './support';

type ErrorBody = { error: string; message: string };

async function errorOf(response: Response): Promise<ErrorBody> {
  return (await response.json()) as ErrorBody;
}

/** A lab and a chapter that exist, found the way a visitor would: through the catalog pages. */
let labId: string;
let chapterPath: string;

beforeAll(async () => {
  const labs = await (await fetch(`${baseUrl}/labs`)).text();
  labId = /href="\/labs\/([a-z0-9-]+)"/.exec(labs)?.[1] ?? '';
  const course = await (await fetch(`${baseUrl}/learn`)).text();
  chapterPath = /href="(\/learn\/(?!glossary)[a-z0-9-]+)"/.exec(course)?.[1] ?? '';
  expect(labId).not.toBe('');
  expect(chapterPath).not.toBe('');
});

describe('sign-up, log-in and log-out', () => {
  it('signs up a learner, logged in at once with an HTTP-only session and a readable CSRF cookie', async () => {
    const client = new HttpClient();
    const email = uniqueEmail('Ada');
    const response = await client.post('/api/auth/signup', {
      email: `  ${email.toUpperCase()} `,
      name: 'Ada Lovelace',
      password: defaultPassword,
    });
    expect(response.status).toBe(201);
    const { user } = (await response.json()) as { user: PublicUser };
    expect(user).toMatchObject({ email: email.toLowerCase(), name: 'Ada Lovelace', role: 'learner' });
    expect(JSON.stringify(user)).not.toMatch(/scrypt|passwordHash/);

    const session = client.setCookies.get('academy_session');
    expect(session?.attributes.map((a) => a.toLowerCase())).toEqual(
      expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']),
    );
    const csrf = client.setCookies.get('academy_csrf');
    expect(csrf?.attributes.map((a) => a.toLowerCase())).toEqual(
      expect.arrayContaining(['samesite=strict', 'path=/']),
    );
    expect(csrf?.attributes.map((a) => a.toLowerCase())).not.toContain('httponly');
    expect(await client.me()).toMatchObject({ id: user.id, name: 'Ada Lovelace' });
  });

  it('stores only the SHA-256 of the session token', async () => {
    const { client, user } = await signUp();
    const token = client.cookies.get('academy_session') ?? '';
    const sessions = await getDb().session.findMany({ where: { userId: user.id } });
    expect(sessions.map((s) => s.id)).toEqual([hashSessionToken(token)]);
  });

  it('logs out: the session is gone from the database, both cookies are cleared', async () => {
    const { client, user } = await signUp();
    const stolen = client.cookieHeader();
    const response = await client.post('/api/auth/logout');
    expect(response.status).toBe(204);
    expect(client.cookies.has('academy_session')).toBe(false);
    expect(client.cookies.has('academy_csrf')).toBe(false);
    expect(await client.me()).toBeNull();
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
    // The old cookie is worthless now.
    const replay = new HttpClient();
    const me = await replay.get('/api/auth/me', { headers: { cookie: stolen } });
    expect(((await me.json()) as { user: unknown }).user).toBeNull();
  });

  it('logs in again with a new session token (rotation), whatever case the email is typed in', async () => {
    const { client, email } = await signUp();
    const first = client.cookies.get('academy_session');
    const again = await login(email.toUpperCase(), defaultPassword, client);
    expect(again.client.cookies.get('academy_session')).not.toBe(first);
    expect(await client.me()).toMatchObject({ email });
    // The token the browser had before logging in no longer works.
    const replay = new HttpClient();
    const me = await replay.get('/api/auth/me', { headers: { cookie: `academy_session=${first}` } });
    expect(((await me.json()) as { user: unknown }).user).toBeNull();
  });

  it('answers one message for an unknown email and for a wrong password', async () => {
    const { email } = await signUp();
    const wrongPassword = await new HttpClient().post('/api/auth/login', {
      email,
      password: 'not the password',
    });
    const unknownEmail = await new HttpClient().post('/api/auth/login', {
      email: uniqueEmail('nobody'),
      password: defaultPassword,
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const [a, b] = [await errorOf(wrongPassword), await errorOf(unknownEmail)];
    expect(a).toEqual(b);
    expect(a).toEqual({ error: 'WRONG_CREDENTIALS', message: 'Wrong email or password.' });
  });

  it('refuses a second account with the same email (409 EMAIL_TAKEN), whatever its case', async () => {
    const { email } = await signUp();
    const response = await new HttpClient().post('/api/auth/signup', {
      email: email.toUpperCase(),
      name: 'Someone Else',
      password: defaultPassword,
    });
    expect(response.status).toBe(409);
    expect(await errorOf(response)).toMatchObject({ error: 'EMAIL_TAKEN' });
  });

  it('ends a session 30 days after log-in', async () => {
    const { client, user } = await signUp();
    await getDb().session.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await client.me()).toBeNull();
  });

  it('gives instructors and admins their role (made by an admin, never by sign-up)', async () => {
    expect((await signUp('instructor')).user.role).toBe('instructor');
    expect((await (await signUp('admin')).client.me())?.role).toBe('admin');
  });
});

describe('bad input', () => {
  const validSignup = () => ({ email: uniqueEmail(), name: 'Valid Name', password: defaultPassword });

  it('answers 400 with a message, never 500, to broken or hostile sign-up bodies', async () => {
    const bodies: unknown[] = [
      'not json at all',
      '[]',
      'null',
      '42',
      '{}',
      JSON.stringify({ ...validSignup(), email: 'not-an-email' }),
      JSON.stringify({ ...validSignup(), email: { $ne: null } }),
      JSON.stringify({ ...validSignup(), email: `${'a'.repeat(300)}@example.com` }),
      JSON.stringify({ ...validSignup(), name: '' }),
      JSON.stringify({ ...validSignup(), name: '   ' }),
      JSON.stringify({ ...validSignup(), name: 'x'.repeat(81) }),
      JSON.stringify({ ...validSignup(), name: 'bell\u0007' }),
      JSON.stringify({ ...validSignup(), name: ['array'] }),
      JSON.stringify({ ...validSignup(), password: 'short' }),
      JSON.stringify({ ...validSignup(), password: 'aaaaaaaaaaaaaaa' }),
      JSON.stringify({ ...validSignup(), password: 'p'.repeat(5000) }),
      JSON.stringify({ ...validSignup(), password: 12345678901 }),
      JSON.stringify({ ...validSignup(), extra: true }),
    ];
    for (const body of bodies) {
      const client = new HttpClient();
      const response = await client.request('/api/auth/signup', {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, String(body).slice(0, 80)).toBe(400);
      const error = await errorOf(response);
      expect(error.error).toBe('BAD_REQUEST');
      expect(error.message.length).toBeGreaterThan(10);
      expect(error.message).not.toMatch(/at .*\.js|prisma|sqlite/i);
    }
  });

  it('explains a weak password in words', async () => {
    const response = await new HttpClient().post('/api/auth/signup', { ...validSignup(), password: 'short' });
    expect((await errorOf(response)).message).toMatch(/at least 10 characters/);
  });

  it('answers 400 to broken log-in bodies, 401 to SQL-looking credentials', async () => {
    for (const body of [
      '{',
      '[]',
      JSON.stringify({ email: 'a@b.c' }),
      JSON.stringify({ email: 1, password: 2 }),
    ]) {
      const response = await new HttpClient().request('/api/auth/login', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, body).toBe(400);
    }
    const injected = await new HttpClient().post('/api/auth/login', {
      email: "' OR 1=1 --",
      password: "' OR '1'='1",
    });
    expect(injected.status).toBe(401);
  });

  it('stores SQL-looking input literally', async () => {
    const name = "Robert'); DROP TABLE User; -- ' OR 1=1 --";
    const { client, user } = await signUp('learner', { name, password: "' OR 1=1 -- and more" });
    expect(user.name).toBe(name);
    expect((await client.me())?.name).toBe(name);
    expect(await getDb().user.count()).toBeGreaterThan(1);
    await login(user.email, "' OR 1=1 -- and more");
  });

  it('stores an HTML payload as a name literally and serves it only as JSON text', async () => {
    const name = '<script>alert("xss")</script><img src=x onerror=alert(1)>';
    const { client } = await signUp('learner', { name });
    const me = await client.get('/api/auth/me');
    expect(me.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await me.json()) as { user: PublicUser }).user.name).toBe(name);
    // The header is the same for everyone (the account menu renders the name in the browser, as
    // React text: see tests/e2e/accounts.spec.ts); no page's HTML carries the raw payload.
    for (const page of ['/', '/labs', chapterPath, `/labs/${labId}`]) {
      const html = await (await client.get(page)).text();
      expect(html, page).not.toContain('<script>alert("xss")</script>');
      expect(html, page).not.toContain('onerror=alert(1)');
    }
  });
});

describe('no escalation', () => {
  it('refuses a sign-up body that asks for a role, and makes no account from it', async () => {
    const email = uniqueEmail('sneaky');
    for (const extra of [{ role: 'admin' }, { role: 'instructor' }, { guest: true }, { passwordHash: 'x' }]) {
      const response = await new HttpClient().post('/api/auth/signup', {
        email,
        name: 'Sneaky',
        password: defaultPassword,
        ...extra,
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toMatch(/Unrecognized key/i);
    }
    expect(await getDb().user.count({ where: { email } })).toBe(0);
    const { user } = await signUp('learner', { email });
    expect(user.role).toBe('learner');
  });
});

describe('CSRF', () => {
  it('refuses a mutation without the CSRF header (403)', async () => {
    const { client } = await signUp();
    const response = await client.post('/api/auth/logout', undefined, { csrf: false });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ error: 'CSRF' });
    expect(await client.me()).not.toBeNull();
  });

  it('refuses a mutation whose header does not match the cookie (403)', async () => {
    const { client } = await signUp();
    const response = await client.post('/api/auth/logout', undefined, {
      headers: { 'x-csrf-token': newSessionToken() },
    });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ error: 'CSRF' });
  });

  it('refuses a mutation from another site, even with a token (403)', async () => {
    const { client } = await signUp();
    const forged: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of forged) {
      const response = await client.post(`/api/labs/${labId}/session`, undefined, { headers });
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toMatchObject({ error: 'CROSS_SITE' });
    }
    const noOrigin = await client.post('/api/auth/logout', undefined, { origin: null });
    expect(noOrigin.status).toBe(403);
  });

  it('guards sign-up and log-in too (no log-in CSRF)', async () => {
    const response = await new HttpClient().post(
      '/api/auth/signup',
      { email: uniqueEmail(), name: 'Forged', password: defaultPassword },
      { csrf: false },
    );
    expect(response.status).toBe(403);
    const crossSite = await new HttpClient().post(
      '/api/auth/login',
      { email: 'a@example.com', password: defaultPassword },
      { origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
  });
});

describe('rate limits', () => {
  it('answers the 6th wrong password from an address in 15 minutes with 429 and Retry-After, even if it is right', async () => {
    const { email } = await signUp();
    const attacker = new HttpClient();
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const response = await attacker.post('/api/auth/login', { email, password: `guess number ${i}` });
      expect(response.status).toBe(401);
    }
    // A growing delay: 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s at least.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    const sixth = await attacker.post('/api/auth/login', { email, password: 'guess number 6' });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await errorOf(sixth)).toMatchObject({ error: 'TOO_MANY_ATTEMPTS' });
    // The owner, from their own address, logs in: a stranger's guesses lock out the stranger only.
    const owner = await new HttpClient().post('/api/auth/login', { email, password: defaultPassword });
    expect(owner.status).toBe(200);
    expect((await attacker.post('/api/auth/login', { email, password: defaultPassword })).status).toBe(429);
  });

  it('clears the count for an email when its owner logs in', async () => {
    const { email } = await signUp();
    const client = new HttpClient();
    for (let i = 0; i < 4; i++) await client.post('/api/auth/login', { email, password: `typo ${i}` });
    await login(email, defaultPassword, client);
    for (let i = 0; i < 4; i++) {
      expect((await client.post('/api/auth/login', { email, password: `typo ${i}` })).status).toBe(401);
    }
  });

  it('counts a sign-up refused for a taken email against the address, like a new account', async () => {
    const { email } = await signUp();
    const prober = new HttpClient();
    for (let i = 0; i < 10; i++) {
      const response = await prober.post('/api/auth/signup', {
        email,
        name: 'Prober',
        password: defaultPassword,
      });
      expect(response.status).toBe(409);
    }
    const eleventh = await prober.post('/api/auth/signup', {
      email: uniqueEmail('probe'),
      name: 'Prober',
      password: defaultPassword,
    });
    expect(eleventh.status).toBe(429);
  });

  it('allows 10 sign-ups per address per hour', async () => {
    const client = new HttpClient();
    for (let i = 0; i < 10; i++) {
      const response = await client.post('/api/auth/signup', {
        email: uniqueEmail('bulk'),
        name: 'Bulk',
        password: defaultPassword,
      });
      expect(response.status).toBe(201);
    }
    const eleventh = await client.post('/api/auth/signup', {
      email: uniqueEmail('bulk'),
      name: 'Bulk',
      password: defaultPassword,
    });
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(3000);
  });
});

describe('what needs an account', () => {
  it('keeps chapters, the course map, the lab list and lab instructions open to everyone', async () => {
    const visitor = new HttpClient();
    for (const page of ['/', '/learn', chapterPath, '/labs', `/labs/${labId}`, '/login', '/signup']) {
      expect((await visitor.get(page)).status, page).toBe(200);
    }
  });

  it('answers 401 NOT_SIGNED_IN from every lab route to a visitor', async () => {
    const visitor = new HttpClient();
    const state = await visitor.get(`/api/labs/${labId}/session`);
    expect(state.status).toBe(401);
    expect(await errorOf(state)).toEqual({ error: 'NOT_SIGNED_IN', message: 'Log in to start this lab.' });
    for (const route of [
      `/api/labs/${labId}/session`,
      `/api/labs/${labId}/session/stop`,
      `/api/labs/${labId}/token`,
      `/api/labs/${labId}/progress`,
    ]) {
      expect((await visitor.post(route, {})).status, route).toBe(401);
    }
  });

  it('lets a learner see their (empty) lab state', async () => {
    const { client } = await signUp();
    const response = await client.get(`/api/labs/${labId}/session`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ session: null });
  });

  it('sends a logged-in visitor away from /login to where they were going', async () => {
    const { client } = await signUp();
    const response = await client.get(`/login?next=${encodeURIComponent(`/labs/${labId}`)}`);
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe(`/labs/${labId}`);
    const offsite = await client.get('/login?next=//evil.example/');
    expect(offsite.headers.get('location')).toBe('/learn');
  });
});

describe('a browser with a guest session from before accounts', () => {
  async function guestBrowser() {
    const db = getDb();
    const guest = await db.user.create({
      data: {
        email: `${crypto.randomUUID()}@guest.invalid`,
        name: 'Guest learner',
        passwordHash: '',
        guest: true,
      },
    });
    const token = newSessionToken();
    await db.session.create({
      data: { id: hashSessionToken(token), userId: guest.id, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    await db.labStepResult.create({
      data: {
        userId: guest.id,
        labId,
        stepId: 'from-the-guest',
        status: 'pass',
        message: 'ok',
        details: '[]',
        durationMs: 10,
      },
    });
    const client = new HttpClient();
    client.cookies.set('academy_session', token);
    return { client, guest };
  }

  it('is not logged in, and cannot use labs as the guest', async () => {
    const { client } = await guestBrowser();
    expect(await client.me()).toBeNull();
    expect((await client.get(`/api/labs/${labId}/session`)).status).toBe(401);
  });

  it('keeps the guest (and its progress) as the new account on sign-up', async () => {
    const { client, guest } = await guestBrowser();
    const response = await client.post('/api/auth/signup', {
      email: uniqueEmail('convert'),
      name: 'Converted',
      password: defaultPassword,
    });
    expect(response.status).toBe(201);
    const { user } = (await response.json()) as { user: PublicUser };
    expect(user.id).toBe(guest.id);
    const stored = await getDb().user.findUniqueOrThrow({ where: { id: guest.id } });
    expect(stored).toMatchObject({ guest: false, name: 'Converted', role: 'learner' });
    expect(await getDb().labStepResult.count({ where: { userId: guest.id } })).toBe(1);
  });

  it("merges the guest's progress into an existing account on log-in and removes the guest", async () => {
    const account = await signUp();
    const { client, guest } = await guestBrowser();
    await login(account.email, defaultPassword, client);
    expect(await getDb().user.findUnique({ where: { id: guest.id } })).toBeNull();
    const moved = await getDb().labStepResult.findMany({ where: { userId: account.user.id } });
    expect(moved.map((r) => r.stepId)).toEqual(['from-the-guest']);
    expect((await client.me())?.id).toBe(account.user.id);
  });
});
