import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { chromium } from '@playwright/test';

// Playwright's own Chromium when it is installed; otherwise the system's (Debian: /usr/bin/chromium).
function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (fs.existsSync(chromium.executablePath())) return undefined;
  } catch {
    // not installed
  }
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

const PORT = Number(process.env.E2E_PORT ?? 3917);
const baseURL = `http://localhost:${PORT}`;
process.env.E2E_RUN_ID ??= String(Date.now());

const launchOptions = {
  executablePath: chromiumExecutable(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export default defineConfig({
  testDir: './e2e',
  // Several instances behind a load balancer: their own run (playwright.cluster.config.ts).
  testIgnore: ['**/cluster/**'],
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    launchOptions,
  },
  projects: [
    { name: 'setup', testMatch: /.*\.setup\.ts/, use: { ...devices['Desktop Chrome'], launchOptions } },
    {
      name: 'portal',
      testMatch: /.*\.spec\.ts/,
      dependencies: ['setup'],
      use: { ...devices['Desktop Chrome'], launchOptions, locale: 'ja-JP' },
    },
    // After everything else: the whole run's server log, the metrics it produced, then a shutdown.
    { name: 'operations', testMatch: /.*\.check\.ts/, dependencies: ['portal'], use: { ...devices['Desktop Chrome'], launchOptions } },
  ],
  webServer: {
    // A fresh embedded database each run (or the PostgreSQL server when DATABASE_URL is set).
    command: `bash scripts/e2e-server.sh ${PORT}`,
    url: `${baseURL}/terms`,
    reuseExistingServer: false,
    timeout: 120_000,
    // The server's whole log is in data/logs/e2e-server.log; its warnings and errors come on stderr.
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
