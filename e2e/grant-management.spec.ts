import type { Server } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { startCallbackServer } from './support/callback-server';
import { servedOpenApi } from './support/openapi-validate';
import { callApi, discover, grantRequest, managementToken, rawPar, redeemCode, startLinking, validParParams, type ProviderSession } from './support/oauth-client';
import { signIn } from './support/sign-in';
import { DEMO4 } from './support/users';

// Issue 15 §1: FAPI Grant Management for OAuth 2.0 (draft 02), driven with oauth4webapi. demo4 has
// no links of its own, so this file's changes touch nobody else's.
const CLIENT_B = { clientId: 'demo-provider-b', redirectUri: 'http://localhost:4000/callback-b' };

let callbackServer: Server | undefined;
test.beforeAll(async () => {
  callbackServer = await startCallbackServer();
});
test.afterAll(async () => {
  await new Promise((resolve) => callbackServer?.close(resolve));
});

const base = () => test.info().project.use.baseURL!;

/** The customer approves on the consent screen (as it is, or with some items unchecked); the provider redeems the code. */
async function approve(page: Page, session: ProviderSession, uncheck: string[] = []) {
  await page.goto(session.authorizationUrl);
  await expect(page).toHaveURL(/\/consent\//);
  for (const name of uncheck) await page.getByRole('checkbox', { name }).uncheck();
  await page.getByRole('button', { name: '同意する' }).click();
  await page.waitForURL((url) => url.href.startsWith(CLIENT_B.redirectUri));
  return (await redeemCode(session, page.url(), CLIENT_B.redirectUri)) as Awaited<ReturnType<typeof redeemCode>> & { grant_id?: string };
}

const checkboxNames = (page: Page) => page.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));

test('a provider creates, updates, replaces, queries and revokes its grant; the customer sees each change in the link history', async ({ page }) => {
  const as = await discover(base());
  expect(as.grant_management_endpoint).toBe(`${base()}/oauth/grants`);
  expect(as.grant_management_actions_supported).toEqual(expect.arrayContaining(['create', 'update', 'replace', 'query', 'revoke']));
  expect(as.grant_management_action_required).toBe(false);
  expect(as.scopes_supported).toEqual(expect.arrayContaining(['grant_management_query', 'grant_management_revoke']));

  await signIn(page, DEMO4);
  // create: a new link, and its grant_id in the token response
  const creating = await startLinking(base(), 'balances', { ...CLIENT_B, extra: { grant_management_action: 'create' } });
  const created = await approve(page, creating);
  const grantId = created.grant_id!;
  expect(grantId).toMatch(/^[A-Za-z0-9_-]{20,}$/);

  const management = await managementToken(base(), 'grant_management_query grant_management_revoke', { clientId: CLIENT_B.clientId });
  expect(management.tokens.token_type.toLowerCase()).toBe('dpop');
  const first = await grantRequest(management, 'GET', grantId);
  expect(first.status).toBe(200);
  expect(first.headers.get('cache-control')).toBe('no-store');
  expect(first.body).toMatchObject({ grant_id: grantId, status: 'active', scopes: [{ scope: 'balances', resource: [`${base()}/api/v1`] }] });
  expect((first.body as { accounts: unknown[] }).accounts).toHaveLength(1);
  expect(Date.parse(String((first.body as { expires_at: string }).expires_at))).toBeGreaterThan(Date.now());
  // the answers are the ones the OpenAPI document describes
  const validator = await servedOpenApi(base());
  const documented = (response: Awaited<ReturnType<typeof grantRequest>>, method = 'GET') =>
    validator.validateResponse({ method, path: `/oauth/grants/${grantId}`, status: response.status, contentType: response.headers.get('content-type'), body: response.body });
  expect(documented(first)).toEqual([]);

  // update: the screen shows what is shared now and asks only for what is new; the grant_id stays
  const updating = await startLinking(base(), 'balances statements payees', { ...CLIENT_B, extra: { grant_management_action: 'update', grant_id: grantId } });
  await page.goto(updating.authorizationUrl);
  await expect(page.getByTestId('consent-current')).toContainText('デモ連携アプリB は、いまの連携に項目を追加することを求めています。');
  await expect(page.getByTestId('consent-current')).toContainText('口座残高');
  await expect(page.getByRole('heading', { level: 2, name: '追加を求めている項目' })).toBeVisible();
  expect(await checkboxNames(page)).toEqual(expect.arrayContaining(['statements', 'payees']));
  expect(await checkboxNames(page)).not.toContain('balances');
  await expectNoAxeViolations(page);
  const updated = await approve(page, updating, ['登録済の振込先']);
  expect(updated.grant_id).toBe(grantId);
  expect(new Set(updated.scope?.split(' '))).toEqual(new Set(['balances', 'statements']));
  const afterUpdate = await grantRequest(management, 'GET', grantId);
  expect(new Set((afterUpdate.body as { scopes: { scope: string }[] }).scopes[0]!.scope.split(' '))).toEqual(new Set(['balances', 'statements']));
  // the first access token goes on working for what it carried
  expect((await callApi(creating, created.access_token, '/api/v1/accounts', { baseURL: base() })).status).toBe(200);

  // replace: the screen says what stops; afterwards the grant is exactly what was approved
  const replacing = await startLinking(base(), 'payees', { ...CLIENT_B, extra: { grant_management_action: 'replace', grant_id: grantId } });
  await page.goto(replacing.authorizationUrl);
  await expect(page.getByTestId('consent-current')).toContainText('同意すると、チェックした項目だけが提供され、ほかの項目の提供は止まります。');
  await expect(page.getByTestId('consent-current')).toContainText('口座残高、お取引明細');
  const replaced = await approve(page, replacing);
  expect(replaced.grant_id).toBe(grantId);
  expect((await grantRequest(management, 'GET', grantId)).body).toMatchObject({ scopes: [{ scope: 'payees' }] });
  // what the replace took away is refused at once, with the token that was issued for it
  expect((await callApi(updating, updated.access_token, '/api/v1/accounts', { baseURL: base() })).status).toBe(403);
  expect((await callApi(replacing, replaced.access_token, '/api/v1/payees', { baseURL: base() })).status).toBe(200);

  // the customer's link page: each change in the history, newest first
  await page.goto('/');
  await page.getByRole('link', { name: 'デモ連携アプリB の詳細・変更' }).click();
  const history = page.getByTestId('history').locator('li');
  await expect(history.nth(0)).toContainText('事業者の求めにより、連携の内容を変更しました（追加：登録済の振込先、提供停止：口座残高・お取引明細）');
  await expect(history.nth(1)).toContainText('事業者の求めにより、連携の内容を変更しました（追加：お取引明細）');
  await expect(history.nth(2)).toContainText('連携に同意しました');
  await expect(page.getByTestId(`item-payees`)).toBeVisible();

  // revoke: 204, the link stops (Art. 5.1) and every token with it; the grant is gone
  const revoked = await grantRequest(management, 'DELETE', grantId);
  expect(revoked.status).toBe(204);
  expect((await callApi(replacing, replaced.access_token, '/api/v1/payees', { baseURL: base() })).status).toBe(401);
  const gone = await grantRequest(management, 'GET', grantId);
  expect(gone.status).toBe(404);
  expect(documented(gone)).toEqual([]);
  expect((await grantRequest(management, 'DELETE', grantId)).status).toBe(404);
  await page.reload();
  await expect(page.getByTestId('history').locator('li').first()).toContainText('連携を停止しました');
  // and an update of the ended grant is refused at PAR
  const late = await rawPar(base(), await validParParams({ redirect_uri: CLIENT_B.redirectUri, grant_management_action: 'update', grant_id: grantId }), { clientId: CLIENT_B.clientId });
  expect(late).toMatchObject({ status: 400, body: { error: 'invalid_grant_id' } });
});

