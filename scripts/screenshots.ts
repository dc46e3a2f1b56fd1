// Takes the README/docs screenshots from a running server: `npx tsx scripts/screenshots.ts [baseURL] [outDir]`.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { freshOtp } from '../e2e/support/otp';
import { DEMO } from '../e2e/support/users';

const baseURL = process.argv[2] ?? 'http://localhost:3000';
const outDir = process.argv[3] ?? 'docs/screenshots';

async function signIn(page: Page) {
  await page.goto(`${baseURL}/login`);
  await page.locator('#logonId').fill(DEMO.logonId);
  await page.locator('#password').fill(DEMO.password);
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(/\/login\/otp/);
  await page.locator('#otp').fill(await freshOtp(DEMO.totpSecret));
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(`${baseURL}/`);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  for (const [name, viewport, locale] of [
    ['desktop', { width: 1280, height: 900 }, 'ja-JP'],
    ['phone', { width: 390, height: 844 }, 'ja-JP'],
    ['desktop-en', { width: 1280, height: 900 }, 'en-US'],
  ] as const) {
    const context = await browser.newContext({ viewport, locale, timezoneId: 'Asia/Tokyo', deviceScaleFactor: name === 'phone' ? 2 : 1 });
    const page = await context.newPage();
    await page.goto(`${baseURL}/login`);
    await page.screenshot({ path: path.join(outDir, `login-${name}.png`), fullPage: true });
    await signIn(page);
    await page.screenshot({ path: path.join(outDir, `dashboard-${name}.png`), fullPage: true });
    await page.locator('[data-testid=link-card] a').first().click();
    await page.waitForURL(/\/links\//);
    await page.screenshot({ path: path.join(outDir, `link-${name}.png`), fullPage: true });
    await page.goto(`${baseURL}/terms`);
    await page.screenshot({ path: path.join(outDir, `terms-${name}.png`), fullPage: false });
    await context.close();
  }
  await browser.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
