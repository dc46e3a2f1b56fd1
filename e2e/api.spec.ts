import type { Server } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { startCallbackServer } from './support/callback-server';
import { callApi, DEMO_REDIRECT_URI, dpopProof, postApi, redeemCode, startLinking, type ProviderSession } from './support/oauth-client';
import { STORAGE } from './support/users';

// The provider API enforces the live consent on every call (demo2 links the demo provider).
let callbackServer: Server | undefined;
test.beforeAll(async () => {
  callbackServer = await startCallbackServer();
});
test.afterAll(async () => {
  await new Promise((resolve) => callbackServer?.close(resolve));
});
test.use({ storageState: STORAGE.demo2 });

function base(): string {
  return test.info().project.use.baseURL!;
}

/** Links with the given items (all of demo2's accounts but the card loan) and returns the tokens. */
async function link(page: Page, scope: string, uncheck: string[] = [], client?: { clientId: string; redirectUri: string }): Promise<{ session: ProviderSession; accessToken: string }> {
  const session = await startLinking(base(), scope, client ?? {});
  await page.goto(session.authorizationUrl);
  for (const name of uncheck) await page.getByRole('checkbox', { name: new RegExp(`^${name}`) }).uncheck();
  await page.getByRole('checkbox', { name: /^定期預金/ }).check();
  await page.getByRole('button', { name: '同意する' }).click();
  const redirectUri = client?.redirectUri ?? DEMO_REDIRECT_URI;
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  const tokens = await redeemCode(session, page.url(), redirectUri);
  return { session, accessToken: tokens.access_token };
}

test('reads accounts, balances, statements and payees with a DPoP-bound token; every denial has its own answer', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances statements payees', ['お取引明細']);
  const api = (path: string, options: { proof?: string; scheme?: string } = {}) => callApi(session, accessToken, path, { baseURL: base(), ...options });

  const accounts = await api('/api/v1/accounts');
  expect(accounts.status).toBe(200);
  const list = accounts.body.accounts as { id: string; type: string; masked_number: string }[];
  expect(list.map((a) => a.type)).toEqual(['ordinary', 'time']);
  expect(list[0]!.masked_number).toMatch(/^\*+\d{4}$/);
  const ordinary = list[0]!.id;

  const balance = await api(`/api/v1/accounts/${ordinary}/balance`);
  expect(balance.status).toBe(200);
  expect(balance.body).toMatchObject({ account_id: ordinary, currency: 'JPY' });
  expect(Number.isInteger(balance.body.balance)).toBe(true);

  const payees = await api('/api/v1/payees');
  expect(payees.status).toBe(200);
  expect((payees.body.payees as unknown[]).length).toBe(3);

  // statements were not approved → 403 insufficient_scope
  const statements = await api(`/api/v1/accounts/${ordinary}/transactions`);
  expect(statements.status).toBe(403);
  expect(statements.headers.get('www-authenticate')).toContain('insufficient_scope');
  expect(statements.headers.get('content-type')).toContain('application/problem+json');

  // an account outside the consent reads exactly like one that does not exist
  const outside = await api('/api/v1/accounts/00000000-0000-4000-8000-000000000000/balance');
  expect(outside.status).toBe(404);
  const malformed = await api('/api/v1/accounts/not-an-id/balance');
  expect(malformed.status).toBe(404);
  expect(malformed.body).toEqual(outside.body);

  // plain Bearer → 401 invalid_token
  const bearer = await api('/api/v1/accounts', { scheme: 'Bearer' });
  expect(bearer.status).toBe(401);
  expect(bearer.headers.get('www-authenticate')).toContain('error="invalid_token"');

  // a replayed proof → 401
  const first = await api('/api/v1/payees');
  expect(first.status).toBe(200);
  const replay = await api('/api/v1/payees', { proof: first.proof });
  expect(replay.status).toBe(401);
  expect(replay.headers.get('www-authenticate')).toContain('invalid_dpop_proof');

  // wrong htu, stale iat, another key → 401
  const url = `${base()}/api/v1/payees`;
  expect((await api('/api/v1/payees', { proof: await dpopProof(session.dpopKeys, { method: 'GET', url, accessToken, htu: `${base()}/api/v1/accounts` }) })).status).toBe(401);
  expect((await api('/api/v1/payees', { proof: await dpopProof(session.dpopKeys, { method: 'GET', url, accessToken, iat: Math.floor(Date.now() / 1000) - 600 }) })).status).toBe(401);
  const otherKeys = (await startLinking(base(), 'balances')).dpopKeys;
  expect((await api('/api/v1/payees', { proof: await dpopProof(otherKeys, { method: 'GET', url, accessToken }) })).status).toBe(401);
  expect((await callApi(session, 'not-a-token', '/api/v1/payees', { baseURL: base() })).status).toBe(401);

  // the customer sees the provider's use (counts are written in batches within seconds)
  await page.goto('/');
  await page.getByRole('link', { name: 'デモ連携アプリ の詳細・変更', exact: true }).click();
  await expect(page).toHaveURL(/\/links\//);
  await expect
    .poll(async () => {
      await page.reload();
      const total = page.getByTestId('usage-total');
      return (await total.count()) === 0 ? 0 : Number(await total.getAttribute('data-total'));
    }, { timeout: 30_000, intervals: [2_000] })
    .toBe(4); // accounts, balance, payees ×2: refused calls are not counted
  await expectNoAxeViolations(page);

  // revoking an item in the portal is in force for the very next call
  await page.getByRole('switch', { name: '登録済の振込先', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: '提供を停止する' }).click();
  await expect(page.getByTestId('action-result').filter({ hasText: '「登録済の振込先」の提供を停止しました。' })).toBeVisible();
  expect((await api('/api/v1/payees')).status).toBe(403);
  expect((await api(`/api/v1/accounts/${ordinary}/balance`)).status).toBe(200);

  // stopping the link: the next call is refused
  await page.getByRole('button', { name: '連携を停止する' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '連携を停止する' }).click();
  await expect(page.getByTestId('link-status')).toContainText('連携停止済み');
  const stopped = await api(`/api/v1/accounts/${ordinary}/balance`);
  expect(stopped.status).toBe(401);
  expect(stopped.headers.get('www-authenticate')).toContain('invalid_token');
});

