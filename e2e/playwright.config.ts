import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@portrait/fixtures/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  // Parallel local runs (several engineers on one machine) each keep their own artifacts.
  outputDir: process.env.PORTRAIT_E2E_OUT ?? '../test-results',
  fullyParallel: false,
  // Two cores: one browser worker keeps the ML work from starving the servers.
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: [
    ['list'],
    // Fault scenarios (e2e/fault-*) attach one row each; this prints the summary table.
    ['./fault-reporter.ts'],
    ['html', { outputFolder: process.env.PORTRAIT_E2E_REPORT ?? '../playwright-report', open: 'never' }],
  ],
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    },
  },
  webServer: [
    {
      // The demo shop (built by `pnpm build`) and its collector on an in-memory SQLite database.
      command: 'pnpm --filter @portrait/demo serve --db :memory:',
      url: 'http://localhost:5173/',
      // Never reuse: a server left by another run may serve stale builds or stop mid-run.
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
    },
    {
      // Scenario pages under e2e/<scenario>/index.html, with workspace packages and model files.
      command: 'vite --config vite.config.ts',
      cwd: '.',
      url: 'http://localhost:5174/',
      // Never reuse: a server left by another run may serve stale builds or stop mid-run.
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
