/**
 * The Pipelines tab, in real Chromium against the real runner, Docker and the sandbox's labkit
 * pipelines service: a learner opens the tab on a two-stage DVC pipeline, runs `labkit pipeline
 * repro` in the terminal and watches the stages go from changed to running to up to date with the
 * running stage's log growing, opens a stage, changes a parameter and sees the stage change and the
 * params diff against the last commit, and finds the loss curve under Plots.
 *
 * The lab is the test fixture `pipelines-basics` (tests/fixtures/labs), which the web app lists only
 * when it is in labs/: until the course has a lab with `services: [pipelines]`, run this spec from
 * a private copy with the fixture copied into labs/ (the spec skips itself otherwise).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, seriousViolations, signUp, test } from './fixtures';

const labId = 'pipelines-basics';
test.skip(
  !fs.existsSync(path.join('labs', labId, 'lab.yaml')),
  `needs labs/${labId} (see the comment above)`,
);

test.use({ viewport: { width: 1440, height: 1000 } });
const screenshotsDir = path.join('test-results', 'screenshots');

async function keepScreenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

const screenText = (terminal: Locator) => terminal.locator('.xterm-rows');

async function runInTerminal(page: Page, terminal: Locator, command: string) {
  await terminal.click();
  await page.keyboard.type(`${command}\n`);
}

test('a learner follows a repro from the Pipelines tab: states, log, params diff and plots', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signUp(page);
  await page.goto(`/labs/${labId}`);
  await page.getByRole('button', { name: 'Start lab' }).first().click();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 90_000 });
  const terminal = page.getByTestId('terminal');
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });

  // The lab lists tracking and pipelines: their pages follow the editor, in that order.
  const tabs = page.getByRole('tablist', { name: 'Work area' });
  await expect(tabs.getByRole('tab')).toHaveText(['Editor', 'Experiments', 'Models', 'Pipelines']);
  await tabs.getByRole('tab', { name: 'Pipelines' }).click();

  // Before any run: both stages changed, drawn in the graph.
  const pipelines = page.getByTestId('pipelines-page');
  const stageButton = (id: string) =>
    pipelines.locator(`[data-testid="pipelines-stage"][data-stage="${id}"]`);
  await expect(stageButton('prepare')).toHaveAttribute('data-state', 'changed', { timeout: 30_000 });
  await expect(stageButton('train')).toHaveAttribute('data-state', 'changed');
  const graph = page.getByTestId('pipelines-graph');
  await expect(graph).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  await expect(graph.locator('svg')).toContainText('train · changed');
  await expect(graph.locator('svg')).toContainText('data/raw.csv');
  await expect(pipelines.getByText('labkit pipeline repro', { exact: true })).toBeVisible();
  expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);

  // A click on train's box in the graph opens it.
  await graph.locator('g.node').filter({ hasText: 'train' }).first().click();
  const detail = page.getByTestId('pipelines-stage-detail');
  await expect(detail.getByRole('heading', { name: /^train/ })).toBeVisible();
  await expect(detail).toContainText('python3 train.py');
  await expect(detail).toContainText('never run (not in dvc.lock)');

  // Commit, then repro from the terminal with a slow train: it is seen running, its log growing.
  await runInTerminal(
    page,
    terminal,
    'git init -q -b main && git add -A && git -c user.name=L -c user.email=l@example.com commit -qm start && TRAIN_SLEEP=6 labkit pipeline repro && echo REPRO-DONE',
  );
  await expect(stageButton('train')).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await expect(page.getByText('repro running…')).toBeVisible();
  await expect(page.getByTestId('pipelines-log')).toContainText('fitted with lr 0.02', { timeout: 10_000 });
  await keepScreenshot(page, 'pipelines-running');
  await expect(screenText(terminal)).toContainText('REPRO-DONE', { timeout: 60_000 });
  await expect(stageButton('train')).toHaveAttribute('data-state', 'up to date', { timeout: 20_000 });
  await expect(stageButton('prepare')).toHaveAttribute('data-state', 'up to date');
  await expect(page.getByTestId('pipelines-log')).toContainText('trained: a =');
  await expect(detail).toContainText('Last run: succeeded');

  // A parameter changed in the workspace: train changes, and the diff shows it against HEAD.
  await runInTerminal(page, terminal, "sed -i 's/lr: 0.02/lr: 0.05/' params.yaml");
  await expect(stageButton('train')).toHaveAttribute('data-state', 'changed', { timeout: 20_000 });
  await expect(detail).toContainText('parameter train.lr (params.yaml) modified');
  await pipelines.getByRole('button', { name: 'Params & metrics' }).click();
  const lrRow = page.locator('[data-testid="pipelines-diff-row"][data-key="params.yaml:train.lr"]');
  await expect(lrRow).toHaveAttribute('data-changed', 'true');
  await expect(lrRow).toContainText('0.02');
  await expect(lrRow).toContainText('0.05');
  await keepScreenshot(page, 'pipelines-compare');
  expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);

  // The loss curve the train stage declares under plots, drawn as an image.
  await pipelines.getByRole('button', { name: 'Plots' }).click();
  const plot = page.getByTestId('pipelines-plots').locator('figure').filter({ hasText: 'loss.csv' });
  await expect(plot.getByRole('img', { name: 'Chart: loss.csv' })).toBeVisible();
  await keepScreenshot(page, 'pipelines-plots');

  await pipelines.getByRole('button', { name: 'Stages' }).click();
  await keepScreenshot(page, 'pipelines-stages');
});
