import type { Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { startCallbackServer } from './support/callback-server';
import { expectNoAxeViolations } from './support/axe';
import { DEMO_REDIRECT_URI, introspect, redeemCode, refresh, revoke, startLinking } from './support/oauth-client';
import { freshOtp } from './support/otp';
import { DEMO2, STORAGE } from './support/users';

let callbackServer: Server | undefined;
test.beforeAll(async () => {
  callbackServer = await startCallbackServer();
});
test.afterAll(async () => {
  await new Promise((resolve) => callbackServer?.close(resolve));
});

function baseURL(): string {
  return test.info().project.use.baseURL!;
}

// demo2 links here (demo's six links stay as the dashboard tests expect them).
test.describe('consent (Art. 2.1) through the authorization server', () => {
  test.use({ storageState: STORAGE.demo2 });

  test('provider → consent with one item unchecked → code → tokens of exactly the approved items; revocation stops the link', async ({ page }) => {
    const session = await startLinking(baseURL(), 'balances statements payees transfers');
    await page.goto(session.authorizationUrl);
    await expect(page).toHaveURL(/\/consent\//);
    await expect(page.getByRole('heading', { level: 1, name: 'デモ連携アプリが次のことを求めています' })).toBeVisible();
    await expect(page.getByTestId('consent-provider')).toContainText('電子決済等代行業者として登録されています');
    // the purpose of use, from its registration, above the items (issue 14 §1)
    await expect(page.getByTestId('consent-purpose')).toContainText('デモ連携アプリ の利用目的');
    await expect(page.getByTestId('consent-purpose')).toContainText('家計の見える化のため、口座残高と取引明細を取得して家計簿に表示します。');
    const purposeAbove = await page.evaluate(() => {
      const purpose = document.querySelector('[data-testid=consent-purpose]');
      const firstItem = document.querySelector('input[type=checkbox]');
      return Boolean(purpose && firstItem && purpose.compareDocumentPosition(firstItem) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(purposeAbove).toBe(true);
    await expect(page.getByText('デモ分析サービス')).toBeVisible();
    await expect(page.getByText('認証情報は、お客さまの責任で厳重に管理')).toBeVisible();
    await expectNoAxeViolations(page);
    const response = await page.request.get(page.url());
    expect(response.headers()['x-frame-options']).toBe('DENY');
    expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");

    await page.getByRole('checkbox', { name: /お取引明細/ }).uncheck();
    await page.getByRole('button', { name: '同意する' }).click();
    await page.waitForURL((url) => url.href.startsWith(DEMO_REDIRECT_URI));
    const callback = new URL(page.url());
    expect(callback.searchParams.get('iss')).toBe(`${baseURL()}/oauth`);
    expect(callback.searchParams.get('code')).toBeTruthy();

    const tokens = await redeemCode(session, callback.toString());
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    // The request_uri was single-use.
    const reused = await page.request.get(session.authorizationUrl, { maxRedirects: 0 });
    expect(reused.status()).toBe(400);
    expect(reused.headers()['location']).toBeUndefined();
    expect(new Set(tokens.scope?.split(' '))).toEqual(new Set(['balances', 'payees', 'transfers']));
    expect(tokens.refresh_token).toBeTruthy();
    const active = await introspect(session, tokens.access_token);
    expect(active.active).toBe(true);

    // The portal shows the new link with the approved items.
    await page.goto('/');
    const card = page.getByRole('article', { name: 'デモ連携アプリ', exact: true });
    await expect(card.locator('span[data-status]')).toHaveText('連携中');
    await expect(card).toContainText('登録済の振込先');
    await expect(card).not.toContainText('お取引明細');

    // The provider revokes (RFC 7009): the link is stopped (Art. 5.1) and its tokens are dead.
    await revoke(session, tokens.refresh_token!);
    await expect.poll(async () => (await introspect(session, tokens.access_token)).active).toBe(false);
    await page.goto('/?view=past');
    await expect(card.locator('span[data-status]')).toHaveText('連携停止済み');
  });

  test('a reused code is refused and the tokens it issued are revoked (RFC 6749 §4.1.2)', async ({ page }) => {
    const session = await startLinking(baseURL(), 'balances');
    await page.goto(session.authorizationUrl);
    await page.getByRole('button', { name: '同意する' }).click();
    await page.waitForURL((url) => url.href.startsWith(DEMO_REDIRECT_URI));
    const callback = page.url();
    const tokens = await redeemCode(session, callback);
    await expect(redeemCode(session, callback)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await introspect(session, tokens.access_token)).active).toBe(false);
    await page.goto('/?view=past');
    await expect(page.getByRole('article', { name: 'デモ連携アプリ', exact: true }).locator('span[data-status]')).toHaveText('連携停止済み');
  });

  test('Deny returns error=access_denied and creates nothing', async ({ page }) => {
    const session = await startLinking(baseURL(), 'balances');
    await page.goto(session.authorizationUrl);
    await page.getByRole('button', { name: '同意しない' }).click();
    await page.waitForURL((url) => url.href.startsWith(DEMO_REDIRECT_URI));
    const callback = new URL(page.url());
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });
});

test.describe('consent for a customer who is not signed in yet', () => {
  test('signs in with password + one-time password on the way, in English; stopping in the portal kills the refresh token', async ({ page, context }) => {
    await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', domain: 'localhost', path: '/' }]);
    const session = await startLinking(baseURL(), 'balances payees');
    await page.goto(session.authorizationUrl);
    await expect(page).toHaveURL(/\/login\?next=%2Fconsent%2F/);
    // signing in on the way to a consent shows the linking steps: Sign in → Verify → Consent
    const steps = page.getByRole('navigation', { name: 'Linking steps' });
    await expect(steps.getByRole('listitem')).toHaveText(['1Sign in', '2Verify', '3Consent']);
    await expect(steps.locator('[aria-current="step"]')).toContainText('Sign in');
    await page.getByLabel('Logon ID').fill(DEMO2.logonId);
    await page.getByLabel('Password').fill(DEMO2.password);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('One-time password').fill(await freshOtp(DEMO2.totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/consent\//);
    await expectNoAxeViolations(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Demo Provider is asking for the following' })).toBeVisible();
    // Each item is named exactly by its name (SPEC §7); its description is read after it.
    const balances = page.getByRole('checkbox', { name: 'Balances', exact: true });
    await expect(balances).toBeChecked();
    await expect(balances).toHaveAccessibleName('Balances');
    await expect(balances).toHaveAccessibleDescription(/^See the balances .{20,}/);
    await expect(page.getByRole('checkbox', { name: 'Registered payees', exact: true })).toBeChecked();
    await expect(page.getByRole('button', { name: 'Deny' })).toBeVisible();
    // the terms consented to: version and effective date (DESIGN: consent screens)
    await expect(page.getByText(/Account Linking Service Terms \(revised .+, in force since .+\)/)).toBeVisible();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((url) => url.href.startsWith(DEMO_REDIRECT_URI));
    const tokens = await redeemCode(session, page.url());
    expect(new Set(tokens.scope?.split(' '))).toEqual(new Set(['balances', 'payees']));

    // Narrowing in the portal narrows the grant: a refresh yields the narrowed scope.
    await page.goto('/');
    await page.getByRole('link', { name: 'Details for Demo Provider', exact: true }).click();
    await page.getByRole('switch', { name: 'Registered payees', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop sharing' }).click();
    await expect(page.getByRole('switch', { name: 'Registered payees', exact: true })).toHaveAttribute('aria-checked', 'false');
    const refreshed = await refresh(session, tokens.refresh_token!);
    expect(refreshed.scope).toBe('balances');

    // Stopping the link in the portal: the provider's refresh fails at once.
    await page.getByRole('button', { name: 'Stop this link' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop this link' }).click();
    await expect(page.getByTestId('link-status')).toContainText('Stopped');
    await expect(refresh(session, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await introspect(session, refreshed.access_token)).active).toBe(false);
  });
});
