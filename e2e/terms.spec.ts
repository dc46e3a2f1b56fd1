import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';

test('the terms page shows the 2020-08-21 version in force, the announced revision and the history', async ({ page }) => {
  await page.goto('/terms');
  await expect(page.getByRole('heading', { level: 1, name: '口座連携サービス利用規定' })).toBeVisible();
  const inForce = page.getByTestId('terms-in-force');
  await expect(inForce).toContainText('（2020年8月21日改定）');
  await expect(inForce).toContainText('2020年8月21日');
  await expect(page.getByRole('heading', { name: '第1条（口座連携サービス）' }).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: '第10条（規定の準用）' }).first()).toBeVisible();
  await expect(page.getByText('2027年4月1日 から改定後の利用規定が適用されます。')).toBeVisible();
  await expect(page.getByRole('row', { name: /2020年8月21日.*適用中/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /2027年4月1日.*適用予定/ })).toBeVisible();
  await expect(page.getByTestId('footer-terms')).toContainText('2020年8月21日改定');
  await expectNoAxeViolations(page);
});

test('the terms page and unknown pages work at 390 px and pass axe', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/terms');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'ページが見つかりません' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the help page is public, tells customers to keep provider credentials safe (Art. 2.3), and is linked from every page', async ({ page }) => {
  await page.goto('/terms');
  await page.getByTestId('footer-help').click();
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.getByRole('heading', { level: 1, name: '口座連携サービスのご利用ガイド' })).toBeVisible();
  await expect(page.getByText('認証情報は厳重に管理してください（利用規定第2条第3項）')).toBeVisible();
  await expect(page.getByText(/お客さまの責任で厳重に管理し、他人に教えたり/)).toBeVisible();
  for (const heading of ['連携の始め方', '提供する項目の変更・連携の停止', '有効期限', '当行による停止']) {
    await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
  }
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
});
