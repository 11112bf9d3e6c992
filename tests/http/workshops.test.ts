/**
 * Workshops against the production server and a real lab runner: who may create, see, end and
 * export a workshop (another instructor's is a 404, a learner gets 403), joining by code (any case,
 * twice, not once ended), no role from a body, titles and names rendered inert and stored
 * literally, the dashboard's grid and stuck rule, and the read-only view of a real sandbox.
 */
import { inflateRawSync } from 'node:zlib';
import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import type { DashboardView } from '@/lib/workshops/dashboard';
import type { WorkshopSummary } from '@/lib/workshops/workshops';
import { HttpClient, baseUrl, signUp, type Account } from './support';

type ErrorBody = { error: string; message: string };
const errorOf = async (response: Response) => (await response.json()) as ErrorBody;

const labId = 'reproducible-training';
const stepIds = ['deterministic-run', 'record-environment', 'write-metrics'];
const hourMs = 60 * 60 * 1000;

let owner: Account;
let otherInstructor: Account;
let admin: Account;
let learner: Account;

beforeAll(async () => {
  [owner, otherInstructor, admin, learner] = await Promise.all([
    signUp('instructor'),
    signUp('instructor'),
    signUp('admin'),
    signUp('learner'),
  ]);
});

function workshopBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'MLOps day one',
    labs: [labId],
    startsAt: new Date(Date.now() - hourMs).toISOString(),
    endsAt: new Date(Date.now() + 3 * hourMs).toISOString(),
    ...overrides,
  };
}

async function createWorkshop(
  account: Account,
  overrides: Record<string, unknown> = {},
): Promise<WorkshopSummary> {
  const response = await account.client.post('/api/workshops', workshopBody(overrides));
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { workshop: WorkshopSummary }).workshop;
}

async function join(account: Account, code: string) {
  return account.client.post('/api/workshops/join', { code });
}

async function dashboardOf(account: Account, id: string): Promise<DashboardView> {
  const response = await account.client.get(`/api/workshops/${id}/dashboard`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { view: DashboardView }).view;
}

