import { defineConfig, devices } from '@playwright/test';
import { FIXTURE_NOW } from './fixtures/prng';
import { E2E_DB, E2E_STORE_KEY, HOUSECALL_URL, localEnv, portOf, SANDBOX_ORIGIN, SERVER_LOG } from './scripts/env';
import { housecallServerArgs } from './scripts/server-command';

/**
 * End-to-end tests against the sandbox EHR, in Debian's Chromium. The sandbox and Housecall
 * run on different sites (127.0.0.1 and localhost), so Housecall inside the EHR page is a
 * cross-site iframe, as in production. `npm run test:e2e` builds Housecall first.
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  use: {
    baseURL: HOUSECALL_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: [
    {
      command: 'npx tsx sandbox/main.ts',
      url: `${SANDBOX_ORIGIN}/health`,
      // The tests assert the fixtures' own days (FIXTURE_NOW), whatever SANDBOX_DATES the shell has.
      env: { ...localEnv(), SANDBOX_DATES: 'fixed' },
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
    },
    {
      // The server's log goes to a file that e2e/zz-logs.spec.ts searches for seeded patient data.
      command: `mkdir -p .data && exec node ${housecallServerArgs(portOf(HOUSECALL_URL)).join(' ')} > ${SERVER_LOG} 2>&1`,
      url: `${HOUSECALL_URL}/`,
      // The care-team dashboard measures the age of data against the server's clock, while the
      // sandbox keeps the fixtures' own days: its year before "stale" starts at FIXTURE_NOW.
      env: localEnv({ HOUSECALL_DB: E2E_DB, HOUSECALL_ENV: 'test', LOG_LEVEL: 'info', HOUSECALL_DISCOVERY_CACHE_SECONDS: '0', HOUSECALL_STORE_KEY: E2E_STORE_KEY, HOUSECALL_STALE_AFTER_DAYS: String(365 + daysSinceFixtureDay()) }),
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      stdout: 'ignore',
    },
  ],
});

/** Whole days from the fixtures' day to now (0 before it). */
function daysSinceFixtureDay(): number {
  return Math.max(0, Math.floor((Date.now() - Date.parse(FIXTURE_NOW)) / 86_400_000));
}
