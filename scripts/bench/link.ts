// A real DPoP-bound access token: PAR + private_key_jwt + PKCE + DPoP, sign-in and consent in Chromium.
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { generate } from 'otplib';
import { DEMO_REDIRECT_URI, redeemCode, startLinking, type ProviderSession } from '../../e2e/support/oauth-client';
import { DEMO2 } from '../../e2e/support/users';

export function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (fs.existsSync(chromium.executablePath())) return undefined;
  } catch {
    // not installed
  }
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error('No Chromium: install Debian\'s (apt-get install chromium) or set CHROMIUM_PATH.');
}

export async function linkDemoProvider(origin: string, scope = 'balances'): Promise<{ session: ProviderSession; accessToken: string; refreshToken: string | undefined; tookMs: number }> {
  const started = Date.now();
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    // The English UI (SPEC §7 labels).
    await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', domain: 'localhost', path: '/' }]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const session = await startLinking(origin, scope);
    // The redirect to the provider's callback (nothing needs to listen there: the URL is all we need).
    const callback = page.waitForRequest((request) => request.url().startsWith(DEMO_REDIRECT_URI), { timeout: 60_000 });
    await page.goto(session.authorizationUrl);
    await page.waitForURL(/\/login\?next=%2Fconsent%2F/);
    await page.getByLabel('Logon ID').fill(DEMO2.logonId);
    await page.getByLabel('Password').fill(DEMO2.password);
    await page.getByRole('button', { name: 'Next' }).click();
    // A fresh database: no code of this user has been accepted yet, so the current step is fine.
    await page.getByLabel('One-time password').fill(await generate({ secret: DEMO2.totpSecret }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/consent\//);
    await page.getByRole('button', { name: 'Approve' }).click();
    const callbackUrl = (await callback).url();
    const tokens = await redeemCode(session, callbackUrl);
    if (!tokens.access_token || tokens.token_type?.toLowerCase() !== 'dpop') throw new Error(`unexpected token response: ${JSON.stringify(tokens)}`);
    return { session, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, tookMs: Date.now() - started };
  } finally {
    await browser.close();
  }
}