describe('creating and listing', () => {
  it('creates a workshop with a six-character code of the unambiguous alphabet', async () => {
    const workshop = await createWorkshop(owner);
    expect(workshop.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(workshop).toMatchObject({ title: 'MLOps day one', status: 'live', members: 0 });
    expect(workshop.labs).toEqual([{ id: labId, title: 'Reproducible training' }]);
  });

  it('shows an instructor only their own workshops, and an admin everyone’s', async () => {
    const mine = await createWorkshop(owner, { title: 'Mine only' });
    const theirs = await createWorkshop(otherInstructor, { title: 'Theirs only' });
    const listOf = async (account: Account) =>
      (
        (await (await account.client.get('/api/workshops')).json()) as { workshops: WorkshopSummary[] }
      ).workshops.map((w) => w.id);
    const [ownerList, otherList, adminList] = await Promise.all([
      listOf(owner),
      listOf(otherInstructor),
      listOf(admin),
    ]);
    expect(ownerList).toContain(mine.id);
    expect(ownerList).not.toContain(theirs.id);
    expect(otherList).toContain(theirs.id);
    expect(otherList).not.toContain(mine.id);
    expect(adminList).toEqual(expect.arrayContaining([mine.id, theirs.id]));

    const page = await (await owner.client.get('/instructor')).text();
    expect(page).toContain('Mine only');
    expect(page).not.toContain('Theirs only');
  });

  it('answers 404, not 403, for another instructor’s workshop on every route and page', async () => {
    const workshop = await createWorkshop(owner);
    const client = otherInstructor.client;
    const answers = [
      await client.get(`/api/workshops/${workshop.id}`),
      await client.get(`/api/workshops/${workshop.id}/dashboard`),
      await client.get(`/api/workshops/${workshop.id}/grades.csv`),
      await client.post(`/api/workshops/${workshop.id}/end`),
      await client.post(`/api/workshops/${workshop.id}/learners/${learner.user.id}/view-token`, { labId }),
    ];
    for (const response of answers) {
      expect(response.status).toBe(404);
      expect((await errorOf(response)).error).toBe('WORKSHOP_NOT_FOUND');
    }
    expect((await client.get(`/instructor/workshops/${workshop.id}`)).status).toBe(404);
    expect(
      (await client.get(`/instructor/workshops/${workshop.id}/learners/${learner.user.id}`)).status,
    ).toBe(404);
    // The same as for an id that does not exist at all.
    expect((await client.get('/api/workshops/no-such-workshop/dashboard')).status).toBe(404);
    expect((await getDb().workshop.findUnique({ where: { id: workshop.id } }))?.endedAt).toBeNull();
    // An admin may manage it.
    expect((await admin.client.get(`/api/workshops/${workshop.id}/dashboard`)).status).toBe(200);
  });

  it('refuses bad input with 400 and a message', async () => {
    const bodies: [Record<string, unknown>, RegExp][] = [
      [{ title: '' }, /title/i],
      [{ title: '   ' }, /title/i],
      [{ title: 'x'.repeat(121) }, /120 characters/],
      [{ title: 'bell\u0007' }, /control characters/],
      [{ labs: [] }, /at least one lab/i],
      [{ labs: [labId, labId] }, /once/],
      [{ labs: ['no-such-lab'] }, /no lab "no-such-lab"/i],
      [{ labs: ['../../etc'] }, /not a lab id/],
      [{ startsAt: 'tomorrow' }, /start/],
      [{ endsAt: new Date(Date.now() - 2 * hourMs).toISOString() }, /after the start/],
      [
        {
          startsAt: new Date(Date.now() - 3 * hourMs).toISOString(),
          endsAt: new Date(Date.now() - 2 * hourMs).toISOString(),
        },
        /in the past/,
      ],
      [{ endsAt: new Date(Date.now() + 60 * 24 * hourMs).toISOString() }, /at most 31 days/],
    ];
    for (const [overrides, message] of bodies) {
      const response = await owner.client.post('/api/workshops', workshopBody(overrides));
      expect(response.status, JSON.stringify(overrides)).toBe(400);
      expect((await errorOf(response)).message, JSON.stringify(overrides)).toMatch(message);
    }
    for (const body of ['{', '[]', 'null']) {
      const response = await owner.client.request('/api/workshops', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, body).toBe(400);
    }
  });
});

describe('who may do what', () => {
  it('answers 403 to a learner on every instructor route, and 401 to a visitor', async () => {
    const workshop = await createWorkshop(owner);
    const routes: [string, string, unknown][] = [
      ['GET', '/api/workshops', undefined],
      ['POST', '/api/workshops', workshopBody()],
      ['GET', `/api/workshops/${workshop.id}`, undefined],
      ['GET', `/api/workshops/${workshop.id}/dashboard`, undefined],
      ['GET', `/api/workshops/${workshop.id}/grades.csv`, undefined],
      ['POST', `/api/workshops/${workshop.id}/end`, undefined],
      ['POST', `/api/workshops/${workshop.id}/learners/${learner.user.id}/view-token`, { labId }],
    ];
    for (const [method, path, json] of routes) {
      const asLearner = await learner.client.request(path, { method, json });
      expect(asLearner.status, `learner ${method} ${path}`).toBe(403);
      expect((await errorOf(asLearner)).error).toBe('FORBIDDEN');
      const asVisitor = await new HttpClient().request(path, { method, json });
      expect(asVisitor.status, `visitor ${method} ${path}`).toBe(401);
    }
    // A member is still only a learner.
    await join(learner, workshop.code);
    expect((await learner.client.get(`/api/workshops/${workshop.id}/dashboard`)).status).toBe(403);
    expect((await getDb().workshop.findUnique({ where: { id: workshop.id } }))?.endedAt).toBeNull();
  });

  it('answers 403 to a learner on the instructor pages, and sends a visitor to log in', async () => {
    const workshop = await createWorkshop(owner);
    for (const page of ['/instructor', `/instructor/workshops/${workshop.id}`]) {
      expect((await learner.client.get(page)).status, page).toBe(403);
      const visitor = await new HttpClient().get(page);
      expect(visitor.status, page).toBe(307);
      expect(visitor.headers.get('location')).toContain(`/login?next=${encodeURIComponent(page)}`);
    }
  });

  it('refuses a workshop for someone else or a role from the body, and a role through joining', async () => {
    for (const extra of [{ instructorId: otherInstructor.user.id }, { role: 'admin' }, { code: 'AAAAAA' }]) {
      const response = await owner.client.post('/api/workshops', workshopBody(extra));
      expect(response.status, JSON.stringify(extra)).toBe(400);
      expect((await errorOf(response)).message).toMatch(/Unrecognized key/i);
    }
    const asLearner = await learner.client.post('/api/workshops', workshopBody({ role: 'instructor' }));
    expect(asLearner.status).toBe(403);

    const workshop = await createWorkshop(owner);
    for (const extra of [{ role: 'instructor' }, { userId: otherInstructor.user.id }]) {
      const response = await learner.client.post('/api/workshops/join', { code: workshop.code, ...extra });
      expect(response.status).toBe(400);
    }
    expect((await learner.client.me())?.role).toBe('learner');
    expect(await getDb().workshopMember.count({ where: { workshopId: workshop.id } })).toBe(0);
  });

  it('refuses a mutation without the CSRF header', async () => {
    const response = await owner.client.post('/api/workshops', workshopBody(), { csrf: false });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).error).toBe('CSRF');
  });
});

