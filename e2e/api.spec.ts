import type { Server } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { startCallbackServer } from './support/callback-server';
import { callApi, DEMO_REDIRECT_URI, dpopProof, postApi, redeemCode, refresh, revoke, startLinking, type ProviderSession } from './support/oauth-client';
import { OpenApiValidator, servedOpenApi, type OpenApiDocument } from './support/openapi-validate';
import { STORAGE } from './support/users';

// The provider API enforces the live consent on every call (demo2 links the demo providers), and
// every response is checked against the OpenAPI document the server publishes.
let callbackServer: Server | undefined;
test.beforeAll(async () => {
  callbackServer = await startCallbackServer();
});
test.afterAll(async () => {
  await new Promise((resolve) => callbackServer?.close(resolve));
});
test.use({ storageState: STORAGE.demo2 });

const CLIENT_B = { clientId: 'demo-provider-b', redirectUri: 'http://localhost:4000/callback-b' };
const NO_SUCH_ACCOUNT = '00000000-0000-4000-8000-000000000000';

function base(): string {
  return test.info().project.use.baseURL!;
}

/** Links with the given items (demo2's ordinary and time deposits, and the card loan if asked) and returns the tokens. */
async function link(
  page: Page,
  scope: string,
  uncheck: string[] = [],
  client?: { clientId: string; redirectUri: string },
  options: { cardLoan?: boolean } = {},
): Promise<{ session: ProviderSession; accessToken: string }> {
  const session = await startLinking(base(), scope, client ?? {});
  await page.goto(session.authorizationUrl);
  for (const name of uncheck) await page.getByRole('checkbox', { name: new RegExp(`^${name}`) }).uncheck();
  await page.getByRole('checkbox', { name: /^定期預金/ }).check();
  if (options.cardLoan) await page.getByRole('checkbox', { name: /^カードローン/ }).check();
  await page.getByRole('button', { name: '同意する' }).click();
  const redirectUri = client?.redirectUri ?? DEMO_REDIRECT_URI;
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  const tokens = await redeemCode(session, page.url(), redirectUri);
  return { session, accessToken: tokens.access_token };
}

type ApiResponse = { status: number; body: Record<string, unknown>; headers: Headers };

/** The response must be exactly what the served OpenAPI document says for its operation and status. */
async function conforms<R extends ApiResponse>(method: string, path: string, response: R): Promise<R> {
  const validator = await servedOpenApi(base());
  const problems = validator.validateResponse({ method, path, status: response.status, contentType: response.headers.get('content-type'), body: response.body });
  expect(problems, `${method} ${path} → ${response.status} against /api/v1/openapi.json`).toEqual([]);
  return response;
}

/** A provider's client for one access token; every response is validated against the document. */
function provider(session: ProviderSession, accessToken: string) {
  return {
    get: async (path: string, options: { proof?: string; scheme?: string } = {}) => conforms('GET', path, await callApi(session, accessToken, path, { baseURL: base(), ...options })),
    post: async (path: string, body: unknown, key?: string) =>
      conforms('POST', path, await postApi(session, accessToken, path, typeof body === 'string' ? body : JSON.stringify(body), { baseURL: base(), key })),
  };
}

function expectChallenge(response: ApiResponse, error: 'invalid_token' | 'invalid_dpop_proof' | 'insufficient_scope', code: string) {
  expect(response.headers.get('www-authenticate')).toContain(`DPoP error="${error}"`);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body.type).toBe(`https://renkei.example/problems/${code}`);
}

