/**
 * The tracking service's pages in the lab workspace, in real Chromium against the real runner,
 * Docker and the sandbox's labkit tracking server: a learner logs a sweep from the terminal and
 * watches it arrive in the Experiments tab, filters, sorts, compares two runs, opens one, registers
 * the best from the terminal and finds it in the Models tab, then follows its lineage back to the
 * run. Screenshots of each tab are kept in test-results/screenshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, seriousViolations, signUp, test } from './fixtures';

const labId = 'experiment-tracking';

// Room for the pages above the terminal (the screenshots double as the docs' pictures).
test.use({ viewport: { width: 1440, height: 1000 } });
const screenshotsDir = path.join('test-results', 'screenshots');

async function keepScreenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

/** The text on the terminal's screen, as rendered by xterm.js. */
const screenText = (terminal: Locator) => terminal.locator('.xterm-rows');

/** Types a shell command into the terminal (a heredoc keeps its lines and indentation). */
async function runInTerminal(page: Page, terminal: Locator, command: string) {
  await terminal.click();
  await page.keyboard.type(`${command}\n`);
}

/** Three runs of a sweep over alpha, each with a 5-step rmse curve, a param and a JSON artifact. */
const sweep = `python3 - <<'PY'
import labkit as mlflow
mlflow.set_experiment("e2e-sweep")
for alpha in (0.1, 0.5, 1.0):
    with mlflow.start_run(run_name=f"alpha-{alpha}"):
        mlflow.log_param("alpha", alpha)
        for step in range(5):
            mlflow.log_metric("rmse", 1 / (1 + alpha * step), step=step)
        mlflow.log_dict({"alpha": alpha, "note": "<b>not html</b>"}, "config.json")
print("SWEEP" + "-DONE")
PY`;

/** Registers the run with the lowest rmse as version 1 of e2e-model, in Production, as @champion. */
const register = `python3 - <<'PY'
from labkit import MlflowClient
client = MlflowClient()
experiment = client.get_experiment_by_name("e2e-sweep")
best = client.search_runs([experiment.experiment_id], order_by=["metrics.rmse ASC"])[0]
client.create_registered_model("e2e-model")
version = client.create_model_version("e2e-model", f"runs:/{best.info.run_id}/model", run_id=best.info.run_id)
client.transition_model_version_stage("e2e-model", version.version, "Production")
client.set_registered_model_alias("e2e-model", "champion", version.version)
print("REGISTERED-" + best.info.run_name)
PY`;

