import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { pdfText } from './support/pdf-text';
import { STORAGE } from './support/users';

// Issue 14 §2: a receipt (控え) for every change of what a provider may do, on the link page and
// under お知らせ・控え, each a printable page of its own; only the customer's own.

test.use({ storageState: STORAGE.demo });

test('turning an item off and on again leaves two receipts: on the link, in the list, each a printable page', async ({ page, browser }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'かけいぼプラス の詳細・変更' }).click();
  const balances = page.getByRole('switch', { name: '口座残高', exact: true });
  await balances.click();
  await page.getByRole('dialog').getByRole('button', { name: '提供を停止する' }).click();
  await expect(page.getByTestId('action-result').filter({ hasText: '「口座残高」の提供を停止しました。' })).toBeVisible();
  await balances.click();
  await expect(page.getByTestId('action-result').filter({ hasText: '「口座残高」の提供を再開しました。' })).toBeVisible();

  // on the link page, newest first
  await page.reload();
  const onLink = page.getByTestId('link-receipts').locator('li');
  await expect(onLink.nth(0)).toContainText('「口座残高」の提供を開始しました');
  await expect(onLink.nth(1)).toContainText('「口座残高」の提供を停止しました');

  // the receipt of turning it off: what was in force right after, the accounts, the terms
  await onLink.nth(1).getByRole('link').click();
  await expect(page).toHaveURL(/\/receipts\/[0-9a-f-]{36}$/);
  const receipt = page.getByTestId('receipt');
  await expect(receipt.getByRole('heading', { level: 1, name: 'お客さま控え' })).toBeVisible();
  await expect(receipt).toContainText(/控え番号\s*R\d{10}/);
  await expect(receipt).toContainText('「口座残高」の提供を停止しました');
  await expect(receipt).toContainText('株式会社カケイボ');
  await expect(receipt).toContainText('山田 太郎 様');
  const itemsAfter = receipt.locator('dl > div').filter({ has: page.locator('dt', { hasText: '変更後に提供する項目' }) }).locator('dd');
  await expect(itemsAfter).toBeVisible();
  await expect(itemsAfter).not.toContainText('口座残高');
  await expect(receipt).toContainText(/普通預金・本店営業部・\*+\d{4}/);
  await expect(receipt).toContainText('口座連携サービス利用規定（2020年8月21日改定）');
  await expectNoAxeViolations(page);
  const receiptUrl = page.url();

  // the same sheet as a PDF file: Japanese text a reader can extract (embedded Noto Sans JP), A4, one page
  const pdfLink = page.getByTestId('receipt-pdf');
  await expect(pdfLink).toHaveText('PDFをダウンロード');
  const download = page.waitForEvent('download');
  await pdfLink.click();
  const file = await download;
  const number = (await receipt.locator('dl > div').filter({ has: page.locator('dt', { hasText: '控え番号' }) }).locator('dd').innerText()).trim();
  expect(file.suggestedFilename()).toBe(`renkei-receipt-${number}.pdf`);
  const bytes = new Uint8Array(fs.readFileSync(await file.path()));
  expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
  const pdf = await pdfText(bytes);
  expect(pdf.pages).toBe(1);
  const flat = pdf.text.replace(/\s+/g, '');
  for (const expected of ['お客さま控え', number, '「口座残高」の提供を停止しました', '株式会社カケイボ', '山田太郎様', '口座連携サービス利用規定（2020年8月21日改定）']) expect(flat).toContain(expected.replace(/\s+/g, ''));
  expect(flat).not.toContain('変更後に提供する項目口座残高');

  // printed: the sheet alone, no site header, footer or buttons
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.getByRole('contentinfo')).toBeHidden();
  await expect(page.getByRole('button', { name: '印刷・PDF保存' })).toBeHidden();
  await expect(page.getByTestId('receipt-pdf')).toBeHidden();
  await expect(receipt).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // the list under お知らせ・控え, newest first, on a phone too
  await page.getByRole('link', { name: 'お知らせ・控え' }).first().click();
  await expect(page).toHaveURL(/\/receipts$/);
  const list = page.getByTestId('receipts').locator('li');
  await expect(list.nth(0)).toContainText('かけいぼプラス：「口座残高」の提供を開始しました');
  await expect(list.nth(1)).toContainText('かけいぼプラス：「口座残高」の提供を停止しました');
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);

  // someone else's receipt: not found, as if it did not exist
  const other = await browser.newContext({ storageState: STORAGE.demo2 });
  const otherPage = await other.newPage();
  expect((await otherPage.goto(receiptUrl))?.status()).toBe(404);
  expect((await otherPage.request.get(`${receiptUrl}/pdf`)).status()).toBe(404);
  await other.close();
});

test('the English receipt reads in English', async ({ page, context }) => {
  await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', domain: 'localhost', path: '/' }]);
  await page.goto('/receipts');
  await expect(page.getByRole('heading', { level: 1, name: 'Receipts' })).toBeVisible();
  await page.getByRole('link', { name: /^View receipt R\d{10}$/ }).first().click();
  await expect(page.getByTestId('receipt').getByRole('heading', { level: 1, name: 'Customer receipt' })).toBeVisible();
  await expect(page.getByTestId('receipt')).toContainText('“Balances” was turned on');
  await expectNoAxeViolations(page);
});