test('reads accounts, balances and payees with a DPoP-bound token; the customer sees the use; revoking an item and stopping the link apply to the very next call', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances statements payees', ['お取引明細']);
  const api = provider(session, accessToken);

  const accounts = await api.get('/api/v1/accounts');
  expect(accounts.status).toBe(200);
  const list = accounts.body.accounts as { id: string; type: string; masked_number: string }[];
  expect(list.map((a) => a.type)).toEqual(['ordinary', 'time']);
  expect(list[0]!.masked_number).toMatch(/^\*+\d{4}$/);
  const ordinary = list[0]!.id;

  const balance = await api.get(`/api/v1/accounts/${ordinary}/balance`);
  expect(balance.status).toBe(200);
  expect(balance.body).toMatchObject({ account_id: ordinary, currency: 'JPY' });
  expect(Number.isInteger(balance.body.balance)).toBe(true);

  const payees = await api.get('/api/v1/payees');
  expect(payees.status).toBe(200);
  expect((payees.body.payees as unknown[]).length).toBe(3);
  expect((await api.get('/api/v1/payees')).status).toBe(200);
  // refused calls are not counted
  expect((await api.get(`/api/v1/accounts/${ordinary}/transactions`)).status).toBe(403);

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
    .toBe(4); // accounts, balance, payees ×2
  // what was shared, when: the same calls per item and day, as a table (issue 14 §5)
  const byItem = page.getByTestId('usage-by-item');
  await byItem.locator('summary').click();
  const table = byItem.getByRole('table');
  await expect(table.getByRole('columnheader', { name: '登録済の振込先' })).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(2); // the header and today
  await expect(table.getByRole('row').nth(1).getByRole('cell').last()).toHaveText('4');
  await expectNoAxeViolations(page);
  // statements were declined: the chained connection that would receive them receives nothing now
  await expect(page.locator('section[aria-labelledby="chained-title"]')).toContainText('デモ分析サービス');
  await expect(page.locator('section[aria-labelledby="chained-title"]')).toContainText('現在はありません（受け取る項目をいずれも提供していません）');

  // revoking an item in the portal is in force for the very next call
  await page.getByRole('switch', { name: '登録済の振込先', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: '提供を停止する' }).click();
  await expect(page.getByTestId('action-result').filter({ hasText: '「登録済の振込先」の提供を停止しました。' })).toBeVisible();
  expectChallenge(await api.get('/api/v1/payees'), 'insufficient_scope', 'insufficient-scope');
  expect((await api.get(`/api/v1/accounts/${ordinary}/balance`)).status).toBe(200);

  // stopping the link: the next call is refused (its tokens are revoked with it)
  await page.getByRole('button', { name: '連携を停止する' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '連携を停止する' }).click();
  await expect(page.getByTestId('link-status')).toContainText('連携停止済み');
  const stopped = await api.get(`/api/v1/accounts/${ordinary}/balance`);
  expect(stopped.status).toBe(401);
  expectChallenge(stopped, 'invalid_token', 'invalid-token');
});

