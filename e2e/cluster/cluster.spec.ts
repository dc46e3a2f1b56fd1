import type { Server } from 'node:http';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startCallbackServer } from '../support/callback-server';
import { callApi, DEMO_REDIRECT_URI, postApi, redeemCode, refresh, revoke, startLinking } from '../support/oauth-client';
import { signIn } from '../support/sign-in';
import { DEMO, DEMO2 } from '../support/users';

// Issue 13 §2: two instances on one PostgreSQL behind HAProxy, round-robin, no sticky sessions
// (scripts/cluster.sh, started by playwright.cluster.config.ts). With `X-Renkei-Pin` a test says
// which instance a request goes to, and every answer says which one it came from
// (`X-Renkei-Instance`), so each step below is known to have run where it says.

type Instance = 'a' | 'b';
let callbackServer: Server | undefined;

// The provider's back end (oauth4webapi and fetch in this process): every request it sends goes to
// the instance pinned at that moment, and who answered is recorded.
const realFetch = globalThis.fetch;
let pinned: Instance | null = null;
const answered: Array<{ pinned: Instance | null; by: string | null; url: string }> = [];
test.beforeAll(async () => {
  callbackServer = await startCallbackServer();
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (pinned) request.headers.set('x-renkei-pin', pinned);
    const response = await realFetch(request);
    answered.push({ pinned, by: response.headers.get('x-renkei-instance'), url: request.url });
    return response;
  };
});
test.afterAll(async () => {
  globalThis.fetch = realFetch;
  await new Promise((resolve) => callbackServer?.close(resolve));
});

function base(): string {
  return test.info().project.use.baseURL!;
}

/** Runs the provider's step on one instance, and checks that that instance answered every request of it. */
async function on<T>(instance: Instance, step: () => Promise<T>): Promise<T> {
  const from = answered.length;
  pinned = instance;
  try {
    return await step();
  } finally {
    pinned = null;
    const mine = answered.slice(from);
    expect(mine.length, `requests sent to ${instance}`).toBeGreaterThan(0);
    expect(mine.filter((r) => r.by !== instance).map((r) => `${r.url} answered by ${r.by}`)).toEqual([]);
  }
}

/** The customer's browser, its requests sent to one instance (changed with `pin`). */
async function pin(context: BrowserContext, instance: Instance): Promise<void> {
  await context.setExtraHTTPHeaders({ 'x-renkei-pin': instance });
}

async function instanceOf(page: Page, path: string): Promise<string | null> {
  const response = await page.goto(path);
  return response?.headers()['x-renkei-instance'] ?? null;
}

test('the load balancer sends consecutive requests to both instances in turn, with no stickiness', async () => {
  const by: string[] = [];
  for (let i = 0; i < 6; i++) by.push((await realFetch(`${base()}/api/health/ready`)).headers.get('x-renkei-instance') ?? '?');
  expect(by.filter((b) => b === 'a')).toHaveLength(3);
  expect(by.filter((b) => b === 'b')).toHaveLength(3);
  // and a pinned request goes where it is pinned (what every step below relies on)
  for (const instance of ['a', 'b'] as const) {
    expect((await realFetch(`${base()}/api/health/ready`, { headers: { 'x-renkei-pin': instance } })).headers.get('x-renkei-instance')).toBe(instance);
  }
});

