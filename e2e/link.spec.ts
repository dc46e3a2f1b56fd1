import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { freshOtp } from './support/otp';
import { DEMO, STORAGE } from './support/users';

/** From the dashboard: the current links, or for a link that ended the past ones (issue 14 §3). */
async function openLink(page: Page, providerName: string, view: 'current' | 'past' = 'current') {
  await page.goto(view === 'past' ? '/?view=past' : '/');
  await page.getByRole('link', { name: `${providerName} の詳細・変更` }).click();
  await expect(page.getByRole('heading', { level: 1, name: providerName })).toBeVisible();
}

test.describe('as demo', () => {
  test.use({ storageState: STORAGE.demo });

  test('revoking an item asks first, takes effect, survives a reload and shows in the history', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('article', { name: 'かけいぼプラス', exact: true }).getByTestId('link-card-purpose')).toContainText('利用目的：家計簿アプリで口座残高と取引明細を自動で記帳し');
    await openLink(page, 'かけいぼプラス');
    await expect(page.getByTestId('link-purpose')).toContainText('家計簿アプリで口座残高と取引明細を自動で記帳し、毎月の支出の分析に使います。');
    await expectNoAxeViolations(page);
    const statements = page.getByRole('switch', { name: 'お取引明細', exact: true });
    await expect(statements).toHaveAttribute('aria-checked', 'true');
    await statements.click();
    const dialog = page.getByRole('dialog', { name: '「お取引明細」の提供を停止しますか？' });
    await expect(dialog).toBeVisible();
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: '提供を停止する' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('action-result').filter({ hasText: '「お取引明細」の提供を停止しました。' })).toBeVisible();
    await expect(statements).toHaveAttribute('aria-checked', 'false');
    await page.reload();
    await expect(page.getByRole('switch', { name: 'お取引明細', exact: true })).toHaveAttribute('aria-checked', 'false');
    await expect(page.getByTestId('history').locator('li').first()).toContainText('「お取引明細」の提供を停止しました');
  });

  test('re-granting a transaction item asks for the one-time password (step-up)', async ({ page }) => {
    await openLink(page, 'クラウド会計レジャリー');
    const transfers = page.getByRole('switch', { name: '振込', exact: true });
    await expect(transfers).toHaveAttribute('aria-checked', 'false');
    await transfers.click();
    const dialog = page.getByRole('dialog', { name: '「振込」を再開しますか？' });
    await expect(dialog.getByLabel('ワンタイムパスワード')).toBeVisible();
    // a wrong code is refused and nothing changes
    await dialog.getByLabel('ワンタイムパスワード').fill('000000');
    await dialog.getByRole('button', { name: '再開する' }).click();
    await expect(dialog.getByText('ワンタイムパスワードが正しくないか、有効期限が切れています。')).toBeVisible();
    await expect(transfers).toHaveAttribute('aria-checked', 'false');
    await dialog.getByLabel('ワンタイムパスワード').fill(await freshOtp(DEMO.totpSecret));
    await dialog.getByRole('button', { name: '再開する' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('action-result').filter({ hasText: '「振込」の提供を再開しました。' })).toBeVisible();
    await expect(transfers).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByTestId('history').locator('li').first()).toContainText('ワンタイムパスワードで確認済み');
  });

  test('an information item comes back without a one-time password', async ({ page }) => {
    await openLink(page, 'クラウド会計レジャリー');
    const payees = page.getByRole('switch', { name: '登録済の振込先', exact: true });
    await payees.click();
    await page.getByRole('dialog').getByRole('button', { name: '提供を停止する' }).click();
    await expect(payees).toHaveAttribute('aria-checked', 'false');
    await payees.click();
    await expect(page.getByTestId('action-result').filter({ hasText: '「登録済の振込先」の提供を再開しました。' })).toBeVisible();
    await expect(payees).toHaveAttribute('aria-checked', 'true');
  });

  test('asking the provider to stop a chained connection is recorded and shown', async ({ page }) => {
    await openLink(page, 'かけいぼプラス');
    await page.getByRole('button', { name: '家計相談ナビ への提供停止を依頼' }).click();
    const dialog = page.getByRole('dialog', { name: '家計相談ナビ への提供停止を依頼しますか？' });
    await dialog.getByRole('button', { name: '停止を依頼する' }).click();
    await expect(page.getByText(/に停止を依頼済み/)).toBeVisible();
    await expect(page.getByTestId('history').locator('li').first()).toContainText('連鎖接続先「家計相談ナビ」への提供停止を依頼しました');
  });

  test('link pages of every status pass axe; a stopped or ended link offers no controls', async ({ page }) => {
    for (const [name, view] of [['ためまる貯金', 'current'], ['ペイルート', 'past'], ['レシートノート', 'past'], ['オールドブック家計簿', 'past']] as const) {
      await openLink(page, name, view);
      await expectNoAxeViolations(page);
    }
    await expect(page.getByText('この連携は停止されています。')).toBeVisible();
    await expect(page.getByRole('switch', { name: '口座残高', exact: true })).toBeDisabled();
    await expect(page.getByRole('button', { name: '連携を停止する' })).toHaveCount(0);
    // an expired link: re-authentication through the provider, items cannot be turned back on
    await openLink(page, 'ペイルート', 'past');
    // where the provider registered initiate_login_uri, one step back to it (issue 14 §6)
    await expect(page.getByTestId('relink').getByRole('link', { name: 'ペイルート で改めて連携する' })).toHaveAttribute('href', 'https://payroute.example/link');
    await expect(page.getByText('再度ご利用になるには、ペイルート のアプリから改めて連携（再認証）してください。')).toBeVisible();
  });

  test('the English link page names each item control and offers "Stop this link"', async ({ page, context }) => {
    await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', domain: 'localhost', path: '/' }]);
    await page.goto('/');
    await page.getByRole('link', { name: 'Details for Ledgerly Cloud Accounting' }).click();
    for (const name of ['Balances', 'Statements', 'Registered payees', 'Transfers', 'Direct debit applications']) {
      await expect(page.getByRole('switch', { name, exact: true })).toBeVisible();
    }
    await expect(page.getByRole('button', { name: 'Stop this link' })).toBeVisible();
    await expectNoAxeViolations(page);
  });
});