// Every reason to refuse a call, one test each, on one link (balances and payees; statements not approved).
test.describe('each denial has its own answer', () => {
  let shared: { session: ProviderSession; accessToken: string; ordinary: string };

  test.beforeAll(async ({ browser }, testInfo) => {
    const context = await browser.newContext({ storageState: STORAGE.demo2, baseURL: testInfo.project.use.baseURL, locale: 'ja-JP' });
    const page = await context.newPage();
    const { session, accessToken } = await link(page, 'balances statements payees', ['お取引明細']);
    await context.close();
    const accounts = await callApi(session, accessToken, '/api/v1/accounts', { baseURL: testInfo.project.use.baseURL! });
    shared = { session, accessToken, ordinary: (accounts.body.accounts as { id: string; type: string }[]).find((a) => a.type === 'ordinary')!.id };
  });

  test('a plain Bearer token: 401 invalid_token', async () => {
    const api = provider(shared.session, shared.accessToken);
    const bearer = await api.get('/api/v1/accounts', { scheme: 'Bearer' });
    expect(bearer.status).toBe(401);
    expectChallenge(bearer, 'invalid_token', 'invalid-token');
    expect((await api.get('/api/v1/accounts')).status).toBe(200); // the same token as DPoP works
  });

  test('an unknown access token: 401 invalid_token', async () => {
    const unknown = await provider(shared.session, 'not-a-token-of-this-server').get('/api/v1/payees');
    expect(unknown.status).toBe(401);
    expectChallenge(unknown, 'invalid_token', 'invalid-token');
  });

  test('a replayed DPoP proof: 401 invalid_dpop_proof', async () => {
    const api = provider(shared.session, shared.accessToken);
    const first = await callApi(shared.session, shared.accessToken, '/api/v1/payees', { baseURL: base() });
    expect(first.status).toBe(200);
    const replay = await api.get('/api/v1/payees', { proof: first.proof });
    expect(replay.status).toBe(401);
    expectChallenge(replay, 'invalid_dpop_proof', 'invalid-dpop-proof');
  });

  test('a proof made for another URL (htu): 401 invalid_dpop_proof', async () => {
    const url = `${base()}/api/v1/payees`;
    const proof = await dpopProof(shared.session.dpopKeys, { method: 'GET', url, accessToken: shared.accessToken, htu: `${base()}/api/v1/accounts` });
    const wrongHtu = await provider(shared.session, shared.accessToken).get('/api/v1/payees', { proof });
    expect(wrongHtu.status).toBe(401);
    expectChallenge(wrongHtu, 'invalid_dpop_proof', 'invalid-dpop-proof');
    expect(wrongHtu.body.detail).toContain('htu');
  });

  test('a proof for another method, a stale proof, or one signed with another key: 401', async () => {
    const api = provider(shared.session, shared.accessToken);
    const url = `${base()}/api/v1/payees`;
    const wrongMethod = await api.get('/api/v1/payees', { proof: await dpopProof(shared.session.dpopKeys, { method: 'POST', url, accessToken: shared.accessToken }) });
    expectChallenge(wrongMethod, 'invalid_dpop_proof', 'invalid-dpop-proof');
    const stale = await api.get('/api/v1/payees', { proof: await dpopProof(shared.session.dpopKeys, { method: 'GET', url, accessToken: shared.accessToken, iat: Math.floor(Date.now() / 1000) - 600 }) });
    expectChallenge(stale, 'invalid_dpop_proof', 'invalid-dpop-proof');
    // a valid proof of a key the token is not bound to
    const otherKeys = (await startLinking(base(), 'balances')).dpopKeys;
    const otherKey = await api.get('/api/v1/payees', { proof: await dpopProof(otherKeys, { method: 'GET', url, accessToken: shared.accessToken }) });
    expect(otherKey.status).toBe(401);
    expectChallenge(otherKey, 'invalid_token', 'invalid-token');
  });

  test('an item the customer did not approve: 403 insufficient_scope', async () => {
    const statements = await provider(shared.session, shared.accessToken).get(`/api/v1/accounts/${shared.ordinary}/transactions`);
    expect(statements.status).toBe(403);
    expectChallenge(statements, 'insufficient_scope', 'insufficient-scope');
  });

  test('an account outside the consent: 404 with exactly the body of an account that does not exist', async ({ page }) => {
    // demo2's card loan exists (another provider is given it) but is not in this consent
    const other = await link(page, 'balances', [], CLIENT_B, { cardLoan: true });
    const otherAccounts = (await provider(other.session, other.accessToken).get('/api/v1/accounts')).body.accounts as { id: string; type: string }[];
    const cardLoan = otherAccounts.find((a) => a.type === 'card_loan')!.id;
    const api = provider(shared.session, shared.accessToken);
    const outside = await api.get(`/api/v1/accounts/${cardLoan}/balance`);
    expect(outside.status).toBe(404);
    const missing = await api.get(`/api/v1/accounts/${NO_SUCH_ACCOUNT}/balance`);
    expect(missing.status).toBe(404);
    expect(outside.body).toEqual(missing.body);
    expect(outside.headers.get('content-type')).toBe(missing.headers.get('content-type'));
    const malformed = await api.get('/api/v1/accounts/not-an-id/balance');
    expect(malformed.status).toBe(404);
    expect(malformed.body).toEqual(missing.body);
    expect((await api.get(`/api/v1/accounts/${cardLoan}/transactions`)).status).toBe(403); // the item check comes first
  });
});

