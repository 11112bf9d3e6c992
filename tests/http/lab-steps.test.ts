/**
 * Starting a step from the reference state, background checks and "Start everyone at step N",
 * against the production server and a real lab runner: who may call each route (signed out 401,
 * forged 403, another instructor's workshop 404, a learner 403), bad input (4xx), and with real
 * sandboxes the files written, the steps recorded as skipped, a quiet background failure and a
 * counted background pass, and a pending workshop jump applied when the learner starts the lab.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import type { LabProgressView } from '@/lib/labs/progress';
import type { WorkshopSummary } from '@/lib/workshops/workshops';
import { HttpClient, baseUrl, signUp, type Account } from './support';

type ErrorBody = { error: string; message: string };
const errorOf = async (response: Response) => (await response.json()) as ErrorBody;

const labId = 'reproducible-training';
const labDir = path.join(process.cwd(), 'labs', labId);
const solution = (folder: string, file: string) =>
  fs.readFileSync(path.join(labDir, 'solution', folder, file), 'utf8');
const hourMs = 60 * 60 * 1000;

const stepUrl = (stepId: string, action: 'jump' | 'auto-check') =>
  `/api/labs/${labId}/steps/${stepId}/${action}`;

async function progressOf(account: Account): Promise<LabProgressView> {
  const response = await account.client.get(`/api/labs/${labId}/session`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { progress: LabProgressView }).progress;
}

/** A workspace file, read through the web app's /runner proxy with the learner's token. */
async function workspaceFile(account: Account, file: string): Promise<string> {
  const grant = await account.client.post(`/api/labs/${labId}/token`);
  expect(grant.status).toBe(200);
  const { sessionId, token } = (await grant.json()) as { sessionId: string; token: string };
  const response = await fetch(`${baseUrl}/runner/v1/sessions/${sessionId}/files?path=${file}`, {
    headers: { 'x-academy-token': token },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { content: string }).content;
}

async function startLab(account: Account) {
  const started = await account.client.post(`/api/labs/${labId}/session`);
  expect(started.status, await started.clone().text()).toBe(200);
  return (await started.json()) as {
    session: { state: string };
    jump: { stepId: string; files: string[]; skipped: string[] } | null;
  };
}

const startedLearners: Account[] = [];
afterAll(async () => {
  await Promise.all(startedLearners.map((a) => a.client.post(`/api/labs/${labId}/session/stop`)));
});

describe('the learner’s routes refuse what they must', () => {
  let learner: Account;
  beforeAll(async () => {
    learner = await signUp('learner');
  });

  it('answers 401 signed out and 403 to a forged request', async () => {
    for (const url of [stepUrl('record-environment', 'jump'), stepUrl('record-environment', 'auto-check')]) {
      const signedOut = await new HttpClient().post(url, {});
      expect(signedOut.status, url).toBe(401);
      expect((await learner.client.post(url, {}, { csrf: false })).status, url).toBe(403);
      const crossSite = await learner.client.post(url, {}, { origin: 'http://evil.example' });
      expect(crossSite.status, url).toBe(403);
      expect(await errorOf(crossSite)).toMatchObject({ error: 'CROSS_SITE' });
    }
  });

  it('refuses the first step, an unknown step or lab, an unknown field, and a lab not started', async () => {
    const first = await learner.client.post(stepUrl('deterministic-run', 'jump'), {});
    expect(first.status).toBe(400);
    expect(await errorOf(first)).toMatchObject({ error: 'FIRST_STEP' });
    expect((await learner.client.post(stepUrl('no-such-step', 'jump'), {})).status).toBe(404);
    expect((await learner.client.post('/api/labs/no-such-lab/steps/x/jump', {})).status).toBe(404);
    const extra = await learner.client.post(stepUrl('record-environment', 'jump'), {
      files: ['/etc/passwd'],
    });
    expect(extra.status).toBe(400);
    const notStarted = await learner.client.post(stepUrl('record-environment', 'jump'), {});
    expect(notStarted.status).toBe(409);
    expect(await errorOf(notStarted)).toMatchObject({ error: 'LAB_NOT_STARTED' });
    expect(await getDb().labStepSkip.count({ where: { userId: learner.user.id } })).toBe(0);
  });

  it('runs background checks only for a step that asks for them', async () => {
    const refused = await learner.client.post(stepUrl('deterministic-run', 'auto-check'));
    expect(refused.status).toBe(409);
    expect(await errorOf(refused)).toMatchObject({ error: 'NOT_AUTO_CHECKED' });
    expect((await learner.client.post(stepUrl('no-such-step', 'auto-check'))).status).toBe(404);
    const notStarted = await learner.client.post(stepUrl('record-environment', 'auto-check'));
    expect(await errorOf(notStarted)).toMatchObject({ error: 'LAB_NOT_STARTED' });
  });
});

describe('a learner in a real sandbox', () => {
  it('starts step 2 from the reference state, then step 2 checks itself: quietly failing, then passing', async () => {
    const learner = await signUp('learner');
    startedLearners.push(learner);
    await startLab(learner);

    const jumped = await learner.client.post(stepUrl('record-environment', 'jump'), {});
    expect(jumped.status, await jumped.clone().text()).toBe(200);
    expect(await jumped.json()).toEqual({
      stepId: 'record-environment',
      files: ['train.py'],
      skipped: ['deterministic-run'],
    });
    expect(await workspaceFile(learner, 'train.py')).toBe(solution('01', 'train.py'));
    let progress = await progressOf(learner);
    expect(progress.steps['deterministic-run']!.status).toBe('skipped');
    expect(progress.currentStep).toBe('record-environment');
    expect(progress.jump).toMatchObject({ stepId: 'record-environment', byInstructor: false });

    // The starter's requirements.txt does not pin: a background check fails, and stays quiet.
    const quiet = await learner.client.post(stepUrl('record-environment', 'auto-check'));
    expect(quiet.status, await quiet.clone().text()).toBe(200);
    expect(await quiet.json()).toMatchObject({ ran: true, result: { status: 'fail' } });
    progress = await progressOf(learner);
    expect(progress.steps['record-environment']).toMatchObject({
      status: 'not-started',
      attempts: 0,
      last: null,
    });
    const stored = await getDb().labStepResult.findMany({ where: { userId: learner.user.id } });
    expect(stored.map((r) => [r.stepId, r.status, r.automatic])).toEqual([
      ['record-environment', 'fail', true],
    ]);

    // With the lock written, the next background check passes and counts.
    const applied = await learner.client.post(`/api/labs/${labId}/steps/record-environment/solution`, {
      apply: true,
    });
    expect(applied.status).toBe(200);
    const passed = await learner.client.post(stepUrl('record-environment', 'auto-check'));
    expect(await passed.json()).toMatchObject({ ran: true, result: { status: 'pass' } });
    progress = await progressOf(learner);
    expect(progress.steps['record-environment']).toMatchObject({
      status: 'passed',
      attempts: 1,
      last: { status: 'pass', automatic: true },
    });
    expect(await (await learner.client.post(stepUrl('record-environment', 'auto-check'))).json()).toEqual({
      ran: false,
      reason: 'done',
    });

    // A skipped step stays skipped, even when its check passes now (its files are the solution's).
    const check = await learner.client.post(`/api/labs/${labId}/steps/deterministic-run/check`);
    expect(await check.json()).toMatchObject({ status: 'pass' });
    expect((await progressOf(learner)).steps['deterministic-run']!.status).toBe('skipped');
  }, 240_000);
});

describe('Start everyone at step N', () => {
  let owner: Account;
  let otherInstructor: Account;
  let workshop: WorkshopSummary;

  beforeAll(async () => {
    [owner, otherInstructor] = await Promise.all([signUp('instructor'), signUp('instructor')]);
    const created = await owner.client.post('/api/workshops', {
      title: 'Jump class',
      labs: [labId],
      startsAt: new Date(Date.now() - hourMs).toISOString(),
      endsAt: new Date(Date.now() + 3 * hourMs).toISOString(),
    });
    expect(created.status).toBe(201);
    workshop = ((await created.json()) as { workshop: WorkshopSummary }).workshop;
  });

  const jumpUrl = () => `/api/workshops/${workshop.id}/jump`;
  const body = { labId, stepId: 'record-environment' };

  it('is for the workshop’s instructor only, with the page’s CSRF token', async () => {
    const learner = await signUp('learner');
    expect((await new HttpClient().post(jumpUrl(), body)).status).toBe(401);
    expect((await learner.client.post(jumpUrl(), body)).status).toBe(403);
    const other = await otherInstructor.client.post(jumpUrl(), body);
    expect(other.status).toBe(404);
    expect(await errorOf(other)).toMatchObject({ error: 'WORKSHOP_NOT_FOUND' });
    expect((await owner.client.post(jumpUrl(), body, { csrf: false })).status).toBe(403);
    expect((await owner.client.post(jumpUrl(), body, { origin: 'http://evil.example' })).status).toBe(403);
    expect(await getDb().pendingStepJump.count({ where: { workshopId: workshop.id } })).toBe(0);
  });

  it('refuses bad input with 400 and a message', async () => {
    const cases: [unknown, string][] = [
      [{ labId }, 'BAD_REQUEST'],
      [{ ...body, userId: owner.user.id }, 'BAD_REQUEST'],
      [{ labId: 'Not A Lab', stepId: 'x' }, 'BAD_REQUEST'],
      [{ labId, stepId: 'deterministic-run' }, 'FIRST_STEP'],
      [{ labId, stepId: 'no-such-step' }, 'STEP_NOT_FOUND'],
      [{ labId: 'experiment-tracking', stepId: 'x' }, 'LAB_NOT_FOUND'],
    ];
    for (const [input, code] of cases) {
      const response = await owner.client.post(jumpUrl(), input);
      expect(response.status, JSON.stringify(input)).toBe(400);
      expect(await errorOf(response), JSON.stringify(input)).toMatchObject({ error: code });
    }
  });

  it('moves a member with a ready sandbox now, a member without one when they start, and leaves one ahead', async () => {
    const [ready, later, ahead] = await Promise.all([
      signUp('learner'),
      signUp('learner'),
      signUp('learner'),
    ]);
    for (const member of [ready, later, ahead]) {
      expect((await member.client.post('/api/workshops/join', { code: workshop.code })).status).toBe(200);
    }
    await getDb().labStepResult.create({
      data: {
        userId: ahead.user.id,
        labId,
        stepId: 'deterministic-run',
        status: 'pass',
        message: 'done',
        details: '[]',
        durationMs: 1,
      },
    });
    startedLearners.push(ready, later);
    await startLab(ready);

    const response = await owner.client.post(jumpUrl(), body);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ moved: 1, pending: 1, alreadyThere: 1, failed: 0 });

    expect(await workspaceFile(ready, 'train.py')).toBe(solution('01', 'train.py'));
    const readyProgress = await progressOf(ready);
    expect(readyProgress.steps['deterministic-run']!.status).toBe('skipped');
    expect(readyProgress.jump).toMatchObject({ stepId: 'record-environment', byInstructor: true });
    expect((await progressOf(ahead)).steps['deterministic-run']!.status).toBe('passed');

    // The member without a sandbox is moved when they start the lab.
    expect((await progressOf(later)).steps['deterministic-run']!.status).toBe('not-started');
    const started = await startLab(later);
    expect(started.jump).toEqual({
      stepId: 'record-environment',
      files: ['train.py'],
      skipped: ['deterministic-run'],
    });
    expect(await workspaceFile(later, 'train.py')).toBe(solution('01', 'train.py'));
    expect((await progressOf(later)).steps['deterministic-run']!.status).toBe('skipped');
    expect(await getDb().pendingStepJump.count({ where: { workshopId: workshop.id } })).toBe(0);

    // The dashboard and the grades say skipped, which is not a pass.
    const grades = await (await owner.client.get(`/api/workshops/${workshop.id}/grades.csv`)).text();
    const readyLine = grades.split('\r\n').find((line) => line.startsWith(ready.email));
    expect(readyLine).toMatch(/,skipped,—,—,0,0,/);
  }, 300_000);
});