describe('joining', () => {
  it('joins with the code typed in any case with spaces, once however often, and opens the first lab', async () => {
    const workshop = await createWorkshop(owner);
    const typed = ` ${workshop.code.slice(0, 3).toLowerCase()}-${workshop.code.slice(3)} `;
    const first = await join(learner, typed);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ workshop: { id: workshop.id }, firstLab: labId });
    expect((await join(learner, workshop.code)).status).toBe(200);
    expect(await getDb().workshopMember.count({ where: { workshopId: workshop.id } })).toBe(1);

    const view = await dashboardOf(owner, workshop.id);
    expect(view.columns.map((c) => c.stepId)).toEqual(stepIds);
    expect(view.learners).toHaveLength(1);
    expect(view.learners[0]).toMatchObject({ email: learner.email, stuck: null, stepsPassed: 0 });
    expect(view.learners[0]!.cells.map((c) => c.status)).toEqual(['not-tried', 'not-tried', 'not-tried']);
    expect(view.learners[0]!.sandboxes).toEqual([{ labId, state: 'none', viewers: 0 }]);

    const page = await (await learner.client.get(`/join/${workshop.code}`)).text();
    expect(page).toContain('You are in this workshop');
    expect((await learner.client.get('/join')).status).toBe(200);
  });

  it('says clearly when no workshop has the code', async () => {
    for (const code of ['ZZZZZZ', 'abc', "' OR 1=1 --", '0O1IL0']) {
      const response = await join(learner, code);
      expect(response.status, code).toBe(404);
      expect((await errorOf(response)).message).toMatch(/No workshop has this code/);
    }
    expect(await (await learner.client.get('/join/ZZZZZZ')).text()).toContain('No workshop has this code');
  });

  it('needs an account: a visitor is offered to sign up (or log in) and join in one step', async () => {
    const workshop = await createWorkshop(owner);
    const visitor = new HttpClient();
    expect((await visitor.post('/api/workshops/join', { code: workshop.code })).status).toBe(401);
    const html = await (await visitor.get(`/join/${workshop.code}`)).text();
    expect(html).toContain('data-testid="join-with-account"');
    expect(html).toContain('Sign up and join');
    expect(html).toContain('Log in and join instead');
  });

  it('refuses new learners once the workshop is ended or past its end, and keeps its members', async () => {
    const workshop = await createWorkshop(owner);
    expect((await join(learner, workshop.code)).status).toBe(200);
    const ended = await owner.client.post(`/api/workshops/${workshop.id}/end`);
    expect(ended.status).toBe(200);
    expect(await ended.json()).toMatchObject({ workshop: { status: 'ended' }, stopped: 0, notStopped: 0 });
    // Ending twice is harmless.
    expect((await owner.client.post(`/api/workshops/${workshop.id}/end`)).status).toBe(200);

    const newcomer = await signUp('learner');
    const refused = await join(newcomer, workshop.code);
    expect(refused.status).toBe(409);
    expect(await errorOf(refused)).toMatchObject({ error: 'WORKSHOP_ENDED' });
    expect((await errorOf(await join(newcomer, workshop.code))).message).toMatch(/has ended/);
    expect((await join(learner, workshop.code)).status).toBe(200);
    expect(await (await newcomer.client.get(`/join/${workshop.code}`)).text()).toContain('has ended');

    const past = await createWorkshop(owner);
    await getDb().workshop.update({ where: { id: past.id }, data: { endsAt: new Date(Date.now() - 1000) } });
    expect((await join(newcomer, past.code)).status).toBe(409);
  });
});