test('tokens live with the link, not with the customer’s browser session at the authorization server (Art. 4)', async ({ page, request }) => {
  const session = await startLinking(base(), 'balances', CLIENT_B);
  await page.goto(session.authorizationUrl);
  await page.getByRole('button', { name: '同意する' }).click();
  await page.waitForURL((url) => url.href.startsWith(CLIENT_B.redirectUri));
  const tokens = await redeemCode(session, page.url(), CLIENT_B.redirectUri);
  expect(tokens.refresh_token).toBeTruthy();
  // As if the customer's 30-minute session at the bank had run out.
  const ended = await request.post('/api/sandbox/end-oauth-sessions', { headers: { Origin: base() } });
  expect(ended.status()).toBe(200);
  expect(((await ended.json()) as { ended: number }).ended).toBeGreaterThan(0);
  expect((await provider(session, tokens.access_token).get('/api/v1/accounts')).status).toBe(200);
  const refreshed = await refresh(session, tokens.refresh_token!);
  expect((await provider(session, refreshed.access_token).get('/api/v1/accounts')).status).toBe(200);
});

test('a token the provider revoked: 401 invalid_token, and the link stops (Art. 5.1)', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances', [], CLIENT_B);
  const api = provider(session, accessToken);
  expect((await api.get('/api/v1/accounts')).status).toBe(200);
  await revoke(session, accessToken);
  const revoked = await api.get('/api/v1/accounts');
  expect(revoked.status).toBe(401);
  expectChallenge(revoked, 'invalid_token', 'invalid-token');
  // stopped: under past links (issue 14 §3)
  await page.goto('/?view=past');
  await expect(page.getByRole('article', { name: 'デモ連携アプリB', exact: true }).locator('span[data-status]')).toHaveText('連携停止済み');
});

test('statements page newest first with a cursor and a date range; bad parameters are 400 problem+json', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances statements');
  const api = provider(session, accessToken);
  const accounts = (await api.get('/api/v1/accounts')).body.accounts as { id: string; type: string }[];
  const ordinary = accounts.find((a) => a.type === 'ordinary')!.id;
  const first = await api.get(`/api/v1/accounts/${ordinary}/transactions`);
  expect(first.status).toBe(200);
  const rows = first.body.transactions as { id: string; booked_at: string }[];
  expect(rows.length).toBeGreaterThan(0);
  const times = rows.map((r) => Date.parse(r.booked_at));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  if (first.body.next_cursor) {
    const next = await api.get(`/api/v1/accounts/${ordinary}/transactions?cursor=${first.body.next_cursor as string}`);
    expect(next.status).toBe(200);
    const more = next.body.transactions as { id: string }[];
    expect(more.some((m) => rows.some((r) => r.id === m.id))).toBe(false);
  }
  const today = new Date().toISOString().slice(0, 10);
  const empty = await api.get(`/api/v1/accounts/${ordinary}/transactions?from=2000-01-01&to=2000-02-01`);
  expect(empty.body.transactions).toEqual([]);
  expect((await api.get(`/api/v1/accounts/${ordinary}/transactions?to=${today}`)).status).toBe(200);
  const bad = await api.get(`/api/v1/accounts/${ordinary}/transactions?from=yesterday`);
  expect(bad.status).toBe(400);
  expect(bad.headers.get('content-type')).toContain('application/problem+json');
  expect((await api.get(`/api/v1/accounts/${ordinary}/transactions?cursor=garbage`)).status).toBe(400);
});

