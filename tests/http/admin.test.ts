/**
 * The admin pages and API against the production server and a real lab runner: who may use them,
 * role changes (never leaving the platform without an admin), password resets, bad input, names
 * rendered inert, and a real learner's sandbox seen, measured, stopped and destroyed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { temporaryPasswordPattern } from '@/lib/admin/temporary-password';
import type { SandboxSnapshot } from '@/lib/admin/sandboxes';
import { getDb } from '@/lib/db/client';
import { HttpClient, baseUrl, login, signUp, type Account } from './support';

type ErrorBody = { error: string; message: string };

const errorOf = async (response: Response) => (await response.json()) as ErrorBody;

const pages = ['/admin', '/admin/users', '/admin/sandboxes'];
/** Something only the admin pages render: the admin sub-navigation and its sections. */
const adminMarkers = ['aria-label="Administration"', 'Sandboxes in use', 'Search by email or name'];

/** Every admin API route with a well-formed target, as `[method, path, body]`. */
function adminRoutes(userId: string): [string, string, unknown][] {
  const sandboxId = 'a'.repeat(20);
  return [
    ['GET', '/api/admin/sandboxes', undefined],
    ['PATCH', `/api/admin/users/${userId}`, { role: 'admin' }],
    ['POST', `/api/admin/users/${userId}/password`, {}],
    ['POST', `/api/admin/users/${userId}/unlock`, {}],
    ['POST', `/api/admin/sandboxes/${sandboxId}/stop`, {}],
    ['DELETE', `/api/admin/sandboxes/${sandboxId}`, undefined],
  ];
}

let admin: Account;
let learner: Account;
let instructor: Account;

beforeAll(async () => {
  [admin, learner, instructor] = await Promise.all([
    signUp('admin'),
    signUp('learner'),
    signUp('instructor'),
  ]);
});

describe('who may use the admin pages and API', () => {
  it('sends a visitor to log in, then back to the page', async () => {
    for (const page of pages) {
      const response = await new HttpClient().get(page);
      expect(response.status, page).toBe(307);
      expect(response.headers.get('location'), page).toBe(`/login?next=${encodeURIComponent(page)}`);
    }
  });

  it('answers 401 to a visitor on every admin route', async () => {
    for (const [method, path, json] of adminRoutes(learner.user.id)) {
      const response = await new HttpClient().request(path, { method, json });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });

  it('answers 403, without the admin content, to a learner and an instructor on every page', async () => {
    for (const account of [learner, instructor]) {
      for (const page of pages) {
        const response = await account.client.get(page);
        expect(response.status, `${account.user.role} ${page}`).toBe(403);
        const html = await response.text();
        for (const marker of adminMarkers) expect(html, `${account.user.role} ${page}`).not.toContain(marker);
        expect(html).not.toContain(admin.email);
      }
    }
  });

  it('answers 403 FORBIDDEN to a learner and an instructor on every admin route, changing nothing', async () => {
    for (const account of [learner, instructor]) {
      for (const [method, path, json] of adminRoutes(learner.user.id)) {
        const response = await account.client.request(path, { method, json });
        expect(response.status, `${account.user.role} ${method} ${path}`).toBe(403);
        expect((await errorOf(response)).error).toBe('FORBIDDEN');
      }
    }
    expect((await getDb().user.findUniqueOrThrow({ where: { id: learner.user.id } })).role).toBe('learner');
    expect(await learner.client.me()).toMatchObject({ id: learner.user.id });
  });

  it('refuses a learner or an instructor who makes themselves admin', async () => {
    for (const account of [learner, instructor]) {
      const response = await account.client.request(`/api/admin/users/${account.user.id}`, {
        method: 'PATCH',
        json: { role: 'admin' },
      });
      expect(response.status).toBe(403);
      const stored = await getDb().user.findUniqueOrThrow({ where: { id: account.user.id } });
      expect(stored.role).toBe(account.user.role);
    }
  });

  it('refuses an admin mutation without the CSRF token or from another site', async () => {
    const path = `/api/admin/users/${learner.user.id}`;
    const noToken = await admin.client.request(path, {
      method: 'PATCH',
      json: { role: 'admin' },
      csrf: false,
    });
    expect(noToken.status).toBe(403);
    expect((await errorOf(noToken)).error).toBe('CSRF');
    const crossSite = await admin.client.request(path, {
      method: 'PATCH',
      json: { role: 'admin' },
      origin: 'https://evil.example',
    });
    expect(crossSite.status).toBe(403);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: learner.user.id } })).role).toBe('learner');
  });

  it('shows an admin every admin page', async () => {
    for (const page of pages) {
      const response = await admin.client.get(page);
      expect(response.status, page).toBe(200);
      expect(await response.text(), page).toContain('aria-label="Administration"');
    }
  });
});

