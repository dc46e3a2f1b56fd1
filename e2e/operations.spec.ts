import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { STORAGE } from './support/users';

// The operator console (/staff/operations): maintenance (Art. 6.1), terms (Art. 9), disclosures
// (Art. 7), the operations log. Leaves no lasting change other specs could see: the window it
// schedules is cancelled, the terms are never published, the disclosure is for demo3.

function base(): string {
  return test.info().project.use.baseURL!;
}

async function contextFor(browser: Browser, storage: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: storage, baseURL: base(), locale: 'ja-JP', timezoneId: 'Asia/Tokyo', ...(viewport ? { viewport } : {}) });
  return { context, page: await context.newPage() };
}

/** `YYYY-MM-DDTHH:mm` in Asia/Tokyo, `days` from now at `hour`:00. */
function tokyoLocal(days: number, hour: number): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
  return `${day}T${String(hour).padStart(2, '0')}:00`;
}

test('operators schedule and cancel maintenance; a refused form keeps what was typed', async ({ browser }) => {
  const { context, page } = await contextFor(browser, STORAGE.operator);
  await page.goto('/staff/operations');
  await expect(page.getByRole('heading', { level: 1, name: '運用管理' })).toBeVisible();
  await expectNoAxeViolations(page);

  const form = page.locator('form[aria-labelledby="maintenance-form-title"]');
  await form.getByLabel('開始日時').fill(tokyoLocal(20, 5));
  await form.getByLabel('終了日時').fill(tokyoLocal(20, 2));
  await form.getByLabel('お客さまへのお知らせ（日本語）').fill('E2E メンテナンス');
  await form.getByLabel('お客さまへのお知らせ（英語）').fill('E2E maintenance');
  await form.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('operations-result').first()).toContainText('入力内容をご確認ください');
  await expect(page.getByText('終了日時は開始日時より後にしてください。')).toBeVisible();
  await expect(form.getByLabel('お客さまへのお知らせ（日本語）')).toHaveValue('E2E メンテナンス');
  await expect(form.getByLabel('開始日時')).toHaveValue(tokyoLocal(20, 5));
  await expectNoAxeViolations(page);

  await form.getByLabel('終了日時').fill(tokyoLocal(20, 7));
  await form.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('operations-result').first()).toContainText('のメンテナンスを登録しました');
  const item = page.getByTestId('maintenance-windows').locator('li', { hasText: 'E2E メンテナンス' });
  await expect(item).toContainText('予定');
  await expect(form.getByLabel('お客さまへのお知らせ（日本語）')).toHaveValue('');
  await expect(page.getByTestId('operations-log')).toContainText('メンテナンスの登録');
  await expect(page.getByTestId('operations-log')).toContainText('運用 花子');

  await item.getByRole('button', { name: /のメンテナンスを中止する$/ }).click();
  const dialog = page.getByRole('dialog', { name: 'このメンテナンスを中止しますか？' });
  await expect(dialog).toBeVisible();
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: '中止する' }).click();
  await expect(page.getByTestId('operations-result').first()).toContainText('のメンテナンスを中止しました');
  await expect(page.getByTestId('maintenance-windows').locator('li', { hasText: 'E2E メンテナンス' })).toHaveCount(0);
  await context.close();
});

test('publishing terms shows a parse error with its line and keeps the edited text', async ({ browser }) => {
  const { context, page } = await contextFor(browser, STORAGE.operator);
  await page.goto('/staff/operations');
  await expect(page.getByTestId('terms-in-force')).toContainText('2020-08-21');
  const text = page.getByLabel('規定の全文');
  await expect(text).toHaveValue(/^口座連携サービス利用規定\n\n第1条（口座連携サービス）/);
  const edited = (await text.inputValue()).replace('2.前項の変更は', '3.前項の変更は');
  await text.fill(edited);
  await page.getByLabel('版の識別子').fill('2099-01-01');
  await page.getByLabel('改定日', { exact: true }).fill('2099-01-01');
  await page.getByLabel('適用開始日時').fill('2099-01-01T00:00');
  await page.getByRole('button', { name: '公表する' }).click();
  await expect(page.getByText(/^\d+行目：第2項（「2\.」）が来るところに「3\.」があります。$/)).toBeVisible();
  await expect(page.getByLabel('規定の全文')).toHaveValue(edited);
  await expect(page.getByLabel('版の識別子')).toHaveValue('2099-01-01');
  await context.close();
});

test('operators record a disclosure (Art. 7); it is listed with the customer number', async ({ browser }) => {
  const { context, page } = await contextFor(browser, STORAGE.operator);
  await page.goto('/staff/operations');
  await page.getByRole('button', { name: '記録する' }).click();
  await expect(page.getByText('理由を選択してください。')).toBeVisible();
  await page.getByLabel('お客さま番号', { exact: true }).fill('1000003');
  await page.getByLabel('連携サービス事業者').selectOption({ label: 'かけいぼプラス（kakeibo-plus）' });
  await page.getByLabel('開示した情報').fill('E2E 口座残高');
  await page.getByLabel(/^\(4\) システム障害が発生した場合/).check();
  await page.getByRole('button', { name: '記録する' }).click();
  await expect(page.getByTestId('operations-result').first()).toContainText('お客さま番号 1000003 のかけいぼプラスへの情報開示を記録しました。');
  const disclosure = page.getByTestId('disclosures').locator('li', { hasText: 'E2E 口座残高' });
  await expect(disclosure).toContainText('お客さま番号 1000003');
  await expect(disclosure).toContainText('システム障害');
  await context.close();
});

test('the console works at 390 px', async ({ browser }) => {
  const { context, page } = await contextFor(browser, STORAGE.operator, { width: 390, height: 844 });
  await page.goto('/staff/operations');
  await expect(page.getByRole('heading', { level: 1, name: '運用管理' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
  await context.close();
});

test('read-only staff and customers get 403', async ({ browser }) => {
  for (const storage of [STORAGE.staff, STORAGE.demo]) {
    const { context, page } = await contextFor(browser, storage);
    const response = await page.goto('/staff/operations');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: '運用管理' })).toHaveCount(0);
    await context.close();
  }
});
