/**
 * An instructor resets a forgotten password: only a learner who is a member of one of their
 * workshops (an admin: of any workshop), never an instructor or an admin; the same temporary
 * password as an admin's reset, the learner logged out everywhere, CSRF checked, and recorded like
 * an admin's reset.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { temporaryPasswordPattern } from '@/lib/admin/temporary-password';
import { getDb } from '@/lib/db/client';
import type { WorkshopSummary } from '@/lib/workshops/workshops';
import { HttpClient, login, signUp, type Account } from './support';

type ErrorBody = { error: string; message: string };

const hourMs = 60 * 60 * 1000;

let owner: Account;
let otherInstructor: Account;
let admin: Account;

beforeAll(async () => {
  [owner, otherInstructor, admin] = await Promise.all([
    signUp('instructor'),
    signUp('instructor'),
    signUp('admin'),
  ]);
});

async function workshopWith(instructor: Account, ...members: Account[]): Promise<WorkshopSummary> {
  const response = await instructor.client.post('/api/workshops', {
    title: 'Password day',
    labs: ['reproducible-training'],
    startsAt: new Date(Date.now() - hourMs).toISOString(),
    endsAt: new Date(Date.now() + hourMs).toISOString(),
  });
  expect(response.status).toBe(201);
  const { workshop } = (await response.json()) as { workshop: WorkshopSummary };
  for (const member of members) {
    expect((await member.client.post('/api/workshops/join', { code: workshop.code })).status).toBe(200);
  }
  return workshop;
}

const resetPath = (workshopId: string, userId: string) =>
  `/api/workshops/${workshopId}/learners/${userId}/password`;

describe("an instructor's password reset", () => {
  it('gives a member learner a temporary password once, logs them out and is recorded', async () => {
    const learner = await signUp('learner');
    const workshop = await workshopWith(owner, learner);

    const response = await owner.client.post(resetPath(workshop.id, learner.user.id));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const { password } = (await response.json()) as { password: string };
    expect(password).toMatch(temporaryPasswordPattern);

    expect(await learner.client.me()).toBeNull();
    const old = await new HttpClient().post('/api/auth/login', {
      email: learner.email,
      password: learner.password,
    });
    expect(old.status).toBe(401);
    expect(await (await login(learner.email, password)).client.me()).toMatchObject({ id: learner.user.id });

    const audit = await getDb().auditEvent.findMany({ where: { targetId: learner.user.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'password-reset:instructor', actorId: owner.user.id });
    expect(JSON.parse(audit[0]!.detail ?? '{}')).toEqual({ workshopId: workshop.id });
  });

  it("refuses a learner who is not in the instructor's workshops, and another instructor's workshop (404)", async () => {
    const outsider = await signUp('learner');
    const member = await signUp('learner');
    const workshop = await workshopWith(owner, member);
    const cases: [Account, string, string, string][] = [
      [owner, workshop.id, outsider.user.id, 'LEARNER_NOT_FOUND'],
      [otherInstructor, workshop.id, member.user.id, 'WORKSHOP_NOT_FOUND'],
      [owner, 'no-such-workshop', member.user.id, 'WORKSHOP_NOT_FOUND'],
    ];
    for (const [actor, workshopId, userId, code] of cases) {
      const response = await actor.client.post(resetPath(workshopId, userId));
      expect(response.status, code).toBe(404);
      expect(((await response.json()) as ErrorBody).error).toBe(code);
    }
    expect(await member.client.me()).toMatchObject({ id: member.user.id });
    expect(await outsider.client.me()).toMatchObject({ id: outsider.user.id });
  });

  it('never resets an instructor or an admin who joined the workshop (403)', async () => {
    const colleague = await signUp('instructor');
    const otherAdmin = await signUp('admin');
    const workshop = await workshopWith(owner, colleague, otherAdmin);
    for (const target of [colleague, otherAdmin]) {
      const response = await owner.client.post(resetPath(workshop.id, target.user.id));
      expect(response.status, target.user.role).toBe(403);
      expect(((await response.json()) as ErrorBody).error).toBe('NOT_A_LEARNER');
      expect(await target.client.me()).toMatchObject({ id: target.user.id });
    }
  });

  it('is for instructors (a learner gets 403, a visitor 401) and needs the CSRF token', async () => {
    const learner = await signUp('learner');
    const classmate = await signUp('learner');
    const workshop = await workshopWith(owner, learner, classmate);
    const path = resetPath(workshop.id, classmate.user.id);
    expect((await learner.client.post(path)).status).toBe(403);
    expect((await new HttpClient().post(path)).status).toBe(401);
    const noToken = await owner.client.request(path, { method: 'POST', csrf: false });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as ErrorBody).error).toBe('CSRF');
    const crossSite = await owner.client.request(path, { method: 'POST', origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(await classmate.client.me()).toMatchObject({ id: classmate.user.id });
    expect((await owner.client.post(resetPath('a b', classmate.user.id))).status).toBe(400);
  });

  it("lets an admin reset a member learner of anyone's workshop", async () => {
    const learner = await signUp('learner');
    const workshop = await workshopWith(otherInstructor, learner);
    const response = await admin.client.post(resetPath(workshop.id, learner.user.id));
    expect(response.status).toBe(200);
    expect(await learner.client.me()).toBeNull();
  });

  it('is offered on the learner view of the workshop', async () => {
    const learner = await signUp('learner');
    const workshop = await workshopWith(owner, learner);
    const page = await owner.client.get(`/instructor/workshops/${workshop.id}/learners/${learner.user.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Reset password<span class="visually-hidden"> of `);
  });
});

describe("an admin's password reset", () => {
  it('is recorded with the admin who did it', async () => {
    const learner = await signUp('learner');
    expect((await admin.client.post(`/api/admin/users/${learner.user.id}/password`)).status).toBe(200);
    const audit = await getDb().auditEvent.findMany({ where: { targetId: learner.user.id } });
    expect(audit).toMatchObject([{ action: 'password-reset:admin', actorId: admin.user.id }]);
  });
});