describe('roles', () => {
  it('lets an admin promote a learner to instructor and back; the change applies to their open session', async () => {
    const target = await signUp('learner');
    const promote = await admin.client.request(`/api/admin/users/${target.user.id}`, {
      method: 'PATCH',
      json: { role: 'instructor' },
    });
    expect(promote.status).toBe(200);
    expect(await promote.json()).toEqual({ user: { id: target.user.id, role: 'instructor' } });
    expect(await target.client.me()).toMatchObject({ role: 'instructor' });

    const demote = await admin.client.request(`/api/admin/users/${target.user.id}`, {
      method: 'PATCH',
      json: { role: 'learner' },
    });
    expect(demote.status).toBe(200);
    expect(await target.client.me()).toMatchObject({ role: 'learner' });
  });

  it('lets an admin make another admin, who then opens the admin pages', async () => {
    const target = await signUp('learner');
    expect((await target.client.get('/admin')).status).toBe(403);
    const response = await admin.client.request(`/api/admin/users/${target.user.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
    });
    expect(response.status).toBe(200);
    expect((await target.client.get('/admin')).status).toBe(200);
  });

  it('never takes the role from the last admin (409), and allows it once there is another', async () => {
    const only = await signUp('admin');
    // Every other admin of this database (other tests make some) becomes a learner for this test.
    const others = await getDb().user.findMany({
      where: { role: 'admin', id: { not: only.user.id } },
      select: { id: true },
    });
    await getDb().user.updateMany({
      where: { id: { in: others.map((o) => o.id) } },
      data: { role: 'learner' },
    });
    try {
      const refused = await only.client.request(`/api/admin/users/${only.user.id}`, {
        method: 'PATCH',
        json: { role: 'instructor' },
      });
      expect(refused.status).toBe(409);
      const body = await errorOf(refused);
      expect(body.error).toBe('LAST_ADMIN');
      expect(body.message).toMatch(/only admin/);
      expect(await only.client.me()).toMatchObject({ role: 'admin' });

      // Choosing "admin" again for the last admin is no change, and fine.
      const same = await only.client.request(`/api/admin/users/${only.user.id}`, {
        method: 'PATCH',
        json: { role: 'admin' },
      });
      expect(same.status).toBe(200);

      const second = await signUp('learner');
      const promote = await only.client.request(`/api/admin/users/${second.user.id}`, {
        method: 'PATCH',
        json: { role: 'admin' },
      });
      expect(promote.status).toBe(200);
      const stepDown = await only.client.request(`/api/admin/users/${only.user.id}`, {
        method: 'PATCH',
        json: { role: 'learner' },
      });
      expect(stepDown.status).toBe(200);
      expect(await only.client.me()).toMatchObject({ role: 'learner' });
      expect((await only.client.get('/admin')).status).toBe(403);
    } finally {
      await getDb().user.updateMany({
        where: { id: { in: others.map((o) => o.id) } },
        data: { role: 'admin' },
      });
    }
  });

  it('answers bad ids and roles with 400 or 404, never 500', async () => {
    const cases: [string, string, unknown, number][] = [
      ['PATCH', `/api/admin/users/${learner.user.id}`, { role: 'superuser' }, 400],
      ['PATCH', `/api/admin/users/${learner.user.id}`, { role: 'ADMIN' }, 400],
      ['PATCH', `/api/admin/users/${learner.user.id}`, {}, 400],
      ['PATCH', `/api/admin/users/${learner.user.id}`, { role: 'instructor', email: 'x@y.z' }, 400],
      ['PATCH', `/api/admin/users/${learner.user.id}`, ['admin'], 400],
      ['PATCH', '/api/admin/users/no-such-user-000000', { role: 'instructor' }, 404],
      ['PATCH', `/api/admin/users/${'x'.repeat(300)}`, { role: 'instructor' }, 400],
      ['PATCH', '/api/admin/users/a%20b%27%3B--', { role: 'instructor' }, 400],
      ['PATCH', '/api/admin/users/..%2F..%2Fetc', { role: 'instructor' }, 400],
      ['POST', '/api/admin/users/no-such-user-000000/password', {}, 404],
      ['POST', '/api/admin/users/%3Cscript%3E/password', {}, 400],
      ['POST', '/api/admin/sandboxes/not-a-sandbox/stop', {}, 400],
      ['POST', `/api/admin/sandboxes/${'0'.repeat(20)}/stop`, {}, 404],
      ['DELETE', '/api/admin/sandboxes/..%2Fx', undefined, 400],
      ['DELETE', `/api/admin/sandboxes/${'0'.repeat(20)}`, undefined, 404],
    ];
    for (const [method, path, json, status] of cases) {
      const response = await admin.client.request(path, { method, json });
      expect(response.status, `${method} ${path}`).toBe(status);
      expect(await errorOf(response), `${method} ${path}`).toMatchObject({ message: expect.any(String) });
    }
    const notJson = await admin.client.request(`/api/admin/users/${learner.user.id}`, {
      method: 'PATCH',
      body: '{"role":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: learner.user.id } })).role).toBe('learner');
  });

  it('does not manage guest learners from before accounts (404)', async () => {
    const guest = await getDb().user.create({
      data: {
        email: `guest-${Date.now()}@guest.invalid`,
        name: 'Guest learner',
        passwordHash: '',
        guest: true,
      },
    });
    const role = await admin.client.request(`/api/admin/users/${guest.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
    });
    expect(role.status).toBe(404);
    expect((await admin.client.post(`/api/admin/users/${guest.id}/password`)).status).toBe(404);
  });
});