test('a transfers-only provider can list the accounts in the consent (to debit one); payees alone cannot', async ({ page }) => {
  const transfersOnly = await link(page, 'payees transfers');
  const listed = await provider(transfersOnly.session, transfersOnly.accessToken).get('/api/v1/accounts');
  expect(listed.status).toBe(200);
  expect((listed.body.accounts as { type: string }[]).map((a) => a.type)).toEqual(['ordinary', 'time']);
  const payeesOnly = await link(page, 'payees');
  expectChallenge(await provider(payeesOnly.session, payeesOnly.accessToken).get('/api/v1/accounts'), 'insufficient_scope', 'insufficient-scope');
});

test('transfers are validated, idempotent, debit the account and show in the link history', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances payees transfers');
  const api = provider(session, accessToken);
  const post = (body: unknown, key?: string) => api.post('/api/v1/transfers', body, key);
  const accounts = (await api.get('/api/v1/accounts')).body.accounts as { id: string; type: string }[];
  const ordinary = accounts.find((a) => a.type === 'ordinary')!.id;
  const time = accounts.find((a) => a.type === 'time')!.id;
  const payee = ((await api.get('/api/v1/payees')).body.payees as { id: string }[])[0]!.id;
  const before = (await api.get(`/api/v1/accounts/${ordinary}/balance`)).body.balance as number;

  const transfer = { from_account_id: ordinary, payee_id: payee, amount: 12_345, memo: 'rent' };
  const created = await post(transfer, 'key-transfer-1');
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ status: 'completed', amount: 12_345, currency: 'JPY', balance_after: before - 12_345 });
  // same key, same body → the same response, no second debit
  const again = await post(transfer, 'key-transfer-1');
  expect(again.status).toBe(201);
  expect(again.body).toEqual(created.body);
  expect(again.raw).toBe(created.raw); // byte for byte: a provider may hash or sign responses
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect((await api.get(`/api/v1/accounts/${ordinary}/balance`)).body.balance).toBe(before - 12_345);
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
  expect((await post({ ...transfer, payee_id: NO_SUCH_ACCOUNT }, 'key-payee')).status).toBe(422);
  expect((await post({ ...transfer, amount: 9_999_999 }, 'key-too-much')).body).toMatchObject({ status: 422 });
  expect((await post({ ...transfer, from_account_id: NO_SUCH_ACCOUNT }, 'key-acct')).status).toBe(404);

  // the customer sees the instruction in the link's history
  await page.goto('/');
  await page.getByRole('link', { name: 'デモ連携アプリ の詳細・変更', exact: true }).click();
  await expect(page.getByTestId('history').locator('li').first()).toContainText('12,345円');
});

