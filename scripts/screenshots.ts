// Takes the README/docs screenshots from a running server: `npx tsx scripts/screenshots.ts [baseURL] [outDir]`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { freshOtp } from '../e2e/support/otp';
import { DEMO, DEMO50, OPERATOR } from '../e2e/support/users';

const baseURL = process.argv[2] ?? 'http://localhost:3000';
const outDir = process.argv[3] ?? 'docs/screenshots';

async function signIn(page: Page, user: { logonId: string; password: string; totpSecret: string } = DEMO, loginPath = '/login', home = '/') {
  await page.goto(`${baseURL}${loginPath}`);
  await page.locator('#logonId').fill(user.logonId);
  await page.locator('#password').fill(user.password);
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(/\/login\/otp/);
  await page.locator('#otp').fill(await freshOtp(user.totpSecret));
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(`${baseURL}${home}`);
}

/** The bank side: the operator's search, customer, link and provider pages. */
async function staffScreens(page: Page, name: string) {
  await signIn(page, OPERATOR, '/staff/login', '/staff');
  await page.goto(`${baseURL}/staff?q=${encodeURIComponent('山田')}`);
  await page.screenshot({ path: path.join(outDir, `staff-search-${name}.png`), fullPage: true });
  await page.locator('[data-testid=search-results] a').first().click();
  await page.waitForURL(/\/staff\/customers\//);
  await page.screenshot({ path: path.join(outDir, `staff-customer-${name}.png`), fullPage: true });
  await page.locator('[data-testid=link-card] a').nth(3).click();
  await page.waitForURL(/\/links\//);
  await page.screenshot({ path: path.join(outDir, `staff-link-${name}.png`), fullPage: true });
  await page.goto(`${baseURL}/staff/providers`);
  await page.screenshot({ path: path.join(outDir, `staff-providers-${name}.png`), fullPage: true });
  await page.goto(`${baseURL}/staff/events`);
  await page.screenshot({ path: path.join(outDir, `staff-events-${name}.png`), fullPage: false });
  // A link past its two-year record (issue 14 §3): the staff still see its history, with the notice.
  await page.goto(`${baseURL}/staff?q=demo50`);
  await page.locator('[data-testid=search-results] a').first().click();
  await page.waitForURL(/\/staff\/customers\//);
  await page.locator('[data-testid=link-card]', { hasText: 'むかし家計簿' }).locator('a').first().click();
  await page.locator('[data-testid=link-archived]').waitFor();
  await page.screenshot({ path: path.join(outDir, `staff-link-archived-${name}.png`), fullPage: true });
}

/** The receipt's PDF as the customer downloads it, page 1 drawn by poppler (pdftoppm), as a reader shows it. */
async function receiptPdf(page: Page, name: string) {
  const href = await page.locator('[data-testid=receipt-pdf]').getAttribute('href');
  const response = await page.request.get(`${baseURL}${href}`);
  if (!response.ok() || response.headers()['content-type'] !== 'application/pdf') throw new Error(`receipt PDF: ${response.status()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-pdf-'));
  fs.writeFileSync(path.join(dir, 'receipt.pdf'), await response.body());
  execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', path.join(dir, 'receipt.pdf'), path.join(outDir, `receipt-pdf-${name}`)]);
  fs.rmSync(dir, { recursive: true, force: true });
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
    await page.goto(`${baseURL}/?view=past`);
    await page.screenshot({ path: path.join(outDir, `dashboard-past-${name}.png`), fullPage: true });
    await page.goto(`${baseURL}/`);
    await page.locator('[data-testid=link-card] a').first().click();
    await page.waitForURL(/\/links\//);
    await page.screenshot({ path: path.join(outDir, `link-${name}.png`), fullPage: true });
    await page.goto(`${baseURL}/terms`);
    await page.screenshot({ path: path.join(outDir, `terms-${name}.png`), fullPage: false });
    // Receipts (issue 14 §2): an item turned off and on again on かけいぼプラス makes two.
    await page.goto(`${baseURL}/`);
    await page.locator('[data-testid=link-card] a').nth(1).click();
    await page.waitForURL(/\/links\//);
    const item = page.locator('[role=switch][aria-checked=true]').first();
    await item.click();
    await page.getByRole('dialog').locator('button[type=submit]').click();
    await page.locator('[data-testid=action-result]').first().waitFor();
    await page.locator('[role=switch][aria-checked=false]').first().click();
    await page.waitForTimeout(1500);
    await page.goto(`${baseURL}/receipts`);
    await page.screenshot({ path: path.join(outDir, `receipts-${name}.png`), fullPage: true });
    await page.locator('[data-testid=receipts] a').first().click();
    await page.waitForURL(/\/receipts\/[0-9a-f-]{36}$/);
    await page.screenshot({ path: path.join(outDir, `receipt-${name}.png`), fullPage: true });
    if (name !== 'phone') await receiptPdf(page, name);
    // The provider reference: Grant Management and Shared Signals (issue 15).
    await page.goto(`${baseURL}/docs/providers#grants`);
    await page.locator('[data-testid=grant-management]').screenshot({ path: path.join(outDir, `docs-grants-${name}.png`) });
    await context.close();
    // Fifty links, found by a part of a name (issue 14 §4).
    const many = await browser.newContext({ viewport, locale, timezoneId: 'Asia/Tokyo', deviceScaleFactor: name === 'phone' ? 2 : 1 });
    const manyPage = await many.newPage();
    await signIn(manyPage, DEMO50);
    await manyPage.goto(`${baseURL}/?q=${encodeURIComponent('さくら')}&sort=name`);
    await manyPage.screenshot({ path: path.join(outDir, `dashboard-filter-${name}.png`), fullPage: true });
    await many.close();
    if (name !== 'desktop-en') {
      const staffContext = await browser.newContext({ viewport, locale, timezoneId: 'Asia/Tokyo', deviceScaleFactor: name === 'phone' ? 2 : 1 });
      await staffScreens(await staffContext.newPage(), name);
      await staffContext.close();
    }
  }
  await browser.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
