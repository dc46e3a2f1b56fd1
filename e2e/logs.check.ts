import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { DEMO, DEMO2, DEMO3_UNREGISTERED, OPERATOR, STAFF, STORAGE } from './support/users';

// Runs after every other end-to-end test (playwright.config.ts, project "operations"), on the log
// the server wrote during the whole run (scripts/e2e-server.sh keeps it in data/logs).
const LOG = path.join('data', 'logs', 'e2e-server.log');
const TOKENS = path.join('data', 'logs', 'e2e-tokens.txt');
const METRICS_TOKEN = process.env.METRICS_TOKEN ?? 'e2e-metrics-token-0123456789abcdef0123';
type Line = { level: string; msg: string; reqId?: string; route?: string; principal?: string; method?: string; status?: number; durationMs?: number; component?: string };

function readLog(): Line[] {
  return fs
    .readFileSync(LOG, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Line;
      } catch {
        throw new Error(`not a JSON log line: ${line.slice(0, 200)}`);
      }
    });
}

async function linesOf(requestId: string, until: (lines: Line[]) => boolean): Promise<Line[]> {
  for (let i = 0; i < 50; i += 1) {
    const mine = readLog().filter((l) => l.reqId === requestId);
    if (until(mine)) return mine;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return readLog().filter((l) => l.reqId === requestId);
}

test('every line of a request carries its id: the incoming X-Request-Id, a traceparent trace id, or a new one returned in X-Request-Id', async ({ request }) => {
  const given = `e2e-${randomBytes(4).toString('hex')}`;
  const refused = await request.get('/api/v1/payees', { headers: { 'X-Request-Id': given, Authorization: 'DPoP not-a-token', DPoP: 'not-a-proof' } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()['x-request-id']).toBe(given);
  const mine = await linesOf(given, (lines) => lines.some((l) => l.msg === 'request'));
  // The app's own line (the refusal and its reason) and the access line share the id.
  expect(mine.map((l) => l.msg).sort()).toEqual(['provider API call refused', 'request']);
  expect(mine.find((l) => l.msg === 'request')).toMatchObject({ method: 'GET', route: '/api/v1/payees', status: 401, principal: 'anonymous' });

  const trace = randomBytes(16).toString('hex');
  const traced = await request.get('/api/health', { headers: { traceparent: `00-${trace}-${randomBytes(8).toString('hex')}-01` } });
  expect(traced.headers()['x-request-id']).toBe(trace);
  const made = await request.get('/api/health');
  expect(made.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect((await linesOf(trace, (lines) => lines.length > 0))[0]).toMatchObject({ msg: 'request', route: '/api/health', status: 200 });
});

test('over the whole run: one access line per request with its route pattern and principal, and no request without an id', () => {
  const lines = readLog();
  const access = lines.filter((l) => l.msg === 'request');
  expect(access.length).toBeGreaterThan(500);
  for (const line of access) {
    expect(line.reqId, JSON.stringify(line)).toBeTruthy();
    expect(typeof line.durationMs).toBe('number');
    // Patterns, never raw ids.
    expect(line.route, JSON.stringify(line)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  }
  const principals = new Set(access.map((l) => l.principal));
  expect(principals).toContain('customer');
  expect(principals).toContain('staff');
  expect(principals).toContain('provider:demo-provider');
  expect(access.some((l) => l.route === '/links/[id]')).toBe(true);
  expect(access.some((l) => l.route === '/oauth/token' && l.principal === 'provider:demo-provider')).toBe(true);
  // Node 24: oidc-provider has nothing to warn about the runtime.
  expect(lines.some((l) => /Unsupported runtime/i.test(l.msg))).toBe(false);
});

test('no password, one-time-password secret, token or cookie value of the run is in the log', () => {
  const log = fs.readFileSync(LOG, 'utf8');
  const secrets: Array<[string, string]> = [];
  for (const user of [DEMO, DEMO2, DEMO3_UNREGISTERED, STAFF, OPERATOR]) {
    secrets.push([`password of ${user.logonId}`, user.password], [`TOTP secret of ${user.logonId}`, user.totpSecret]);
  }
  const tokens = fs.readFileSync(TOKENS, 'utf8').split('\n').filter(Boolean);
  expect(tokens.length).toBeGreaterThan(10);
  for (const token of tokens) secrets.push(['a token issued during the run', token]);
  for (const file of Object.values(STORAGE)) {
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as { cookies: Array<{ name: string; value: string }> };
    for (const cookie of state.cookies) if (cookie.value.length >= 16) secrets.push([`cookie ${cookie.name}`, cookie.value]);
  }
  const found = secrets.filter(([, value]) => log.includes(value)).map(([what]) => what);
  expect(found).toEqual([]);
});

test.describe('/metrics', () => {
  test('is not public: 401 without credentials, 403 for read-only staff', async ({ browser, request }) => {
    expect((await request.get('/metrics')).status()).toBe(401);
    expect((await request.get('/metrics', { headers: { Authorization: 'Bearer wrong-token-wrong-token-wrong-token' } })).status()).toBe(401);
    const staff = await browser.newContext({ storageState: STORAGE.staff });
    expect((await staff.request.get('/metrics')).status()).toBe(403);
    await staff.close();
    const operator = await browser.newContext({ storageState: STORAGE.operator });
    const asOperator = await operator.request.get('/metrics');
    expect(asOperator.status()).toBe(200);
    await operator.close();
  });

  test('a provider call moves its counter; the run shows requests, sign-ins, grants and the outbox', async ({ request }) => {
    const read = async () => {
      const response = await request.get('/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('text/plain');
      return response.text();
    };
    const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"()[\]|.+*?^$]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const series = 'renkei_api_decisions_total{outcome="refused",status="401",reason="invalid-token"}';
    const before = await read();
    await request.get('/api/v1/accounts', { headers: { Authorization: 'Bearer x' } });
    const after = await read();
    expect(value(after, series)).toBe(value(before, series) + 1);
    expect(value(after, 'renkei_api_decisions_total{outcome="allowed",status="200",reason=""}')).toBeGreaterThan(0);
    expect(value(after, 'renkei_sign_ins_total{realm="customer",step="otp",outcome="success"}')).toBeGreaterThan(0);
    expect(value(after, 'renkei_token_grants_total{grant_type="authorization_code",result="success"}')).toBeGreaterThan(0);
    expect(after.split('\n').some((l) => l.startsWith('http_request_duration_seconds_bucket{') && l.includes('le="0.1"') && l.includes('route="/api/health"'))).toBe(true);
    expect(after).toMatch(/^renkei_outbox_pending_events \d+$/m);
    expect(after).toMatch(/^renkei_db_connections\{state="max"\} \d+$/m);
    expect(after).toMatch(/^process_resident_memory_bytes \d+$/m);
  });
});

test.describe('the service figures (operators)', () => {
  test('GET /api/operations/report: 401, 403 for read-only staff, and the run’s calls for the metrics token', async ({ browser, request }) => {
    expect((await request.get('/api/operations/report')).status()).toBe(401);
    const staff = await browser.newContext({ storageState: STORAGE.staff });
    expect((await staff.request.get('/api/operations/report')).status()).toBe(403);
    await staff.close();
    const response = await request.get('/api/operations/report', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status()).toBe(200);
    const report = (await response.json()) as {
      timeZone: string;
      days: Array<{ date: string; invocations: { authenticated: number; unauthenticated: number; total: number }; rejections: number; performance: { within1000Ms: number } }>;
      lastHourByProvider: Array<{ clientId: string; calls: number; rejected: number }>;
    };
    expect(report.timeZone).toBe('Asia/Tokyo');
    expect(report.days).toHaveLength(8);
    const today = report.days[0]!;
    expect(today.date).toBe(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date()));
    // The run called the API with and without valid tokens, and went over a link's limit.
    expect(today.invocations.authenticated).toBeGreaterThan(50);
    expect(today.invocations.unauthenticated).toBeGreaterThan(0);
    expect(today.rejections).toBeGreaterThan(0);
    expect(today.performance.within1000Ms).toBeGreaterThan(0.5);
    const demo = report.lastHourByProvider.find((r) => r.clientId === 'demo-provider');
    expect(demo?.calls).toBeGreaterThan(10);
    expect(demo?.rejected).toBeGreaterThan(0);
  });

  test('the service page: now, the last hour per provider, the daily report; operators only; axe; 390 px', async ({ browser }) => {
    const staff = await browser.newContext({ storageState: STORAGE.staff });
    const forbidden = await staff.newPage();
    expect((await forbidden.goto('/staff/service'))?.status()).toBe(403);
    await staff.close();

    const operator = await browser.newContext({ storageState: STORAGE.operator, viewport: { width: 390, height: 844 } });
    const page = await operator.newPage();
    await page.goto('/staff/service');
    await expect(page.getByRole('heading', { level: 1, name: 'サービス状況' })).toBeVisible();
    await expect(page.getByTestId('service-maintenance')).toContainText(/メンテナンス/);
    await expect(page.getByTestId('service-outbox')).toBeVisible();
    const demoRow = page.getByTestId('service-last-hour').locator('tr[data-client-id="demo-provider"]');
    await expect(demoRow).toBeVisible();
    await expect(page.getByTestId('service-daily').locator('tbody tr')).toHaveCount(8);
    await expect(page.getByTestId('service-daily').locator('tbody tr').first()).toContainText('本日');
    // The tables scroll inside their region; the page itself does not scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'test-results/service-phone.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: 'サービス状況' }).first().click();
    await expect(page).toHaveURL(/\/staff\/service$/);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'test-results/service-desktop.png', fullPage: true });
    await operator.close();
  });
});
