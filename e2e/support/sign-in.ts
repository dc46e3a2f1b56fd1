import { expect, type Page } from '@playwright/test';
import { freshOtp } from './otp';

type SignInUser = { logonId: string; password: string; totpSecret: string };

/**
 * The real two-step form's steps (Japanese UI: password, then the one-time password), with the
 * page alone, so scripts outside the test runner sign in the same way (the bench's renders).
 * Resolves once the second step is submitted; where it lands is the caller's to check.
 */
export async function submitSignIn(page: Page, user: SignInUser, next = '/', loginPath = '/login'): Promise<void> {
  await page.goto(`${loginPath}?next=${encodeURIComponent(next)}`);
  await page.getByLabel('ログオンID').fill(user.logonId);
  await page.getByLabel('ログオンパスワード').fill(user.password);
  await page.getByRole('button', { name: '次へ' }).click();
  await page.waitForURL(/\/login\/otp/);
  await page.getByLabel('ワンタイムパスワード').fill(await freshOtp(user.totpSecret));
  await page.getByRole('button', { name: 'ログオンする' }).click();
}

/** Signs in through the real two-step form and checks where it lands. */
export async function signIn(page: Page, user: SignInUser, next = '/', loginPath = '/login', landing = next): Promise<void> {
  await submitSignIn(page, user, next, loginPath);
  await expect(page).toHaveURL(new RegExp(`${landing.replace(/[/]/g, '\\/')}$`));
}

/** Bank staff sign in on their own page, the same two steps. */
export async function signInStaff(page: Page, user: { logonId: string; password: string; totpSecret: string }): Promise<void> {
  await signIn(page, user, '/staff', '/staff/login');
}