test('statements page newest first with a cursor and a date range; bad parameters are 400 problem+json', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances statements');
  const api = (path: string) => callApi(session, accessToken, path, { baseURL: base() });
  const accounts = (await api('/api/v1/accounts')).body.accounts as { id: string; type: string }[];
  const ordinary = accounts.find((a) => a.type === 'ordinary')!.id;
  const first = await api(`/api/v1/accounts/${ordinary}/transactions`);
  expect(first.status).toBe(200);
  const rows = first.body.transactions as { id: string; booked_at: string }[];
  expect(rows.length).toBeGreaterThan(0);
  const times = rows.map((r) => Date.parse(r.booked_at));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  if (first.body.next_cursor) {
    const next = await api(`/api/v1/accounts/${ordinary}/transactions?cursor=${first.body.next_cursor as string}`);
    expect(next.status).toBe(200);
    const more = next.body.transactions as { id: string }[];
    expect(more.some((m) => rows.some((r) => r.id === m.id))).toBe(false);
  }
  const today = new Date().toISOString().slice(0, 10);
  const empty = await api(`/api/v1/accounts/${ordinary}/transactions?from=2000-01-01&to=2000-02-01`);
  expect(empty.body.transactions).toEqual([]);
  expect((await api(`/api/v1/accounts/${ordinary}/transactions?to=${today}`)).status).toBe(200);
  const bad = await api(`/api/v1/accounts/${ordinary}/transactions?from=yesterday`);
  expect(bad.status).toBe(400);
  expect(bad.headers.get('content-type')).toContain('application/problem+json');
  expect((await api(`/api/v1/accounts/${ordinary}/transactions?cursor=garbage`)).status).toBe(400);
});

test('transfers are validated, idempotent, debit the account and show in the link history', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances payees transfers');
  const get = (path: string) => callApi(session, accessToken, path, { baseURL: base() });
  const post = (body: unknown, key?: string) => postApi(session, accessToken, '/api/v1/transfers', typeof body === 'string' ? body : JSON.stringify(body), { baseURL: base(), key });
  const accounts = (await get('/api/v1/accounts')).body.accounts as { id: string; type: string }[];
  const ordinary = accounts.find((a) => a.type === 'ordinary')!.id;
  const time = accounts.find((a) => a.type === 'time')!.id;
  const payee = ((await get('/api/v1/payees')).body.payees as { id: string }[])[0]!.id;
  const before = (await get(`/api/v1/accounts/${ordinary}/balance`)).body.balance as number;

  const transfer = { from_account_id: ordinary, payee_id: payee, amount: 12_345, memo: 'rent' };
  const created = await post(transfer, 'key-transfer-1');
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ status: 'completed', amount: 12_345, currency: 'JPY', balance_after: before - 12_345 });
  // same key, same body → the same response, no second debit
  const again = await post(transfer, 'key-transfer-1');
  expect(again.status).toBe(201);
  expect(again.body).toEqual(created.body);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect((await get(`/api/v1/accounts/${ordinary}/balance`)).body.balance).toBe(before - 12_345);
  // same key, another body → 422
  expect((await post({ ...transfer, amount: 1 }, 'key-transfer-1')).status).toBe(422);

  // hostile and invalid input: 4xx problem+json, never 5xx
  for (const [body, status] of [
    ['{not json', 400],
    [{ ...transfer, amount: -5 }, 400],
    [{ ...transfer, amount: 10.5 }, 400],
    [{ ...transfer, amount: '100' }, 400],
    [{ ...transfer, extra: true }, 400],
    ['x'.repeat(5 * 1024 * 1024), 413],
  ] as const) {
    const response = await post(body, `key-bad-${Math.random()}`);
    expect(response.status, JSON.stringify(body).slice(0, 40)).toBe(status);
  }
  expect((await post(transfer)).status).toBe(400); // no Idempotency-Key
  expect((await post({ ...transfer, from_account_id: time }, 'key-time')).status).toBe(422);
  expect((await post({ ...transfer, payee_id: '00000000-0000-4000-8000-000000000000' }, 'key-payee')).status).toBe(422);
  expect((await post({ ...transfer, amount: 9_999_999 }, 'key-too-much')).body).toMatchObject({ status: 422 });
  expect((await post({ ...transfer, from_account_id: '00000000-0000-4000-8000-000000000000' }, 'key-acct')).status).toBe(404);

  // the customer sees the instruction in the link's history
  await page.goto('/');
  await page.getByRole('link', { name: 'デモ連携アプリ の詳細・変更', exact: true }).click();
  await expect(page.getByTestId('history').locator('li').first()).toContainText('12,345円');
});