test('concurrent POSTs with one Idempotency-Key run once: one 201, the others replay it or are told it is in flight (409)', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances payees transfers');
  const api = provider(session, accessToken);
  const ordinary = ((await api.get('/api/v1/accounts')).body.accounts as { id: string; type: string }[]).find((a) => a.type === 'ordinary')!.id;
  const payee = ((await api.get('/api/v1/payees')).body.payees as { id: string }[])[0]!.id;
  const before = (await api.get(`/api/v1/accounts/${ordinary}/balance`)).body.balance as number;

  const amount = 7_531;
  const body = JSON.stringify({ from_account_id: ordinary, payee_id: payee, amount, memo: 'race' });
  const key = `race-${test.info().testId}-${Date.now()}`;
  const url = `${base()}/api/v1/transfers`;
  const N = 5;
  // proofs first, so the N requests leave together
  const proofs = await Promise.all(Array.from({ length: N }, () => dpopProof(session.dpopKeys, { method: 'POST', url, accessToken })));
  const responses = await Promise.all(
    proofs.map(async (proof) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `DPoP ${accessToken}`, DPoP: proof, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body,
      });
      return conforms('POST', '/api/v1/transfers', { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> });
    }),
  );

  // exactly one request executed the instruction; the others replayed its result or were in flight
  const executed = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true');
  const replayed = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true');
  const inFlight = responses.filter((r) => r.status === 409);
  expect(executed).toHaveLength(1);
  expect(replayed.length + inFlight.length).toBe(N - 1);
  for (const r of replayed) expect(r.body).toEqual(executed[0]!.body);
  for (const r of inFlight) {
    expect(r.body.type).toBe('https://renkei.example/problems/idempotency-key-in-flight');
    expect(r.headers.get('retry-after')).toBe('5');
  }
  test.info().annotations.push({ type: 'idempotency', description: `${N} concurrent: 1 executed, ${replayed.length} replayed, ${inFlight.length} in flight (409)` });

  // one debit, one instruction; a retry now gets the stored result
  expect((await api.get(`/api/v1/accounts/${ordinary}/balance`)).body.balance).toBe(before - amount);
  const retry = await api.post('/api/v1/transfers', body, key);
  expect(retry.status).toBe(201);
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  expect(retry.body).toEqual(executed[0]!.body);
  await page.goto('/');
  await page.getByRole('link', { name: 'デモ連携アプリ の詳細・変更', exact: true }).click();
  await expect(page.getByTestId('history').locator('li').filter({ hasText: '7,531円' })).toHaveCount(1);
});

test('a path the API does not have: 404 problem+json, whatever the method', async ({ request }) => {
  for (const response of [await request.get('/api/v1/nope'), await request.post('/api/v1/accounts/x/nope', { data: {} })]) {
    expect(response.status()).toBe(404);
    expect(response.headers()['content-type']).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'https://renkei.example/problems/not-found', status: 404 });
  }
});

test('the response check against the OpenAPI document can fail: wrong bodies, statuses and content types are rejected', async ({ request }) => {
  const doc = (await (await request.get('/api/v1/openapi.json')).json()) as OpenApiDocument;
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.servers[0]!.url).toBe(`${base()}/api/v1`);
  const validator = new OpenApiValidator(doc);
  const id = NO_SUCH_ACCOUNT;
  const balance = { account_id: id, type: 'ordinary', balance: 1000, currency: 'JPY', as_of: new Date().toISOString() };
  const check = (status: number, body: unknown, contentType = 'application/json', path = `/api/v1/accounts/${id}/balance`) =>
    validator.validateResponse({ method: 'GET', path, status, contentType, body });
  expect(check(200, balance)).toEqual([]);
  expect(check(200, { ...balance, balance: '1000' })).not.toEqual([]); // wrong type
  expect(check(200, { ...balance, balance: 10.5 })).not.toEqual([]); // not integer yen
  expect(check(200, { ...balance, currency: 'USD' })).not.toEqual([]); // const
  expect(check(200, { ...balance, type: 'savings' })).not.toEqual([]); // enum
  expect(check(200, { ...balance, as_of: 'yesterday' })).not.toEqual([]); // date-time
  expect(check(200, { ...balance, account_id: 'x' })).not.toEqual([]); // uuid
  expect(check(200, { ...balance, extra: 1 })).not.toEqual([]); // no undocumented fields
  const { as_of: _missing, ...withoutAsOf } = balance;
  expect(check(200, withoutAsOf)).not.toEqual([]); // required
  expect(check(200, balance, 'text/html')).not.toEqual([]); // content type
  expect(check(418, balance)).not.toEqual([]); // undocumented status
  expect(check(404, { title: 'Not Found' }, 'application/problem+json')).not.toEqual([]); // a problem needs type, status, detail
  expect(check(200, {}, 'application/json', '/api/v1/accounts')).not.toEqual([]); // the list is required
  expect(check(200, { accounts: [{ id }] }, 'application/json', '/api/v1/accounts')).not.toEqual([]); // $ref into components is followed
  expect(validator.validateResponse({ method: 'GET', path: '/api/v1/nowhere', status: 200, contentType: 'application/json', body: {} })).not.toEqual([]);
  expect(validator.validateRequest('POST', '/api/v1/transfers', { from_account_id: id, payee_id: id, amount: 0 })).not.toEqual([]);
});

