import { expect, type Page } from '@playwright/test';
import { freshOtp } from './otp';

/** Signs in through the real two-step form (Japanese UI): password, then the one-time password. */
export async function signIn(page: Page, user: { logonId: string; password: string; totpSecret: string }, next = '/', loginPath = '/login', landing = next): Promise<void> {
  await page.goto(`${loginPath}?next=${encodeURIComponent(next)}`);
  await page.getByLabel('ログオンID').fill(user.logonId);
  await page.getByLabel('ログオンパスワード').fill(user.password);
  await page.getByRole('button', { name: '次へ' }).click();
  await expect(page).toHaveURL(/\/login\/otp/);
  await page.getByLabel('ワンタイムパスワード').fill(await freshOtp(user.totpSecret));
  await page.getByRole('button', { name: 'ログオンする' }).click();
  await expect(page).toHaveURL(new RegExp(`${landing.replace(/[/]/g, '\\/')}$`));
}

/** Bank staff sign in on their own page, the same two steps. */
export async function signInStaff(page: Page, user: { logonId: string; password: string; totpSecret: string }): Promise<void> {
  await signIn(page, user, '/staff', '/staff/login');
}