describe('rendering and storing what people type', () => {
  const payload = '<script>alert("xss")</script><img src=x onerror=alert(1)>';

  it('renders a script in a workshop title or a learner’s name as text on the dashboard and join pages', async () => {
    const workshop = await createWorkshop(owner, { title: payload });
    const hostile = await signUp('learner', { name: payload });
    expect((await join(hostile, workshop.code)).status).toBe(200);
    const pages = [
      await owner.client.get('/instructor'),
      await owner.client.get(`/instructor/workshops/${workshop.id}`),
      await owner.client.get(`/instructor/workshops/${workshop.id}/learners/${hostile.user.id}`),
      await hostile.client.get(`/join/${workshop.code}`),
      await new HttpClient().get(`/join/${workshop.code}`),
      await hostile.client.get('/join'),
    ];
    for (const response of pages) {
      expect(response.status, response.url).toBe(200);
      const html = await response.text();
      expect(html, response.url).not.toContain('<script>alert("xss")</script>');
      expect(html, response.url).not.toContain('<img src=x onerror=alert(1)>');
      expect(html, response.url).toContain('&lt;script&gt;alert(');
    }
    const view = await dashboardOf(owner, workshop.id);
    expect(view.learners[0]!.name).toBe(payload);
  });

  it('stores a SQL-looking title literally', async () => {
    const title = "Robert'); DROP TABLE Workshop; -- ' OR 1=1 --";
    const workshop = await createWorkshop(owner, { title });
    const fetched = (await (await owner.client.get(`/api/workshops/${workshop.id}`)).json()) as {
      workshop: WorkshopSummary;
    };
    expect(fetched.workshop.title).toBe(title);
    expect(await getDb().workshop.count()).toBeGreaterThan(1);
  });
});

describe('the dashboard and the grades', () => {
  it('shows passes, failures, reveals and a stuck learner, and exports them as formula-safe CSV', async () => {
    const workshop = await createWorkshop(owner, { title: 'Grades, "quoted"' });
    const steady = await signUp('learner', { name: 'Steady, Learner' });
    const stuck = await signUp('learner', { name: '=HYPERLINK("http://evil.example","x")' });
    await Promise.all([join(steady, workshop.code), join(stuck, workshop.code)]);
    const db = getDb();
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
    const result = (userId: string, stepId: string, status: string, minutesAgo: number) => ({
      userId,
      labId,
      stepId,
      status,
      message: '',
      details: '[]',
      durationMs: 10,
      createdAt: at(minutesAgo),
    });
    await db.labStepResult.createMany({
      data: [
        result(steady.user.id, 'deterministic-run', 'fail', 10),
        result(steady.user.id, 'deterministic-run', 'pass', 8),
        result(steady.user.id, 'record-environment', 'fail', 6),
        result(stuck.user.id, 'deterministic-run', 'fail', 5),
        result(stuck.user.id, 'deterministic-run', 'fail', 4),
        result(stuck.user.id, 'deterministic-run', 'error', 3),
      ],
    });
    await db.solutionReveal.create({ data: { userId: steady.user.id, labId, stepId: 'deterministic-run' } });

    const view = await dashboardOf(owner, workshop.id);
    const steadyRow = view.learners.find((l) => l.email === steady.email)!;
    const stuckRow = view.learners.find((l) => l.email === stuck.email)!;
    expect(steadyRow.cells.map((c) => c.status)).toEqual(['passed', 'failed', 'not-tried']);
    expect(steadyRow.cells[0]).toMatchObject({ revealed: true, failedAttempts: 1 });
    expect(steadyRow).toMatchObject({
      stepsPassed: 1,
      reveals: 1,
      stuck: null,
      lastActivityAt: at(6).toISOString(),
    });
    expect(stuckRow.stuck).toEqual({ labId, stepId: 'deterministic-run', failures: 3 });
    expect(stuckRow.cells[0]).toMatchObject({ status: 'failed', failedAttempts: 3 });

    const html = await (await owner.client.get(`/instructor/workshops/${workshop.id}`)).text();
    expect(html).toContain('Stuck');

    const csv = await owner.client.get(`/api/workshops/${workshop.id}/grades.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="grades-quoted-grades-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(
      `email,name,${stepIds.map((s) => `${labId}/${s}`).join(',')},steps passed,solution reveals,last activity`,
    );
    expect(lines).toContain(`${steady.email},"Steady, Learner",pass,fail,—,1,1,${at(6).toISOString()}`);
    const stuckLine = lines.find((line) => line.startsWith(stuck.email))!;
    expect(stuckLine).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")",fail,—,—,0,0,`);
  });
});

