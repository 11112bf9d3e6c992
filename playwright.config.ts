import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const runnerPort = Number(process.env.E2E_RUNNER_PORT ?? 4100);
const e2eRunnerSecret = 'e2e-runner-secret-0123456789abcdef';
/** The e2e runner's data folder; global-teardown.ts removes every sandbox it made. */
export const e2eRunnerDataDir = 'test-results/e2e/runner';

/** Debian's Chromium (installed by `npm test` when missing); Playwright's own download cannot work offline. */
export const chromiumExecutable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags for Debian's Chromium in a container, offline (the e2e suite and the benchmarks). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright-results.json' }]],
  use: {
    baseURL,
    browserName: 'chromium',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumExecutable,
      args: chromiumArgs,
    },
  },
  // The lab runner (real Docker, the sandbox image built by `npm test`) and the production build
  // (made by `npm test` before this runs), each with its own data: nothing is shared with `npm start`.
  globalTeardown: './tests/e2e/global-teardown.ts',
  webServer: [
    {
      command: `${process.execPath} --import tsx lab-runner/server/main.ts`,
      url: `http://127.0.0.1:${runnerPort}/v1/health`,
      reuseExistingServer: false,
      timeout: 300_000,
      stdout: 'pipe',
      env: {
        RUNNER_PORT: String(runnerPort),
        RUNNER_HOST: '127.0.0.1',
        RUNNER_SECRET: e2eRunnerSecret,
        RUNNER_DATA_DIR: e2eRunnerDataDir,
        POOL_SIZE: '1',
        IDLE_STOP_MINUTES: '30',
      },
    },
    {
      command: 'node_modules/.bin/tsx scripts/platform.ts serve',
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: 'file:./test-results/e2e/academy.db',
        NODE_ENV: 'production',
        RUNNER_URL: `http://127.0.0.1:${runnerPort}`,
        RUNNER_SECRET: e2eRunnerSecret,
        // tests/e2e/fixtures.ts gives each API sign-up an address of its own (rate limits per address).
        TRUST_PROXY: 'true',
      },
    },
  ],
});