// Issue 13: a link in daily use has thousands of history entries; the page shows 20 at a time,
// newest first, and pages with plain links, so it works without JavaScript.
test('a long history pages newest first, 20 at a time, without JavaScript too, for the customer and for staff', async ({ browser }) => {
  const pageThrough = async (page: Page) => {
    const entries = page.getByTestId('history').locator('li');
    await expect(entries).toHaveCount(20);
    const newest = await entries.first().innerText();
    const seen = [await entries.allInnerTexts()];
    let pages = 1;
    while ((await page.getByTestId('history-older').count()) > 0 && pages < 10) {
      await page.getByTestId('history-older').click();
      await expect(page).toHaveURL(/[?&]history=\d+\.\d+/);
      await expect(page.getByText('以前の履歴を表示しています（新しい順）。')).toBeVisible();
      seen.push(await entries.allInnerTexts());
      pages++;
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    // the oldest page ends with the consent; no entry is shown twice
    expect(seen.at(-1)!.at(-1)).toContain('連携に同意しました');
    expect(new Set(seen.flat()).size).toBe(seen.flat().length);
    const olderUrl = page.url();
    await page.getByTestId('history-newest').click();
    await expect(entries).toHaveCount(20);
    await expect.poll(() => entries.first().innerText()).toBe(newest);
    return olderUrl;
  };

  const customer = await browser.newContext({ storageState: STORAGE.demo, javaScriptEnabled: false });
  const page = await customer.newPage();
  await openLink(page, 'クラウド会計レジャリー');
  const olderUrl = await pageThrough(page);
  await customer.close();
  // An older page passes axe too (axe needs JavaScript in the page)
  const withScript = await browser.newContext({ storageState: STORAGE.demo });
  const scripted = await withScript.newPage();
  await scripted.goto(olderUrl);
  await expect(scripted.getByTestId('history-newest')).toBeVisible();
  await expectNoAxeViolations(scripted);
  await withScript.close();

  const staff = await browser.newContext({ storageState: STORAGE.staff, javaScriptEnabled: false });
  const staffPage = await staff.newPage();
  await staffPage.goto(`/staff?q=${encodeURIComponent('山田')}`);
  await staffPage.getByRole('link', { name: /山田 太郎/ }).click();
  await staffPage.getByRole('link', { name: 'クラウド会計レジャリー の詳細' }).click();
  await pageThrough(staffPage);
  await staff.close();
});

test.describe('as demo2', () => {
  test.use({ storageState: STORAGE.demo2 });

  test('stopping a link states the consequences, then the link is stopped for good', async ({ page }) => {
    await openLink(page, 'クラウド会計レジャリー');
    await page.getByRole('button', { name: '連携を停止する' }).click();
    const dialog = page.getByRole('dialog', { name: 'クラウド会計レジャリー との連携を停止しますか？' });
    // the consequences first (issue 14 §7): what stops, what the provider keeps, deletion, how to come back
    await expect(dialog).toContainText('停止する前に、クラウド会計レジャリー にご確認ください');
    await expect(dialog).toContainText('この操作の直後から、クラウド会計レジャリー はお客さまの情報を取得できず');
    await expect(dialog).toContainText('削除を希望される場合は クラウド会計レジャリー に依頼してください');
    await expect(dialog).toContainText('改めて連携できます');
    await expect(dialog.getByTestId('stop-consequences').locator('li')).toHaveCount(4);
    await expect(dialog).toContainText('連鎖接続先（税理士ポータル）への提供も止まります');
    await dialog.getByRole('button', { name: '連携を停止する' }).click();
    await expect(page.getByTestId('action-result').filter({ hasText: 'クラウド会計レジャリー との連携を停止しました。' })).toBeVisible();
    await expect(page.getByTestId('link-status')).toContainText('連携停止済み');
    await page.reload();
    await expect(page.getByTestId('link-status')).toContainText('連携停止済み');
    await expect(page.getByRole('switch', { name: '口座残高', exact: true })).toBeDisabled();
    await expect(page.getByTestId('history').locator('li').first()).toContainText('連携を停止しました');
  });

  test('the stop dialog names the chained connections that stop receiving data, and Cancel changes nothing', async ({ page }) => {
    await openLink(page, 'かけいぼプラス');
    await page.getByRole('button', { name: '連携を停止する' }).click();
    const dialog = page.getByRole('dialog', { name: 'かけいぼプラス との連携を停止しますか？' });
    await expect(dialog.getByTestId('stop-consequences').locator('li')).toHaveCount(4);
    await expect(dialog).toContainText('連鎖接続先（ポイントモール、家計相談ナビ）への提供も止まります');
    await expectNoAxeViolations(page);
    await dialog.getByRole('button', { name: 'キャンセル' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('link-status')).toContainText('連携中');
  });

  test("opening demo's link by id gets 404", async ({ page, browser }) => {
    const demoContext = await browser.newContext({ storageState: STORAGE.demo });
    const demoPage = await demoContext.newPage();
    await demoPage.goto('/');
    const href = await demoPage.getByRole('link', { name: 'クラウド会計レジャリー の詳細・変更' }).getAttribute('href');
    await demoContext.close();
    expect(href).toMatch(/^\/links\/[0-9a-f-]{36}$/);
    const response = await page.goto(href!);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: '連携が見つかりません' })).toBeVisible();
    await expectNoAxeViolations(page);
    // a malformed id reads the same
    const malformed = await page.goto('/links/not-a-link');
    expect(malformed?.status()).toBe(404);
  });
});
