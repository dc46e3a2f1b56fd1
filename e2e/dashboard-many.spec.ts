import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { signIn } from './support/sign-in';
import { DEMO50, STORAGE } from './support/users';

// Issue 14 §4: finding a link among many. The sandbox's demo50 has fifty links (sandbox/many-links.ts):
// forty in force (six of them expiring soon), five expired and five stopped.

async function names(page: Page): Promise<string[]> {
  return page.getByTestId('link-card').locator('h3').allInnerTexts();
}

async function statuses(page: Page): Promise<string[]> {
  return page.getByTestId('link-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-status') ?? ''));
}

test('fifty links: search by a part of a name in any script, filter by status and kind, sort — all in the URL', async ({ page }) => {
  await signIn(page, DEMO50);
  await expect(page.getByTestId('link-card')).toHaveCount(40);
  await expect(page.getByTestId('dashboard-tabs').getByRole('link', { name: /過去の連携/ })).toContainText('10 件');

  // a part of a name, typed in hiragana, found in katakana and kanji names alike
  const filters = page.getByRole('search', { name: '連携の絞り込み' });
  await filters.getByLabel('事業者名で探す').fill('さくら');
  await filters.getByRole('button', { name: 'この条件で表示' }).click();
  await expect(page).toHaveURL(/[?&]q=%E3%81%95%E3%81%8F%E3%82%89/);
  const sakura = await names(page);
  expect(sakura.length).toBeGreaterThan(3);
  expect(sakura.every((n) => n.startsWith('さくら'))).toBe(true);
  await expect(page.getByRole('heading', { name: `該当する連携 ${sakura.length} 件` })).toBeVisible();
  await expect(filters.getByLabel('事業者名で探す')).toHaveValue('さくら'); // the form keeps what was typed
  await expectNoAxeViolations(page);

  // needs attention only: expiring soon (and suspended), nothing else
  await page.goto('/?status=attention');
  expect(new Set(await statuses(page))).toEqual(new Set(['expiring_soon']));
  await expect(page.getByLabel('状態')).toHaveValue('attention');

  // transactions only: every card has a transaction item in force
  await page.goto('/?kind=transaction');
  const cards = page.getByTestId('link-card');
  const count = await cards.count();
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThan(40);
  for (let i = 0; i < count; i++) await expect(cards.nth(i)).toContainText(/振込|口座振替/);

  // sorted by name, in Japanese order
  await page.goto('/?sort=name');
  const sorted = await names(page);
  expect(sorted).toEqual([...sorted].sort(new Intl.Collator('ja').compare));
  // last used, newest first
  await page.goto('/?sort=lastUsed');
  await expect(page.getByLabel('並び順')).toHaveValue('lastUsed');

  // the past view filters the same way: the stopped ones only
  await page.goto('/?view=past&status=stopped');
  expect(new Set(await statuses(page))).toEqual(new Set(['revoked']));
  await expect(page.getByTestId('link-card')).toHaveCount(5);

  // nothing matches: said so, with the way back
  await page.goto('/?q=zzzz');
  await expect(page.getByTestId('no-match')).toContainText('条件に合う連携はありません');
  await page.getByTestId('no-match').getByRole('link', { name: '条件をクリア' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('link-card')).toHaveCount(40);
});

test('the filters work without JavaScript, and at 390 px wide', async ({ browser, baseURL }) => {
  const signedIn = await browser.newContext({ baseURL });
  const page = await signedIn.newPage();
  await signIn(page, DEMO50);
  const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: await signedIn.storageState(), viewport: { width: 390, height: 844 } });
  const plain = await noScript.newPage();
  await plain.goto('/');
  await plain.getByLabel('種類').selectOption('transaction');
  await plain.getByLabel('並び順').selectOption('name');
  await plain.getByRole('button', { name: 'この条件で表示' }).click();
  await expect(plain).toHaveURL(/kind=transaction/);
  await expect(plain).toHaveURL(/sort=name/);
  await expect(plain.getByLabel('種類')).toHaveValue('transaction');
  await expect(plain.getByLabel('並び順')).toHaveValue('name');
  await noScript.close();
  // the same page on a phone, with scripts: no sideways scrolling, axe clean
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?kind=transaction&sort=name');
  await expect(page.getByTestId('dashboard-filters')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
  await signedIn.close();
});

test('a link that ended more than two years ago leaves the customer’s view; staff still see its record (issue 14 §3)', async ({ browser, baseURL }) => {
  // Housekeeping runs when the server starts (and every 10 minutes): it archives demo50's むかし家計簿, stopped 800 days ago.
  const staff = await browser.newContext({ baseURL, storageState: STORAGE.staff, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const staffPage = await staff.newPage();
  await staffPage.goto('/staff');
  await staffPage.getByLabel('ログオンID・お客さま番号・お名前').fill('demo50');
  await staffPage.getByRole('button', { name: '検索する' }).click();
  await staffPage.getByRole('link', { name: /高橋 美咲/ }).click();
  await staffPage.getByRole('link', { name: 'むかし家計簿 の詳細' }).click();
  await staffPage.waitForURL(/\/links\//);
  const linkId = staffPage.url().split('/').at(-1)!;
  await expect(async () => {
    await staffPage.reload();
    await expect(staffPage.getByTestId('link-archived')).toContainText('2年の保存期間を終え、お客さまの画面には表示していません');
  }).toPass({ timeout: 30_000 });
  await expect(staffPage.getByTestId('history').locator('li').first()).toContainText('2年の保存期間が過ぎたため、お客さまの画面での表示を終えました');
  await expect(staffPage.getByTestId('history')).toContainText('連携を停止しました');
  await expectNoAxeViolations(staffPage);
  const linkPath = new URL(staffPage.url()).pathname;
  await staff.close();
  // An operator gets no suspend or resume for an ended link, and the emptied sections say so.
  const operator = await browser.newContext({ baseURL, storageState: STORAGE.operator, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  const operatorPage = await operator.newPage();
  await operatorPage.goto(linkPath);
  await expect(operatorPage.getByTestId('link-archived')).toBeVisible();
  await expect(operatorPage.getByRole('heading', { name: /当行による停止・再開/ })).toHaveCount(0);
  await expect(operatorPage.getByRole('button', { name: 'この連携を停止する' })).toHaveCount(0);
  await expect(operatorPage.getByText('対象の口座はありません。')).toBeVisible();
  await operator.close();

  const customer = await browser.newContext({ baseURL });
  const page = await customer.newPage();
  await signIn(page, DEMO50);
  await page.goto('/?view=past');
  await expect(page.getByTestId('link-card')).toHaveCount(10);
  await expect(page.getByTestId('link-card').filter({ hasText: 'むかし家計簿' })).toHaveCount(0);
  const direct = await page.goto(`/links/${linkId}`);
  expect(direct?.status()).toBe(404);
  await customer.close();
});