describe('ending a workshop and watching a learner, with a real sandbox', () => {
  it('gives a read-only view to the owner only, counts the viewer for the learner, and stops the sandbox at the end', async () => {
    const workshop = await createWorkshop(owner);
    const member = await signUp('learner', { name: 'Watched Learner' });
    const outsider = await signUp('learner');
    await join(member, workshop.code);
    const viewToken = (account: Account, userId: string, body: unknown = { labId }) =>
      account.client.post(`/api/workshops/${workshop.id}/learners/${userId}/view-token`, body);

    // Before the learner has a sandbox, and for someone who is not a member.
    expect(await errorOf(await viewToken(owner, member.user.id))).toMatchObject({ error: 'NO_SANDBOX' });
    expect((await viewToken(owner, outsider.user.id)).status).toBe(404);
    expect((await viewToken(owner, member.user.id, { labId: 'experiment-tracking' })).status).toBe(400);
    expect((await viewToken(owner, member.user.id, { labId, readOnly: false })).status).toBe(400);

    const started = await member.client.post(`/api/labs/${labId}/session`);
    expect(started.status, await started.clone().text()).toBe(200);
    const grant = await viewToken(owner, member.user.id);
    expect(grant.status).toBe(200);
    const { sessionId, token } = (await grant.json()) as { sessionId: string; token: string };
    expect((await viewToken(otherInstructor, member.user.id)).status).toBe(404);
    expect((await viewToken(admin, member.user.id)).status).toBe(200);

    // Files: readable, not writable, through the web app's /runner proxy.
    const files = `/runner/v1/sessions/${sessionId}/files`;
    const tree = await fetch(`${baseUrl}${files}/tree`, { headers: { 'x-academy-token': token } });
    expect(tree.status).toBe(200);
    const write = await fetch(`${baseUrl}${files}?path=train.py`, {
      method: 'PUT',
      headers: { 'x-academy-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'owned' }),
    });
    expect(write.status).toBe(403);

    // The terminal, read-only: the learner's session view counts the viewer while it is open.
    const viewersSeenByLearner = async () => {
      const state = (await (await member.client.get(`/api/labs/${labId}/session`)).json()) as {
        session: { viewers: number } | null;
      };
      return state.session?.viewers;
    };
    expect(await viewersSeenByLearner()).toBe(0);
    const terminalToken = (await (await viewToken(owner, member.user.id)).json()) as { token: string };
    const socket = new WebSocket(
      `${baseUrl.replace('http', 'ws')}/runner/v1/sessions/${sessionId}/terminal?token=${terminalToken.token}`,
      { headers: { origin: baseUrl } },
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'resize', cols: 80, rows: 24 }));
    await expect.poll(viewersSeenByLearner, { timeout: 15_000 }).toBe(1);
    expect((await dashboardOf(owner, workshop.id)).learners[0]!.sandboxes[0]).toMatchObject({
      state: 'ready',
      viewers: 1,
    });
    socket.close();
    await expect.poll(viewersSeenByLearner, { timeout: 15_000 }).toBe(0);

    // Ending the workshop stops the member's sandbox (files kept).
    const ended = await owner.client.post(`/api/workshops/${workshop.id}/end`);
    expect(await ended.json()).toMatchObject({ stopped: 1, notStopped: 0 });
    const after = (await (await member.client.get(`/api/labs/${labId}/session`)).json()) as {
      session: { state: string } | null;
    };
    expect(after.session?.state).toBe('stopped');
    expect(await errorOf(await viewToken(owner, member.user.id))).toMatchObject({
      error: 'SANDBOX_NOT_READY',
    });
  }, 180_000);
});

type LabSessionState = { session: { id: string; state: string } | null };
const sandboxOf = async (account: Account) =>
  ((await (await account.client.get(`/api/labs/${labId}/session`)).json()) as LabSessionState).session;