test('the authorization request errors of the draft, and the management endpoint refuses what is not the caller’s', async ({ page }) => {
  const par = (params: Record<string, string>, clientId = CLIENT_B.clientId) =>
    validParParams({ ...(clientId === CLIENT_B.clientId ? { redirect_uri: CLIENT_B.redirectUri } : {}), ...params }).then((p) => rawPar(base(), p, { clientId }));
  expect(await par({ grant_management_action: 'create', grant_id: 'anything' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  expect(await par({ grant_id: 'anything' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  expect(await par({ grant_management_action: 'update' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  expect(await par({ grant_management_action: 'delete-everything' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  expect(await par({ grant_management_action: 'replace', grant_id: 'no-such-grant' })).toMatchObject({ status: 400, body: { error: 'invalid_grant_id' } });

  await signIn(page, DEMO4);
  const tokens = await approve(page, await startLinking(base(), 'balances', CLIENT_B));
  const grantId = tokens.grant_id!;
  // Without an action the default is create, and the token response still names the grant.
  expect(grantId).toBeTruthy();
  // Another provider may neither change nor see it.
  expect(await par({ grant_management_action: 'update', grant_id: grantId }, 'demo-provider')).toMatchObject({ status: 400, body: { error: 'invalid_grant_id' } });
  const other = await managementToken(base(), 'grant_management_query grant_management_revoke');
  expect((await grantRequest(other, 'GET', grantId)).status).toBe(404);
  expect((await grantRequest(other, 'DELETE', grantId)).status).toBe(404);

  // A query-only token cannot revoke; no token, or a customer's API token, is not a management token.
  const queryOnly = await managementToken(base(), 'grant_management_query', { clientId: CLIENT_B.clientId });
  const refused = await grantRequest(queryOnly, 'DELETE', grantId);
  expect(refused.status).toBe(403);
  expect(refused.headers.get('www-authenticate')).toContain('insufficient_scope');
  expect((await fetch(`${base()}/oauth/grants/${grantId}`)).status).toBe(401);
  const asCustomerToken = await grantRequest({ ...queryOnly, accessToken: tokens.access_token }, 'GET', grantId);
  expect(asCustomerToken.status).toBe(401);
  // A management token is no good at the API either.
  const session = await startLinking(base(), 'balances', CLIENT_B);
  expect((await callApi(session, queryOnly.accessToken, '/api/v1/accounts', { baseURL: base() })).status).toBe(401);

  // The grant is live and still the customer's: the query says so.
  expect((await grantRequest(queryOnly, 'GET', grantId)).body).toMatchObject({ grant_id: grantId, status: 'active' });
  const stop = await grantRequest(await managementToken(base(), 'grant_management_revoke', { clientId: CLIENT_B.clientId }), 'DELETE', grantId);
  expect(stop.status).toBe(204);
});
