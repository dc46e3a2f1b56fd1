import { defineConfig, devices } from '@playwright/test';
import base from './playwright.config';

// Issue 13 §2: the end-to-end tests of two instances behind HAProxy on one PostgreSQL
// (scripts/cluster.sh). Needs DATABASE_URL (a PostgreSQL database of its own), a build and haproxy;
// .ci/run runs it after the main suites. Usage: DATABASE_URL=… npx playwright test -c playwright.cluster.config.ts
const PORT = Number(process.env.E2E_CLUSTER_PORT ?? 3930);
const baseURL = `http://localhost:${PORT}`;
if (!process.env.DATABASE_URL) throw new Error('playwright.cluster.config.ts: set DATABASE_URL to a PostgreSQL database for the cluster (PGlite is one process’s)');

export default defineConfig({
  ...base,
  testDir: './e2e/cluster',
  testIgnore: [],
  outputDir: './test-results/cluster',
  use: { ...base.use, baseURL },
  projects: [{ name: 'cluster', testMatch: /.*\.spec\.ts/, use: { ...devices['Desktop Chrome'], launchOptions: base.use?.launchOptions, locale: 'ja-JP' } }],
  webServer: {
    // The sandbox with its test hooks, as the main suite's server (scripts/e2e-server.sh).
    command: `env RENKEI_MODE=sandbox RENKEI_E2E_HOOKS=1 LOG_FORMAT=json bash scripts/cluster.sh --instances 2 --port ${PORT} --pin`,
    url: `${baseURL}/api/health/ready`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