test('a learner logs a sweep, watches it arrive, compares runs and finds the registered best in Models', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signUp(page);
  await page.goto(`/labs/${labId}`);
  await page.getByRole('button', { name: 'Start lab' }).first().click();
  await expect(page.getByTestId('lab-controls')).toHaveAttribute('data-phase', 'ready', { timeout: 90_000 });
  const terminal = page.getByTestId('terminal');
  await expect(terminal).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });

  // The work pane's tabs: the editor, then the tracking service's two pages.
  const tabs = page.getByRole('tablist', { name: 'Work area' });
  await expect(tabs.getByRole('tab')).toHaveText(['Editor', 'Experiments', 'Models']);
  const editorTab = tabs.getByRole('tab', { name: 'Editor' });
  const experimentsTab = tabs.getByRole('tab', { name: 'Experiments' });
  const modelsTab = tabs.getByRole('tab', { name: 'Models' });
  await expect(editorTab).toHaveAttribute('aria-selected', 'true');

  // An unsaved edit in the editor survives a visit to another tab (the editor stays mounted).
  const editor = page.getByTestId('code-editor');
  await expect(editor).toHaveAttribute('data-active-file', 'train.py', { timeout: 30_000 });
  await editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.type('# unsaved-note\n');
  await expect(editor).toHaveAttribute('data-dirty', 'true');

  // Tabs follow the WAI-ARIA pattern: arrows, Home and End move and select.
  await editorTab.focus();
  await page.keyboard.press('ArrowRight');
  await expect(experimentsTab).toHaveAttribute('aria-selected', 'true');
  await expect(experimentsTab).toBeFocused();
  await expect(editor).toBeHidden();
  await page.keyboard.press('End');
  await expect(modelsTab).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(editorTab).toHaveAttribute('aria-selected', 'true');
  await expect(editor).toBeVisible();
  await expect(editor).toHaveAttribute('data-dirty', 'true');
  await expect(editor.locator('.view-lines')).toContainText('# unsaved-note');

  // Before any run: the Experiments tab says how to log one.
  await experimentsTab.click();
  const experiments = page.getByTestId('tracking-experiments');
  await expect(experiments.getByRole('heading', { name: /No runs in .* yet/ })).toBeVisible({
    timeout: 30_000,
  });

  // The sweep, from the terminal: the runs arrive in the open tab without a reload.
  await runInTerminal(page, terminal, sweep);
  await expect(screenText(terminal)).toContainText('SWEEP-DONE', { timeout: 60_000 });
  const rows = page.getByTestId('tracking-run-row');
  await expect(rows).toHaveCount(3, { timeout: 20_000 });
  // The picker names experiments; no number in brackets that would read as a run count.
  await expect(page.getByTestId('tracking-experiment-select').locator('option:checked')).toHaveText(
    'e2e-sweep',
  );
  const table = page.getByTestId('tracking-runs-table');
  await expect(table.getByRole('columnheader', { name: /alpha/ })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: /rmse/ })).toBeVisible();

  // Sorting by a metric asks the server (order_by) and says so with aria-sort.
  const rmseHeader = table.getByRole('columnheader', { name: /rmse/ });
  await rmseHeader.getByRole('button').click();
  await expect(rmseHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.first().getByRole('rowheader')).toHaveText(/^alpha-1\.0\b/);
  await rmseHeader.getByRole('button').click();
  await expect(rmseHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(rows.first().getByRole('rowheader')).toHaveText('alpha-0.1');
  await keepScreenshot(page, 'tracking-experiments');
  expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);

  // A filter in MLflow's syntax; a bad one shows the server's message, and the page carries on.
  const filter = page.getByTestId('tracking-filter');
  await filter.fill("metrics.rmse < 0.3 and params.alpha = '1.0'");
  await filter.press('Enter');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByRole('rowheader')).toHaveText(/^alpha-1\.0\b/);
  await filter.fill('metrics.rmse <<< 2');
  await filter.press('Enter');
  await expect(page.getByTestId('tracking-filter-error')).toContainText(/Invalid filter/i);
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('tracking-filter-error')).toBeHidden();

  // Compare two runs: a chart per metric, and the params side by side with the difference marked.
  await rows.filter({ hasText: 'alpha-0.1' }).getByRole('checkbox').check();
  await rows.filter({ hasText: 'alpha-1.0' }).getByRole('checkbox').check();
  await page.getByTestId('tracking-compare-button').click();
  const compare = page.getByTestId('tracking-compare');
  await expect(compare.getByRole('heading', { name: 'Comparing 2 runs' })).toBeVisible();
  await expect(compare.locator('figure').filter({ hasText: 'rmse' }).first()).toContainText(
    /rmse over steps 0–4 for 2 runs/,
  );
  await expect(compare.locator('.recharts-line')).toHaveCount(2);
  const alphaRow = page
    .getByTestId('tracking-compare-table')
    .locator('tbody tr')
    .filter({ has: page.getByRole('rowheader', { name: /alpha/ }) });
  await expect(alphaRow).toHaveAttribute('data-differs', 'true');
  await expect(alphaRow).toContainText('0.1');
  await expect(alphaRow).toContainText('1.0');
  await keepScreenshot(page, 'tracking-compare');
  expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);
  await compare.getByRole('button', { name: 'All runs' }).click();

  // The selection and the rows stayed through the compare view; a run opens its detail.
  await expect(rows.filter({ hasText: 'alpha-0.1' }).getByRole('checkbox')).toBeChecked();
  await rows.filter({ hasText: 'alpha-0.5' }).getByRole('button', { name: 'alpha-0.5' }).click();
  const detail = page.getByTestId('tracking-run-detail');
  await expect(detail.getByRole('heading', { name: 'alpha-0.5' })).toBeVisible();
  await expect(detail.getByRole('region', { name: 'Parameters', exact: true })).toContainText('0.5');
  await expect(detail.locator('[data-metric="rmse"] .recharts-line')).toHaveCount(1);
  await detail.getByRole('button', { name: /config\.json/ }).click();
  const preview = page.getByTestId('tracking-artifact-preview');
  await expect(preview.locator('pre')).toContainText('"alpha": 0.5');
  // Artifact text is text: the markup in it is shown, never rendered.
  await expect(preview.locator('pre')).toContainText('<b>not html</b>');
  await expect(preview.locator('b')).toHaveCount(0);
  await experiments.evaluate((element) => element.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await keepScreenshot(page, 'tracking-run');
  await detail.getByRole('button', { name: 'All runs' }).click();

  // Register the best run from the terminal; the Models tab shows it with stage and alias.
  await runInTerminal(page, terminal, register);
  await expect(screenText(terminal)).toContainText('REGISTERED-alpha-1.0', { timeout: 60_000 });
  await modelsTab.click();
  const models = page.getByTestId('tracking-models');
  await expect(models.getByTestId('tracking-model-row')).toHaveAttribute('data-model', 'e2e-model', {
    timeout: 20_000,
  });
  const version = page.getByTestId('tracking-model-version');
  await expect(version).toHaveCount(1);
  await expect(version).toHaveAttribute('data-version', '1');
  await expect(version.locator('[data-stage]')).toHaveAttribute('data-stage', 'Production');
  await expect(version.locator('[data-alias]')).toHaveText(/@champion/);
  await expect(version.getByTestId('tracking-version-run-link')).toHaveText(/^alpha-1\.0\b/);
  await keepScreenshot(page, 'tracking-models');
  expect(await seriousViolations(page, ['.monaco-editor', '.xterm'])).toEqual([]);

  // Lineage: the version's source run opens in the Experiments tab.
  await version.getByTestId('tracking-version-run-link').click();
  await expect(experimentsTab).toHaveAttribute('aria-selected', 'true');
  await expect(detail.getByRole('heading', { name: 'alpha-1.0' })).toBeVisible();

  // The edit made at the start is still there, unsaved.
  await editorTab.click();
  await expect(editor).toHaveAttribute('data-dirty', 'true');
});

test('a lab without services keeps the editor alone, with no tabs', async ({ page }) => {
  await signUp(page);
  await page.goto('/labs/reproducible-training');
  await expect(page.getByTestId('start-prompt')).toBeVisible();
  await expect(page.getByRole('tablist', { name: 'Work area' })).toHaveCount(0);
});
