/**
 * SIGNUP_MODE against a second production web app started with SIGNUP_MODE=workshop (same
 * database and runner as the suite's): a sign-up needs a workshop's join code, and makes an account
 * that is a member at once; a wrong or ended workshop makes no account. The open mode is what every
 * other test file uses; `closed` shares the same refusal path (unit-tested in signup-policy.test.ts).
 */
import { inject } from 'vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { HttpClient, defaultPassword, signUp, uniqueEmail, type Account } from './support';

const workshopSignupUrl = inject('httpWorkshopSignupUrl');
const hourMs = 60 * 60_000;
let instructor: Account;

type ErrorBody = { error: string; message: string };

async function createWorkshop(): Promise<{ id: string; code: string }> {
  const response = await instructor.client.post('/api/workshops', {
    title: 'Sign-up by join code',
    labs: ['reproducible-training'],
    startsAt: new Date(Date.now() - hourMs).toISOString(),
    endsAt: new Date(Date.now() + 3 * hourMs).toISOString(),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { workshop: { id: string; code: string } }).workshop;
}

const signUpThere = (client: HttpClient, extra: Record<string, unknown> = {}) =>
  client.post('/api/auth/signup', {
    email: uniqueEmail('ws'),
    name: 'Workshop Learner',
    password: defaultPassword,
    ...extra,
  });

beforeAll(async () => {
  instructor = await signUp('instructor');
});

describe('SIGNUP_MODE=workshop', () => {
  it('refuses a sign-up without a join code, saying where accounts come from', async () => {
    const response = await signUpThere(new HttpClient(workshopSignupUrl));
    expect(response.status).toBe(403);
    expect((await response.json()) as ErrorBody).toMatchObject({
      error: 'SIGNUP_NEEDS_WORKSHOP',
      message: expect.stringMatching(/join link/),
    });
    const page = await (await new HttpClient(workshopSignupUrl).get('/signup')).text();
    expect(page).toContain('data-testid="signup-limited"');
    expect(page).not.toContain('name="password"');
  });

  it('makes the account and its membership in one request with a join code', async () => {
    const workshop = await createWorkshop();
    const client = new HttpClient(workshopSignupUrl);
    const response = await signUpThere(client, { joinCode: workshop.code.toLowerCase() });
    expect(response.status, await response.clone().text()).toBe(201);
    const me = await client.me();
    expect(me).not.toBeNull();
    const member = await getDb().workshopMember.findUnique({
      where: { workshopId_userId: { workshopId: workshop.id, userId: me!.id } },
    });
    expect(member).not.toBeNull();
  });

  it('makes no account for an unknown code or an ended workshop', async () => {
    const email = uniqueEmail('nobody');
    const unknown = await signUpThere(new HttpClient(workshopSignupUrl), { email, joinCode: 'ZZZZZZ' });
    expect(unknown.status).toBe(404);
    const workshop = await createWorkshop();
    expect((await instructor.client.post(`/api/workshops/${workshop.id}/end`)).status).toBe(200);
    const ended = await signUpThere(new HttpClient(workshopSignupUrl), { email, joinCode: workshop.code });
    expect(ended.status).toBe(409);
    expect(((await ended.json()) as ErrorBody).error).toBe('WORKSHOP_ENDED');
    expect(await getDb().user.findUnique({ where: { email } })).toBeNull();
  });

  it('leaves the open web app open, and lets its sign-ups join with a code too', async () => {
    const workshop = await createWorkshop();
    expect((await signUpThere(new HttpClient())).status).toBe(201);
    const client = new HttpClient();
    expect((await signUpThere(client, { joinCode: workshop.code })).status).toBe(201);
    const me = await client.me();
    expect(
      await getDb().workshopMember.findUnique({
        where: { workshopId_userId: { workshopId: workshop.id, userId: me!.id } },
      }),
    ).not.toBeNull();
  });
});
