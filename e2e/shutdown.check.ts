import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { openPglite, rowsOf } from '@/lib/db/connect';
import { startCallbackServer } from './support/callback-server';
import { callApi, DEMO_REDIRECT_URI, dpopProof, redeemCode, startLinking } from './support/oauth-client';
import { signIn } from './support/sign-in';
import { DEMO2 } from './support/users';

// A server of its own (embedded database in data/e2e-shutdown), taken down with SIGTERM while
// providers are calling it (docs/operations.md, "Shutdown").
const PORT = 3929;
const ORIGIN = `http://localhost:${PORT}`;
const DIR = path.join('data', 'e2e-shutdown');

let server: ChildProcess | undefined;
let callbackServer: Server | undefined;
test.afterAll(async () => {
  server?.kill('SIGKILL');
  await new Promise((resolve) => callbackServer?.close(resolve));
});

async function waitReady(): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    const ready = await fetch(`${ORIGIN}/api/health/ready`).then((r) => r.status === 200, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the shutdown test server did not become ready');
}

test('SIGTERM under load: no response cut off, usage counts flushed, exit 0, the data folder reopens at once', async ({ browser }) => {
  test.setTimeout(120_000);
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.rmSync(`${DIR}.lock`, { force: true });
  const output: string[] = [];
  server = spawn('bash', ['scripts/start.sh', String(PORT)], {
    env: { ...process.env, DATABASE_URL: '', PGLITE_DIR: 'e2e-shutdown', RENKEI_MODE: 'sandbox', PUBLIC_ORIGIN: ORIGIN, LOG_FORMAT: 'json', RATE_LIMIT_LINK_PER_S: '100000', RATE_LIMIT_PROVIDER_PER_S: '100000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => server?.once('exit', (code) => resolve(code)));
  await waitReady();

  // A provider with a live link (demo2 consents on this server).
  callbackServer = await startCallbackServer();
  const context = await browser.newContext({ baseURL: ORIGIN, locale: 'ja-JP' });
  const page = await context.newPage();
  await signIn(page, DEMO2);
  const session = await startLinking(ORIGIN, 'balances');
  await page.goto(session.authorizationUrl);
  await page.getByRole('button', { name: '同意する' }).click();
  await page.waitForURL((url) => url.href.startsWith(DEMO_REDIRECT_URI));
  const { access_token: accessToken } = await redeemCode(session, page.url());
  await context.close();
  const accounts = await callApi(session, accessToken, '/api/v1/accounts', { baseURL: ORIGIN });
  expect(accounts.status).toBe(200);
  const account = (accounts.body.accounts as Array<{ id: string }>)[0]!.id;

  // Four providers' worth of callers until the server is gone.
  const outcomes = { ok: 1, notStarted: 0, cutOff: 0, otherStatus: 0, afterSignal: 0 };
  let signalledAt = Number.POSITIVE_INFINITY;
  let stop = false;
  const caller = async () => {
    while (!stop) {
      const url = `${ORIGIN}/api/v1/accounts/${account}/balance`;
      let response: Response;
      try {
        const proof = await dpopProof(session.dpopKeys, { method: 'GET', url, accessToken });
        response = await fetch(url, { headers: { Authorization: `DPoP ${accessToken}`, DPoP: proof } });
      } catch {
        outcomes.notStarted += 1; // refused or closed before any response: nothing was served
        if (Date.now() > signalledAt) stop = true;
        continue;
      }
      try {
        const body = (await response.json()) as { balance?: number };
        if (response.status === 200 && typeof body.balance === 'number') {
          outcomes.ok += 1;
          if (Date.now() > signalledAt) outcomes.afterSignal += 1;
        } else outcomes.otherStatus += 1;
      } catch {
        outcomes.cutOff += 1; // headers came, the body did not: a response cut off
      }
    }
  };
  const callers = Array.from({ length: 4 }, () => caller());
  await new Promise((resolve) => setTimeout(resolve, 1500));
  signalledAt = Date.now();
  server.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000))]);
  stop = true;
  await Promise.all(callers);
  server = undefined;

  expect(code).toBe(0);
  expect(outcomes.cutOff).toBe(0);
  expect(outcomes.otherStatus).toBe(0);
  expect(outcomes.ok).toBeGreaterThan(20);
  const log = output.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; steps?: string[] });
  expect(log.find((l) => l.msg === 'stopped')?.steps).toEqual(['stop housekeeping', 'stop event delivery (leases released)', 'flush usage counts', 'flush call figures', 'close the database']);

  // The folder is free at once, and every answered call was counted (none lost in memory).
  const database = await openPglite(path.resolve(DIR));
  try {
    const result = await database.db.execute(sql`
      select coalesce(sum(u.count), 0)::int as calls
      from link_usage_daily u
      where u.link_id = (select id from links order by consented_at desc limit 1)`);
    expect(Number(rowsOf<{ calls: number }>(result)[0]?.calls)).toBe(outcomes.ok);
  } finally {
    await database.close();
  }
});