test('one customer and one provider across two instances: session, PAR, consent, token, API, idempotency, revocations', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: base(), locale: 'ja-JP' });
  const page = await context.newPage();

  // Signed in on A; the session is valid on B.
  await pin(context, 'a');
  await signIn(page, DEMO2);
  await pin(context, 'b');
  expect(await instanceOf(page, '/')).toBe('b');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'ログアウト' })).toBeVisible();

  // PAR on A; authorization and consent on B; the code redeemed on A; the API on B.
  const session = await on('a', () => startLinking(base(), 'balances payees transfers'));
  await page.goto(session.authorizationUrl);
  await page.getByRole('checkbox', { name: /^定期預金/ }).check();
  await page.getByRole('button', { name: '同意する' }).click();
  await page.waitForURL((url) => url.href.startsWith(DEMO_REDIRECT_URI));
  const tokens = await on('a', () => redeemCode(session, page.url()));
  const accounts = await on('b', () => callApi(session, tokens.access_token, '/api/v1/accounts', { baseURL: base() }));
  expect(accounts.status).toBe(200);
  const ordinary = (accounts.body.accounts as { id: string; type: string }[]).find((a) => a.type === 'ordinary')!.id;
  const payee = ((await on('b', () => callApi(session, tokens.access_token, '/api/v1/payees', { baseURL: base() }))).body.payees as { id: string }[])[0]!.id;
  const balance = async (instance: Instance) =>
    (await on(instance, () => callApi(session, tokens.access_token, `/api/v1/accounts/${ordinary}/balance`, { baseURL: base() }))).body.balance as number;
  const before = await balance('b');

  // One Idempotency-Key sent to A, then to B: one transfer, the same answer byte for byte.
  const key = `cluster-${Date.now()}`;
  const transfer = JSON.stringify({ from_account_id: ordinary, payee_id: payee, amount: 4_321, memo: 'cluster' });
  const first = await on('a', () => postApi(session, tokens.access_token, '/api/v1/transfers', transfer, { baseURL: base(), key }));
  expect(first.status).toBe(201);
  const replay = await on('b', () => postApi(session, tokens.access_token, '/api/v1/transfers', transfer, { baseURL: base(), key }));
  expect(replay.status).toBe(201);
  expect(replay.raw).toBe(first.raw);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(await balance('a')).toBe(before - 4_321);

  // An item revoked in the portal on A is refused on B at the very next call.
  await pin(context, 'a');
  await page.goto('/');
  await page.getByRole('link', { name: 'デモ連携アプリ の詳細・変更', exact: true }).click();
  const balancesSwitch = page.getByRole('switch', { name: '口座残高', exact: true });
  await balancesSwitch.click();
  await page.getByRole('dialog').getByRole('button', { name: '提供を停止する' }).click();
  await expect(page.getByTestId('action-result').filter({ hasText: '「口座残高」の提供を停止しました。' })).toBeVisible();
  const refused = await on('b', () => callApi(session, tokens.access_token, `/api/v1/accounts/${ordinary}/balance`, { baseURL: base() }));
  expect(refused.status).toBe(403);

  // The provider revokes its refresh token on B (Art. 5.1: the link stops); a refresh on A fails.
  await on('b', () => revoke(session, tokens.refresh_token!));
  await expect(on('a', () => refresh(session, tokens.refresh_token!))).rejects.toThrow();
  const afterStop = await on('a', () => callApi(session, tokens.access_token, '/api/v1/payees', { baseURL: base() }));
  expect(afterStop.status).toBe(401);
  // and the portal on B shows the link stopped
  await pin(context, 'b');
  await page.reload();
  await expect(page.getByText('連携停止済み').first()).toBeVisible();
  await context.close();
});

test('the sign-in lockout is counted in the database: five wrong passwords spread over both instances lock the ID there', async ({ browser }) => {
  const network = { 'X-Forwarded-For': '2001:db8:77::1' };
  const context = await browser.newContext({ baseURL: base(), locale: 'ja-JP' });
  const page = await context.newPage();
  const generic = 'ログオンIDまたはログオンパスワードが正しくありません';
  const attempt = async (instance: Instance, password: string) => {
    await context.setExtraHTTPHeaders({ ...network, 'x-renkei-pin': instance });
    await page.goto('/login');
    await page.getByLabel('ログオンID').fill(DEMO.logonId);
    await page.getByLabel('ログオンパスワード').fill(password);
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
    await page.getByRole('button', { name: '次へ' }).click();
    expect((await answer).headers()['x-renkei-instance']).toBe(instance);
  };
  for (let i = 0; i < 5; i++) {
    await attempt(i % 2 === 0 ? 'a' : 'b', `wrong-${i}`);
    await expect(page.getByRole('alert').filter({ hasText: generic })).toBeVisible();
  }
  // the right password, on either instance, from that network: refused
  for (const instance of ['a', 'b'] as const) {
    await attempt(instance, DEMO.password);
    await expect(page).not.toHaveURL(/\/login\/otp/);
    await expect(page.getByRole('alert').filter({ hasText: generic })).toBeVisible();
  }
  await context.close();
});
