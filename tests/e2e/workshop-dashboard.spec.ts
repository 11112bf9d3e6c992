/**
 * The instructor's dashboard with a full class, in real Chromium: 30 learners (signed up and joined
 * through the API) with check results and solution reveals seeded in the e2e server's database, in
 * a workshop of every lab. The grid uses the page's full width, the learner column stays put while
 * the steps scroll sideways, and Sandbox, Last activity and View are never cut off; at 15 steps
 * too (the catalog has fewer, so the test adds a made-up lab of five steps to the live answer the
 * page polls). Screenshots kept in test-results/screenshots; accessibility scan.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { request as playwrightRequest, type Locator, type Page } from '@playwright/test';
import type { CellStatus, DashboardView } from '@/lib/workshops/dashboard';
import { expect, mutationHeaders, seriousViolations, signUp, test } from './fixtures';

/** The e2e web server's database (playwright.config.ts). */
const e2eDatabasePath = 'test-results/e2e/academy.db';
const screenshotsDir = path.join('test-results', 'screenshots');
const learnerCount = 30;
const stepCount = 15;

async function keepScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

function openDatabase() {
  return new Database(e2eDatabasePath, { timeout: 5_000 });
}

/**
 * Check results and reveals for every learner, straight in the database: a mix of passes, failures
 * (some three in a row: stuck) and untried steps, so every kind of cell shows.
 */
function seedResults(view: DashboardView): void {
  const db = openDatabase();
  try {
    // Dates are stored the way the server stores them (the learners' own sign-up times show how).
    const sample = db
      .prepare(`SELECT "createdAt" FROM "User" WHERE "id" = ?`)
      .get(view.learners[0]!.userId) as { createdAt: number | string };
    const at = (offsetMs: number) => {
      const ms = Date.now() - 60 * 60 * 1000 + offsetMs;
      return typeof sample.createdAt === 'number' ? ms : new Date(ms).toISOString();
    };
    const insertResult = db.prepare(
      `INSERT INTO "LabStepResult" ("id", "userId", "labId", "stepId", "status", "message", "details", "durationMs", "automatic", "createdAt")
       VALUES (?, ?, ?, ?, ?, '', '[]', 1200, 0, ?)`,
    );
    const insertReveal = db.prepare(
      `INSERT INTO "SolutionReveal" ("id", "userId", "labId", "stepId", "createdAt") VALUES (?, ?, ?, ?, ?)`,
    );
    let tick = 0;
    const run = crypto.randomUUID().slice(0, 8);
    db.transaction(() => {
      view.learners.forEach((learner, row) => {
        const done = (row * 7) % (view.columns.length + 1);
        view.columns.forEach((column, index) => {
          const id = () => `seed-${run}-${row}x${index}x${(tick += 1)}`;
          if (index < done) {
            if (index % 3 === 1)
              insertResult.run(id(), learner.userId, column.labId, column.stepId, 'fail', at(tick));
            insertResult.run(id(), learner.userId, column.labId, column.stepId, 'pass', at(tick));
            if ((row + index) % 5 === 0) {
              insertReveal.run(id(), learner.userId, column.labId, column.stepId, at(tick));
            }
          } else if (index === done) {
            const failures = row % 4;
            for (let i = 0; i < failures; i += 1) {
              insertResult.run(id(), learner.userId, column.labId, column.stepId, 'fail', at(tick));
            }
          }
        });
      });
    })();
  } finally {
    db.close();
  }
}

const cellStatuses: CellStatus[] = ['passed', 'failed', 'not-tried', 'skipped'];

/** Five more steps in a made-up lab, with cells for every learner: 15 columns in all. */
function withExtraSteps(view: DashboardView, total: number): DashboardView {
  const extra = Array.from({ length: Math.max(0, total - view.columns.length) }, (_, i) => ({
    labId: 'extra-practice',
    labTitle: 'Extra practice',
    stepId: `extra-${i + 1}`,
    stepTitle: `Practice round ${i + 1}: a longer step title`,
  }));
  return {
    ...view,
    columns: [...view.columns, ...extra],
    learners: view.learners.map((learner, row) => ({
      ...learner,
      cells: [
        ...learner.cells,
        ...extra.map((column, i) => ({
          labId: column.labId,
          stepId: column.stepId,
          status: cellStatuses[(row + i) % cellStatuses.length]!,
          attempts: 1,
          failedAttempts: (row + i) % 4 === 1 ? 2 : 0,
          revealed: (row + i) % 6 === 0,
          passedAt: null,
        })),
      ],
      sandboxes: [
        ...learner.sandboxes,
        { labId: 'extra-practice', state: row % 2 ? ('stopped' as const) : ('none' as const), viewers: 0 },
      ],
    })),
  };
}