describe('the end of a workshop stops its sandboxes, with real sandboxes', () => {
  it('ending waits for a sandbox that is still starting, and stops it', async () => {
    const workshop = await createWorkshop(owner);
    const member = await signUp('learner');
    await join(member, workshop.code);
    const starting = member.client.post(`/api/labs/${labId}/session`);
    await expect
      .poll(async () => (await dashboardOf(owner, workshop.id)).learners[0]!.sandboxes[0]!.state, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe('creating');

    const ended = await owner.client.post(`/api/workshops/${workshop.id}/end`);
    expect(await ended.json()).toMatchObject({ stopped: 1, notStopped: 0 });
    await starting;
    expect((await sandboxOf(member))?.state).toBe('stopped');
  }, 180_000);

  it('a workshop past its end time stops its members’ sandboxes at the next dashboard request', async () => {
    const workshop = await createWorkshop(owner);
    const member = await signUp('learner');
    const outsider = await signUp('learner');
    await join(member, workshop.code);
    for (const account of [member, outsider]) {
      const started = await account.client.post(`/api/labs/${labId}/session`);
      expect(started.status, await started.clone().text()).toBe(200);
    }
    // The end time passes.
    await getDb().workshop.update({
      where: { id: workshop.id },
      // Now, not a second ago: a sandbox handed out by the warm pool within the last second was
      // made after an end a second back, and would rightly be left running as the learner's own.
      data: { endsAt: new Date() },
    });
    expect((await sandboxOf(member))?.state).toBe('ready');

    await dashboardOf(owner, workshop.id);
    await expect.poll(async () => (await sandboxOf(member))?.state, { timeout: 60_000 }).toBe('stopped');
    // Only the members' sandboxes: someone else's sandbox of the same lab runs on.
    expect((await sandboxOf(outsider))?.state).toBe('ready');
    expect(
      (await getDb().workshop.findUnique({ where: { id: workshop.id } }))?.sandboxesStoppedAt,
    ).not.toBeNull();
  }, 180_000);
});

/** The names and contents of a zip's files (stored or deflated), read from its central directory. */
function zipFiles(zip: Buffer): Map<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + skip;
  }
  return files;
}

