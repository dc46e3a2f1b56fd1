import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { freshOtp } from './support/otp';
import { signIn } from './support/sign-in';
// Three customers, so that the tests' sign-ins do not wait for one customer's next one-time-password step.
import { DEMO, DEMO2, DEMO3_UNREGISTERED, DEMO4 } from './support/users';

test.describe('sign-in (Art. 2.1: logon ID + password, then a one-time password)', () => {
  test('signs in with password and TOTP, and signing out ends the server-side session', async ({ page, context }) => {
    await signIn(page, DEMO);
    await expect(page.getByRole('heading', { level: 1, name: '連携サービスの管理' })).toBeVisible();
    await expect(page.getByText(`${DEMO.name} 様`)).toBeVisible();
    const cookies = await context.cookies();
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await expect(page).toHaveURL(/\/login\?signedOut=1/);
    await expect(page.getByText('ログアウトしました。')).toBeVisible();
    // The old cookie, replayed, no longer opens the portal: the session row is ended.
    await context.addCookies(cookies);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
  });

  test('a wrong password gives one generic message and keeps the logon ID typed', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('ログオンID').fill('demo');
    await page.getByLabel('ログオンパスワード').fill('wrong-password');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'ログオンIDまたはログオンパスワードが正しくありません' })).toBeVisible();
    await expect(page.getByLabel('ログオンID')).toHaveValue('demo');
    await expect(page.getByLabel('ログオンパスワード')).toHaveValue('');
    // an unknown ID reads exactly the same
    await page.getByLabel('ログオンID').fill('nobody-here');
    await page.getByLabel('ログオンパスワード').fill('wrong-password');
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'ログオンIDまたはログオンパスワードが正しくありません' })).toBeVisible();
    await expect(page.getByLabel('ログオンID')).toHaveValue('nobody-here');
  });

  test('a wrong one-time password is refused; the page asks again', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('ログオンID').fill(DEMO4.logonId);
    await page.getByLabel('ログオンパスワード').fill(DEMO4.password);
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page).toHaveURL(/\/login\/otp/);
    await page.getByLabel('ワンタイムパスワード').fill('000000');
    await page.getByRole('button', { name: 'ログオンする' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'ワンタイムパスワードが正しくありません' })).toBeVisible();
    await page.getByLabel('ワンタイムパスワード').fill(await freshOtp(DEMO4.totpSecret));
    await page.getByRole('button', { name: 'ログオンする' }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test('a customer not registered for direct banking cannot sign in (Art. 2.1)', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('ログオンID').fill(DEMO3_UNREGISTERED.logonId);
    await page.getByLabel('ログオンパスワード').fill(DEMO3_UNREGISTERED.password);
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'ダイレクトバンキングサービスのご利用開始登録が必要です' })).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
  });

  test('the English sign-in form is labelled Logon ID / Password / One-time password', async ({ page, context }) => {
    await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', domain: 'localhost', path: '/' }]);
    await page.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByLabel('Logon ID').fill(DEMO.logonId);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByLabel('One-time password')).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test('the language switcher changes the language and remembers it', async ({ page }) => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'ログオン' })).toBeVisible();
  });

  test('a browser that prefers English gets English', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await context.close();
  });

  test('sign-in works before (or without) JavaScript: the forms post natively', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('ログオンID').fill(DEMO2.logonId);
    await page.getByLabel('ログオンパスワード').fill(DEMO2.password);
    await page.getByRole('button', { name: '次へ' }).click();
    await expect(page).toHaveURL(/\/login\/otp/);
    await page.getByLabel('ワンタイムパスワード').fill(await freshOtp(DEMO2.totpSecret));
    await page.getByRole('button', { name: 'ログオンする' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '連携サービスの管理' })).toBeVisible();
    await context.close();
  });

  test('the portal redirects to sign-in without a session, and pages are not frameable', async ({ page }) => {
    const response = await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2F/);
    expect(response?.headers()['x-frame-options']).toBe('DENY');
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response?.headers()['referrer-policy']).toBe('same-origin');
    await expectNoAxeViolations(page);
  });
});