test('the OpenAPI document is served and the responses have the shapes it names', async ({ page, request }) => {
  const doc = await (await request.get('/api/v1/openapi.json')).json();
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.servers[0].url).toBe(`${base()}/api/v1`);
  const { session, accessToken } = await link(page, 'balances payees');
  const accounts = (await callApi(session, accessToken, '/api/v1/accounts', { baseURL: base() })).body.accounts as Record<string, unknown>[];
  for (const a of accounts) expect(Object.keys(a).sort()).toEqual([...doc.components.schemas.Account.required].sort());
  const payee = ((await callApi(session, accessToken, '/api/v1/payees', { baseURL: base() })).body.payees as Record<string, unknown>[])[0]!;
  expect(Object.keys(payee).sort()).toEqual([...doc.components.schemas.Payee.required].sort());
});

test('direct-debit applications and fund movements (Art. 3.2(2)(3)), idempotent, in the history', async ({ page }) => {
  const client = { clientId: 'demo-provider-b', redirectUri: 'http://localhost:4000/callback-b' };
  const { session, accessToken } = await link(page, 'balances direct_debit_applications direct_debit_transfers', [], client);
  const get = (path: string) => callApi(session, accessToken, path, { baseURL: base() });
  const post = (path: string, body: unknown, key: string) => postApi(session, accessToken, path, JSON.stringify(body), { baseURL: base(), key });
  const ordinary = ((await get('/api/v1/accounts')).body.accounts as { id: string; type: string }[]).find((a) => a.type === 'ordinary')!.id;

  const application = { account_id: ordinary, biller_name: 'れんけい電力', biller_code: 'DENKI-01', customer_reference: 'C-12345' };
  const applied = await post('/api/v1/direct-debit/applications', application, 'dd-app-1');
  expect(applied.status).toBe(201);
  expect(applied.body).toMatchObject({ status: 'active', biller_name: 'れんけい電力' });
  expect((await post('/api/v1/direct-debit/applications', application, 'dd-app-1')).body).toEqual(applied.body);
  expect((await post('/api/v1/direct-debit/applications', { ...application, biller_code: 'bad code!' }, 'dd-app-2')).status).toBe(400);

  const before = (await get(`/api/v1/accounts/${ordinary}/balance`)).body.balance as number;
  const moved = await post('/api/v1/direct-debit/transfers', { agreement_id: applied.body.id, amount: 4_321 }, 'dd-tr-1');
  expect(moved.status).toBe(201);
  expect(moved.body).toMatchObject({ status: 'completed', amount: 4_321, balance_after: before - 4_321 });
  expect((await post('/api/v1/direct-debit/transfers', { agreement_id: '00000000-0000-4000-8000-000000000000', amount: 1 }, 'dd-tr-2')).status).toBe(422);
  // without the item: transfers are not granted on this link
  expect((await post('/api/v1/transfers', { from_account_id: ordinary, payee_id: ordinary, amount: 1 }, 'dd-tr-3')).status).toBe(403);

  await page.goto('/');
  await page.getByRole('link', { name: 'デモ連携アプリB の詳細・変更' }).click();
  await expect(page.getByTestId('history').locator('li').first()).toContainText('4,321円');
  await expect(page.getByTestId('history')).toContainText('「れんけい電力」の口座振替のお申込みを受け付けました');
});