describe('a learner after the end of their workshop, with real sandboxes', () => {
  const stateOf = async (account: Account) =>
    (await (await account.client.get(`/api/workshops/lab/${labId}`)).json()) as {
      workshop: Record<string, unknown> | null;
    };

  it('is told the instructor ended it, may not resume, reset or open the sandbox, and downloads the files', async () => {
    const workshop = await createWorkshop(owner, { title: 'Closing time' });
    const member = await signUp('learner');
    await join(member, workshop.code);
    expect(await stateOf(member)).toEqual({
      workshop: expect.objectContaining({
        id: workshop.id,
        title: 'Closing time',
        status: 'live',
        endedBy: null,
        learnersMayContinue: false,
        isLocked: false,
      }),
    });
    expect(await stateOf(await signUp('learner'))).toEqual({ workshop: null });
    const started = await member.client.post(`/api/labs/${labId}/session`);
    expect(started.status, await started.clone().text()).toBe(200);
    const { sessionId, token } = (await (await member.client.post(`/api/labs/${labId}/token`)).json()) as {
      sessionId: string;
      token: string;
    };
    const written = await member.client.request(
      `/runner/v1/sessions/${sessionId}/files?path=notes/mine.txt`,
      {
        method: 'PUT',
        json: { content: 'my own notes ✓\n' },
        headers: { 'x-academy-token': token },
      },
    );
    expect(written.status, await written.clone().text()).toBe(200);

    expect((await owner.client.post(`/api/workshops/${workshop.id}/end`)).status).toBe(200);
    expect(await stateOf(member)).toEqual({
      workshop: expect.objectContaining({
        status: 'ended',
        endedBy: 'instructor',
        learnersMayContinue: false,
        isLocked: true,
        sandboxesStopped: true,
      }),
    });
    for (const path of [
      `/api/labs/${labId}/session`,
      `/api/labs/${labId}/session/reset`,
      `/api/labs/${labId}/token`,
      `/api/labs/${labId}/steps/deterministic-run/check`,
    ]) {
      const refused = await member.client.post(path);
      expect(refused.status, path).toBe(409);
      expect(await errorOf(refused), path).toMatchObject({
        error: 'WORKSHOP_ENDED',
        message: expect.stringContaining('Your instructor ended the workshop “Closing time”'),
      });
    }
    expect((await sandboxOf(member))?.state).toBe('stopped');

    // A copy of the files, while the sandbox stays stopped.
    const download = await member.client.post(`/api/workshops/lab/${labId}/files`);
    expect(download.status, download.ok ? '' : await download.clone().text()).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/zip');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${labId}-workspace.zip"`);
    const files = zipFiles(Buffer.from(await download.arrayBuffer()));
    expect(files.get(`${labId}/notes/mine.txt`)).toBe('my own notes ✓\n');
    expect(files.get(`${labId}/train.py`)).toContain('random');
    expect((await sandboxOf(member))?.state).toBe('stopped');
    // Someone without a sandbox for the lab has nothing to download.
    const empty = await (await signUp('learner')).client.post(`/api/workshops/lab/${labId}/files`);
    expect(empty.status).toBe(409);
    expect((await errorOf(empty)).error).toBe('LAB_NOT_STARTED');
  }, 240_000);

  it('may resume after the end when the workshop lets learners keep working', async () => {
    const workshop = await createWorkshop(owner, { learnersMayContinue: true });
    expect(workshop.learnersMayContinue).toBe(true);
    expect((await createWorkshop(owner)).learnersMayContinue).toBe(false);
    const member = await signUp('learner');
    await join(member, workshop.code);
    expect((await member.client.post(`/api/labs/${labId}/session`)).status).toBe(200);
    await getDb().workshop.update({
      where: { id: workshop.id },
      // Now, not a second ago: a sandbox handed out by the warm pool within the last second was
      // made after an end a second back, and would rightly be left running as the learner's own.
      data: { endsAt: new Date() },
    });
    // The learner's page asking is enough to stop the sandbox; until it is stopped, it is held.
    expect(await stateOf(member)).toEqual({
      workshop: expect.objectContaining({ status: 'ended', endedBy: 'schedule', learnersMayContinue: true }),
    });
    await expect.poll(async () => (await sandboxOf(member))?.state, { timeout: 60_000 }).toBe('stopped');
    await expect
      .poll(async () => (await stateOf(member)).workshop, { timeout: 10_000 })
      .toMatchObject({ sandboxesStopped: true, isLocked: false });
    const resumed = await member.client.post(`/api/labs/${labId}/session`);
    expect(resumed.status, await resumed.clone().text()).toBe(200);
    expect((await sandboxOf(member))?.state).toBe('ready');

    // The instructor may still watch for a short grace after the end, with a token that lasts no
    // longer than it; then the learner works on their own.
    const viewToken = () =>
      owner.client.post(`/api/workshops/${workshop.id}/learners/${member.user.id}/view-token`, { labId });
    const grant = await viewToken();
    expect(grant.status, await grant.clone().text()).toBe(200);
    const { expiresAt } = (await grant.json()) as { expiresAt: number };
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    await getDb().workshop.update({
      where: { id: workshop.id },
      data: { endsAt: new Date(Date.now() - 6 * 60_000) },
    });
    expect(await errorOf(await viewToken())).toMatchObject({ error: 'WORKSHOP_ENDED' });
  }, 240_000);
});

describe('leaving a workshop', () => {
  it('takes the learner off the dashboard and the instructor’s view; a second leave is a 404', async () => {
    const workshop = await createWorkshop(owner);
    const member = await signUp('learner');
    await join(member, workshop.code);
    expect((await dashboardOf(owner, workshop.id)).learners.map((l) => l.userId)).toContain(member.user.id);

    const left = await member.client.post(`/api/workshops/${workshop.id}/leave`);
    expect(left.status).toBe(204);
    expect((await dashboardOf(owner, workshop.id)).learners.map((l) => l.userId)).not.toContain(
      member.user.id,
    );
    const view = await owner.client.post(
      `/api/workshops/${workshop.id}/learners/${member.user.id}/view-token`,
      {
        labId,
      },
    );
    expect(view.status).toBe(404);
    expect((await member.client.post(`/api/workshops/${workshop.id}/leave`)).status).toBe(404);
    // A visitor cannot leave anything.
    expect((await new HttpClient().post(`/api/workshops/${workshop.id}/leave`)).status).toBe(401);
    // Joining again while it runs works.
    expect((await join(member, workshop.code)).status).toBe(200);
  });
});