test('direct-debit applications and fund movements (Art. 3.2(2)(3)), idempotent, in the history', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances direct_debit_applications direct_debit_transfers', [], CLIENT_B);
  const api = provider(session, accessToken);
  const post = (path: string, body: unknown, key: string) => api.post(path, body, key);
  const ordinary = ((await api.get('/api/v1/accounts')).body.accounts as { id: string; type: string }[]).find((a) => a.type === 'ordinary')!.id;

  const application = { account_id: ordinary, biller_name: 'れんけい電力', biller_code: 'DENKI-01', customer_reference: 'C-12345' };
  const applied = await post('/api/v1/direct-debit/applications', application, 'dd-app-1');
  expect(applied.status).toBe(201);
  expect(applied.body).toMatchObject({ status: 'active', biller_name: 'れんけい電力' });
  expect((await post('/api/v1/direct-debit/applications', application, 'dd-app-1')).body).toEqual(applied.body);
  expect((await post('/api/v1/direct-debit/applications', { ...application, biller_code: 'bad code!' }, 'dd-app-2')).status).toBe(400);

  const before = (await api.get(`/api/v1/accounts/${ordinary}/balance`)).body.balance as number;
  const moved = await post('/api/v1/direct-debit/transfers', { agreement_id: applied.body.id, amount: 4_321 }, 'dd-tr-1');
  expect(moved.status).toBe(201);
  expect(moved.body).toMatchObject({ status: 'completed', amount: 4_321, balance_after: before - 4_321 });
  expect((await post('/api/v1/direct-debit/transfers', { agreement_id: NO_SUCH_ACCOUNT, amount: 1 }, 'dd-tr-2')).status).toBe(422);
  // without the item: transfers are not granted on this link
  expect((await post('/api/v1/transfers', { from_account_id: ordinary, payee_id: ordinary, amount: 1 }, 'dd-tr-3')).status).toBe(403);

  await page.goto('/');
  await page.getByRole('link', { name: 'デモ連携アプリB の詳細・変更' }).click();
  await expect(page.getByTestId('history').locator('li').first()).toContainText('4,321円');
  await expect(page.getByTestId('history')).toContainText('「れんけい電力」の口座振替のお申込みを受け付けました');
});