describe('password reset', () => {
  it('gives a temporary password once; the old one stops working and the user is logged out', async () => {
    const target = await signUp('learner');
    const secondBrowser = await login(target.email, target.password);
    expect(await target.client.me()).toMatchObject({ id: target.user.id });

    const response = await admin.client.post(`/api/admin/users/${target.user.id}/password`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const { password } = (await response.json()) as { password: string };
    expect(password).toMatch(temporaryPasswordPattern);

    expect(await target.client.me()).toBeNull();
    expect(await secondBrowser.client.me()).toBeNull();
    const oldPassword = await new HttpClient().post('/api/auth/login', {
      email: target.email,
      password: target.password,
    });
    expect(oldPassword.status).toBe(401);
    const again = await login(target.email, password);
    expect(await again.client.me()).toMatchObject({ id: target.user.id });
    expect(
      JSON.stringify(await getDb().user.findUniqueOrThrow({ where: { id: target.user.id } })),
    ).not.toContain(password);
  });

  it('shows an account that wrong passwords locked out, and unlocks it for every address', async () => {
    const target = await signUp('learner');
    const stranger = new HttpClient();
    for (let i = 0; i < 5; i++) {
      expect(
        (await stranger.post('/api/auth/login', { email: target.email, password: `guess ${i}` })).status,
      ).toBe(401);
    }
    expect(
      (await stranger.post('/api/auth/login', { email: target.email, password: 'guess 5' })).status,
    ).toBe(429);
    const row = async () => {
      const html = await (
        await admin.client.get(`/admin/users?q=${encodeURIComponent(target.email)}`)
      ).text();
      return html.includes('Locked out by wrong passwords');
    };
    expect(await row()).toBe(true);

    const unlocked = await admin.client.post(`/api/admin/users/${target.user.id}/unlock`);
    expect(unlocked.status).toBe(204);
    expect(await row()).toBe(false);
    // The stranger's address is heard again (and told the password is wrong).
    expect(
      (await stranger.post('/api/auth/login', { email: target.email, password: 'guess 6' })).status,
    ).toBe(401);
    const audit = await getDb().auditEvent.findMany({ where: { targetId: target.user.id } });
    expect(audit.map((event) => [event.action, event.actorId])).toEqual([
      ['login-unlock:admin', admin.user.id],
    ]);
    expect((await admin.client.post('/api/admin/users/nobody-at-all/unlock')).status).toBe(404);
  });

  it('lets an admin reset their own password (their sessions end too) while other admins stay logged in', async () => {
    const self = await signUp('admin');
    const response = await self.client.post(`/api/admin/users/${self.user.id}/password`);
    expect(response.status).toBe(200);
    const { password } = (await response.json()) as { password: string };
    // Their own sessions end too, as for anyone whose password changed.
    expect(await self.client.me()).toBeNull();
    expect(await (await login(self.email, password)).client.me()).toMatchObject({ role: 'admin' });
    expect(await admin.client.me()).toMatchObject({ id: admin.user.id });
  });
});

describe('the users page', () => {
  it('renders a hostile name as text', async () => {
    const payload = `<img src=x onerror="alert('x')"><script>alert(1)</script>"'&`;
    const hostile = await signUp('learner', { name: payload });
    const response = await admin.client.get(`/admin/users?q=${encodeURIComponent(hostile.email)}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(hostile.email);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;img src=x onerror=');
  });

  it('shows when a learner was last seen, also after they logged out, and "never" for an unused account', async () => {
    const rowOf = async (account: Account) => {
      const page = await admin.client.get(`/admin/users?q=${encodeURIComponent(account.email)}`);
      const html = await page.text();
      const start = html.indexOf(`data-testid="user-${account.user.id}"`);
      return html.slice(start, html.indexOf('</tr>', start));
    };
    const active = await signUp('learner', { name: 'Recently Active' });
    expect(await active.client.me()).toMatchObject({ id: active.user.id });
    expect((await active.client.post('/api/auth/logout')).status).toBe(204);
    const seen = await rowOf(active);
    expect(seen).not.toContain('not logged in');
    // Joined and last seen: both today.
    const today = new Date().toISOString().slice(0, 10);
    expect(seen.match(new RegExp(`<time datetime="${today}`, 'gi'))).toHaveLength(2);

    // An account made but never used (by an admin, say): nothing has ever seen it.
    const unused = await signUp('learner', { name: 'Never Seen' });
    await getDb().session.deleteMany({ where: { userId: unused.user.id } });
    await getDb().user.update({ where: { id: unused.user.id }, data: { lastSeenAt: null } });
    expect(await rowOf(unused)).toContain('never');
  });

  it('searches by email or name and pages the result', async () => {
    const tag = `pager${Date.now()}`;
    const made = await Promise.all(
      Array.from({ length: 27 }, (_, i) => signUp('learner', { name: `${tag} person ${i}` })),
    );
    const first = await (await admin.client.get(`/admin/users?q=${tag}`)).text();
    expect(first).toContain('27 accounts found');
    expect(first).toContain('page 1 of 2');
    const rowsOf = (html: string) => html.match(/<tr data-testid="user-/g)?.length ?? 0;
    expect(rowsOf(first)).toBe(25);
    const second = await (await admin.client.get(`/admin/users?q=${tag}&page=2`)).text();
    expect(rowsOf(second)).toBe(2);
    const byEmail = await (
      await admin.client.get(`/admin/users?q=${encodeURIComponent(made[3]!.email)}`)
    ).text();
    expect(byEmail).toContain('1 account found');
    const beyond = await admin.client.get(`/admin/users?q=${tag}&page=999`);
    expect(beyond.status).toBe(200);
    expect(await beyond.text()).toContain('page 2 of 2');
    const nonsense = await admin.client.get('/admin/users?page=-1&q=%00%27%22');
    expect(nonsense.status).toBe(200);
  });
});

describe('sandboxes', () => {
  it("lists a learner's real sandbox with its owner, lab and memory; stop keeps it, destroy removes it", async () => {
    const owner = await signUp('learner', { name: 'Sandbox Owner' });
    const labs = await (await fetch(`${baseUrl}/labs`)).text();
    const labId = /href="\/labs\/([a-z0-9-]+)"/.exec(labs)?.[1] ?? '';
    expect(labId).not.toBe('');
    const started = await owner.client.post(`/api/labs/${labId}/session`);
    expect(started.status, await started.clone().text()).toBe(200);
    const { session } = (await started.json()) as { session: { id: string; state: string } };
    expect(session.state).toBe('ready');

    const listing = await admin.client.get('/api/admin/sandboxes');
    expect(listing.status).toBe(200);
    const snapshot = (await listing.json()) as SandboxSnapshot;
    const row = snapshot.rows.find((r) => r.id === session.id);
    expect(row).toMatchObject({
      state: 'ready',
      labId,
      owner: { id: owner.user.id, email: owner.email, name: 'Sandbox Owner' },
    });
    expect(row?.labTitle).not.toBe(labId);
    expect(row?.usage?.memoryMb).toBeGreaterThan(0);
    expect(row?.usage?.pids).toBeGreaterThan(0);
    expect(row?.idleStopAt).not.toBeNull();

    const page = await (await admin.client.get('/admin/sandboxes')).text();
    expect(page).toContain(owner.email);
    expect(page).toContain(`sandbox-${session.id}`);
    const overview = await (await admin.client.get('/admin')).text();
    expect(overview).toMatch(/Sandboxes in use \(MAX_SESSIONS\)<\/span><span>[1-9]\d* of 40/);

    const stop = await admin.client.post(`/api/admin/sandboxes/${session.id}/stop`);
    expect(stop.status).toBe(200);
    expect(((await stop.json()) as { session: { state: string } }).session.state).toBe('stopped');
    const afterStop = (await (await admin.client.get('/api/admin/sandboxes')).json()) as SandboxSnapshot;
    expect(afterStop.rows.find((r) => r.id === session.id)).toMatchObject({ state: 'stopped', usage: null });
    const ownerView = (await (await owner.client.get(`/api/labs/${labId}/session`)).json()) as {
      session: { state: string } | null;
    };
    expect(ownerView.session?.state).toBe('stopped');
    // Stopping a stopped sandbox changes nothing (two admins may press Stop at once).
    const stopAgain = await admin.client.post(`/api/admin/sandboxes/${session.id}/stop`);
    expect(stopAgain.status).toBe(200);
    expect(((await stopAgain.json()) as { session: { state: string } }).session.state).toBe('stopped');

    const destroy = await admin.client.request(`/api/admin/sandboxes/${session.id}`, { method: 'DELETE' });
    expect(destroy.status).toBe(204);
    const afterDestroy = (await (await admin.client.get('/api/admin/sandboxes')).json()) as SandboxSnapshot;
    expect(afterDestroy.rows.find((r) => r.id === session.id)).toBeUndefined();
    const gone = (await (await owner.client.get(`/api/labs/${labId}/session`)).json()) as {
      session: unknown;
    };
    expect(gone.session).toBeNull();
  }, 300_000);
});