type Box = { x: number; y: number; width: number; height: number };

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not rendered');
  return box;
}

/** The grid's scroll area, scrolled sideways to `to` (0 = the start, 1 = the end). */
async function scrollGrid(wrap: Locator, to: 0 | 1): Promise<void> {
  await wrap.evaluate((element, end) => {
    element.scrollLeft = end ? element.scrollWidth : 0;
  }, to);
  await wrap.page().waitForTimeout(100);
}

/** The header cells that must always show whole, inside the grid's visible part. */
async function expectFixedColumnsVisible(page: Page, wrap: Locator): Promise<void> {
  const visible = await boxOf(wrap);
  const grid = page.getByTestId('workshop-grid');
  for (const name of ['Learner', 'Sandbox', 'Last activity', 'Actions']) {
    const header = await boxOf(grid.getByRole('columnheader', { name, exact: true }));
    expect(header.x, `${name} starts inside the grid`).toBeGreaterThanOrEqual(visible.x - 1);
    expect(header.x + header.width, `${name} ends inside the grid`).toBeLessThanOrEqual(
      visible.x + visible.width + 1,
    );
  }
  const firstRow = grid.locator('tbody tr').first();
  const view = await boxOf(firstRow.getByRole('link', { name: /^View / }));
  expect(view.x + view.width).toBeLessThanOrEqual(visible.x + visible.width + 1);
  expect(view.x).toBeGreaterThanOrEqual(visible.x);
}