test('revoking an item in the portal while the provider calls in a loop: no call sent after the revoke returned succeeds (SPEC §4)', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances payees', [], CLIENT_B);
  const api = provider(session, accessToken);
  const ordinary = ((await api.get('/api/v1/accounts')).body.accounts as { id: string; type: string }[]).find((a) => a.type === 'ordinary')!.id;
  const path = `/api/v1/accounts/${ordinary}/balance`;
  await page.goto('/');
  await page.getByRole('link', { name: 'デモ連携アプリB の詳細・変更' }).click();
  const balances = page.getByRole('switch', { name: '口座残高', exact: true });
  await expect(balances).toHaveAttribute('aria-checked', 'true');

  // One call at a time, each with a fresh DPoP proof; record when each was sent.
  const calls: { sentAt: number; response: ApiResponse }[] = [];
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const sentAt = Date.now();
      calls.push({ sentAt, response: await callApi(session, accessToken, path, { baseURL: base() }) });
    }
  })();
  let revokeReturnedAt = Number.POSITIVE_INFINITY;
  try {
    await expect.poll(() => calls.filter((c) => c.response.status === 200).length).toBeGreaterThanOrEqual(3);
    await balances.click();
    await page.getByRole('dialog').getByRole('button', { name: '提供を停止する' }).click();
    await expect(page.getByTestId('action-result').filter({ hasText: '「口座残高」の提供を停止しました。' })).toBeVisible();
    revokeReturnedAt = Date.now(); // the portal shows the result: the revoke has returned
    await expect.poll(() => calls.filter((c) => c.sentAt > revokeReturnedAt).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
  } finally {
    stop = true;
    await loop;
  }

  const before = calls.filter((c) => c.sentAt <= revokeReturnedAt);
  const after = calls.filter((c) => c.sentAt > revokeReturnedAt);
  expect(before.filter((c) => c.response.status === 200).length).toBeGreaterThanOrEqual(3);
  expect(after.map((c) => c.response.status)).toEqual(after.map(() => 403));
  for (const c of after) expectChallenge(c.response, 'insufficient_scope', 'insufficient-scope');
  // calls are sequential, so once one was refused none after it succeeded
  const firstRefused = calls.findIndex((c) => c.response.status !== 200);
  expect(calls.slice(firstRefused).every((c) => c.response.status === 403)).toBe(true);
  await conforms('GET', path, calls[0]!.response);
  await conforms('GET', path, calls.at(-1)!.response);
  test.info().annotations.push({ type: 'revoke race', description: `${before.length} calls before the revoke returned (${before.filter((c) => c.response.status === 403).length} already refused), ${after.length} after` });

  // balances is an information item: it comes back without a one-time password, and so does access
  await balances.click();
  await expect(page.getByTestId('action-result').filter({ hasText: '「口座残高」の提供を再開しました。' })).toBeVisible();
  await expect(balances).toHaveAttribute('aria-checked', 'true');
  expect((await api.get(path)).status).toBe(200);
});

test('a burst over the per-link limit (Art. 6): 429 problem+json with Retry-After and RateLimit headers, as documented', async ({ page }) => {
  const { session, accessToken } = await link(page, 'balances');
  const url = `${base()}/api/v1/accounts`;
  const N = 25;
  const proofs = await Promise.all(Array.from({ length: N }, () => dpopProof(session.dpopKeys, { method: 'GET', url, accessToken })));
  const responses = await Promise.all(proofs.map((proof) => callApi(session, accessToken, '/api/v1/accounts', { baseURL: base(), proof })));
  const limited = responses.filter((r) => r.status === 429);
  const allowed = responses.filter((r) => r.status === 200);
  expect(allowed.length).toBeGreaterThanOrEqual(1);
  expect(limited.length).toBeGreaterThanOrEqual(1);
  expect(allowed.length + limited.length).toBe(N);
  for (const response of limited) {
    await conforms('GET', '/api/v1/accounts', response);
    expect(response.body).toMatchObject({ type: 'https://renkei.example/problems/rate-limited', status: 429, limit: 'link' });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(response.headers.get('ratelimit-policy')).toBe('"provider";q=50;w=1, "link";q=10;w=1');
    expect(response.headers.get('ratelimit')).toMatch(/"link";r=0;t=\d+/);
  }
  // An allowed answer says what is left.
  expect(allowed[0]!.headers.get('ratelimit')).toMatch(/^"provider";r=\d+;t=\d+, "link";r=\d+;t=\d+$/);
});

test('the token endpoint: a burst from one provider gets 429 with Retry-After once over its limit', async ({ request }) => {
  const clientId = `burst-${Date.now()}`;
  const responses = await Promise.all(
    Array.from({ length: 20 }, () => request.post('/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: 'nope', client_id: clientId } })),
  );
  const limited = responses.filter((r) => r.status() === 429);
  expect(limited.length).toBeGreaterThanOrEqual(1);
  // The rest reached the authorization server, which refused the unknown client itself.
  expect(responses.filter((r) => r.status() !== 429).every((r) => r.status() === 400 || r.status() === 401)).toBe(true);
  const first = limited[0]!;
  expect(await first.json()).toMatchObject({ error: 'too_many_requests' });
  expect(Number(first.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(first.headers()['ratelimit-policy']).toBe('"token";q=10;w=1');
});