test('the dashboard with 30 learners × 15 steps: full width, sticky learner column, status columns never cut off', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 900 });

  // The instructor and a workshop of every lab.
  const instructor = await signUp(page, 'Dana Dashboard');
  {
    const db = openDatabase();
    try {
      db.prepare(`UPDATE "User" SET "role" = 'instructor' WHERE "email" = ?`).run(instructor.email);
    } finally {
      db.close();
    }
  }
  const created = await page.request.post('/api/workshops', {
    headers: await mutationHeaders(page.request),
    data: {
      title: 'A full class',
      labs: ['reproducible-training', 'experiment-tracking', 'model-registry'],
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3 * 60 * 60 * 1000).toISOString(),
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { workshop } = (await created.json()) as { workshop: { id: string; code: string } };

  // Thirty learners sign up and join through the API, each in a client of their own.
  for (let i = 0; i < learnerCount; i += 1) {
    const api = await playwrightRequest.newContext({ baseURL: test.info().project.use.baseURL });
    try {
      await signUp(
        api,
        `Learner ${String(i + 1).padStart(2, '0')} ${i % 3 === 0 ? 'Montgomery-Fitzgerald' : 'Lee'}`,
      );
      const joined = await api.post('/api/workshops/join', {
        headers: await mutationHeaders(api),
        data: { code: workshop.code },
      });
      expect(joined.status(), await joined.text()).toBe(200);
    } finally {
      await api.dispose();
    }
  }

  const dashboardUrl = `/api/workshops/${workshop.id}/dashboard`;
  const before = (await (await page.request.get(dashboardUrl)).json()) as { view: DashboardView };
  expect(before.view.learners).toHaveLength(learnerCount);
  seedResults(before.view);

  // The page's live updates get five more steps (a made-up lab): 15 columns.
  await page.route(`**${dashboardUrl}`, async (route) => {
    try {
      const response = await route.fetch();
      const body = (await response.json()) as { workshop: unknown; view: DashboardView };
      await route.fulfill({ response, json: { ...body, view: withExtraSteps(body.view, stepCount) } });
    } catch {
      // The test ended while a poll was on its way: the page is gone.
    }
  });

  await page.goto(`/instructor/workshops/${workshop.id}`);
  const grid = page.getByTestId('workshop-grid');
  await expect(grid.locator('tbody tr')).toHaveCount(learnerCount);
  await expect(grid.locator('tbody tr').first().locator('td[data-step]')).toHaveCount(stepCount, {
    timeout: 10_000,
  });
  await expect(grid.locator('td[data-status="passed"]').first()).toBeVisible();
  await expect(grid.locator('td[data-status="failed"]').first()).toBeVisible();
  await expect(grid.locator('tr[data-stuck="true"]').first()).toBeVisible();

  for (const size of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(200);
    const wrap = grid.locator('xpath=..');

    // The page itself never scrolls sideways; the grid uses (nearly) the window's whole width.
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth, 'the page is no wider than the window').toBeLessThanOrEqual(size.width);
    const wrapBox = await boxOf(wrap);
    expect(wrapBox.width, 'the grid uses the full width').toBeGreaterThanOrEqual(size.width - 80);

    // The steps scroll sideways inside the grid.
    const overflow = await wrap.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow, 'the steps scroll sideways').toBeGreaterThan(0);

    // At the start and at the end of the steps, the learner and status columns show whole.
    await scrollGrid(wrap, 0);
    await expectFixedColumnsVisible(page, wrap);
    const learnerAtStart = await boxOf(grid.locator('tbody tr').first().locator('th'));
    await scrollGrid(wrap, 1);
    await expectFixedColumnsVisible(page, wrap);
    const learnerAtEnd = await boxOf(grid.locator('tbody tr').first().locator('th'));
    expect(Math.abs(learnerAtEnd.x - learnerAtStart.x), 'the learner column stays put').toBeLessThanOrEqual(
      1,
    );
    // The last step is reachable, and not hidden under the status columns.
    const lastStep = await boxOf(grid.locator('thead th[scope="col"]').nth(stepCount));
    const sandboxHeader = await boxOf(grid.getByRole('columnheader', { name: 'Sandbox', exact: true }));
    expect(lastStep.x + lastStep.width).toBeLessThanOrEqual(sandboxHeader.x + 1);
    // And the first step is not hidden under the learner column at the start.
    await scrollGrid(wrap, 0);
    const firstStep = await boxOf(grid.locator('thead th[scope="col"]').nth(1));
    expect(firstStep.x).toBeGreaterThanOrEqual(learnerAtStart.x + learnerAtStart.width - 1);

    // Readable: no cell's text is cut off, and a step column is wide enough for its words.
    const clipped = await grid.evaluate((table) =>
      [...table.querySelectorAll('tbody td, tbody th')]
        .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
        .map((cell) => cell.textContent)
        .slice(0, 5),
    );
    expect(clipped, 'cells whose text is cut off').toEqual([]);
    expect(firstStep.width).toBeGreaterThanOrEqual(90);

    // Pictures of the grid itself: at the start of the steps, and scrolled to their end.
    await wrap.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await keepScreenshot(page, `workshop-dashboard-30x15-${size.width}x${size.height}`);
    await scrollGrid(wrap, 1);
    await keepScreenshot(page, `workshop-dashboard-30x15-${size.width}x${size.height}-scrolled`);
    await scrollGrid(wrap, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  expect(await seriousViolations(page)).toEqual([]);
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('an instructor resets a learner’s password from their row on the dashboard', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  const instructor = await signUp(page, 'Rita Reset');
  const db = openDatabase();
  try {
    db.prepare(`UPDATE "User" SET "role" = 'instructor' WHERE "email" = ?`).run(instructor.email);
  } finally {
    db.close();
  }
  const created = await page.request.post('/api/workshops', {
    headers: await mutationHeaders(page.request),
    data: {
      title: 'Forgetful class',
      labs: ['reproducible-training'],
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 60 * 60 * 1000).toISOString(),
    },
  });
  const { workshop } = (await created.json()) as { workshop: { id: string; code: string } };
  const api = await playwrightRequest.newContext({ baseURL: test.info().project.use.baseURL });
  const learner = await signUp(api, 'Fred Forgetful');
  await api.post('/api/workshops/join', {
    headers: await mutationHeaders(api),
    data: { code: workshop.code },
  });
  await api.dispose();

  await page.goto(`/instructor/workshops/${workshop.id}`);
  const row = page.getByTestId('workshop-grid').locator(`tr[data-learner="${learner.email}"]`);
  await row.getByRole('button', { name: `Reset password of ${learner.email}` }).click();
  await page
    .getByRole('dialog', { name: `Reset the password of ${learner.email}?` })
    .getByRole('button', { name: 'Reset password' })
    .click();
  const shown = page.getByRole('dialog', { name: `Temporary password for ${learner.email}` });
  const temporary = await shown.getByLabel('Temporary password').inputValue();
  expect(temporary.length).toBeGreaterThanOrEqual(10);
  expect(await seriousViolations(page)).toEqual([]);
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toHaveCount(0);

  // The learner logs in with it; the old password no longer works.
  const fresh = await playwrightRequest.newContext({ baseURL: test.info().project.use.baseURL });
  const headers = await mutationHeaders(fresh);
  const old = await fresh.post('/api/auth/login', {
    headers,
    data: { email: learner.email, password: learner.password },
  });
  expect(old.status()).toBe(401);
  const login = await fresh.post('/api/auth/login', {
    headers,
    data: { email: learner.email, password: temporary },
  });
  expect(login.status(), await login.text()).toBe(200);
  await fresh.dispose();
});
