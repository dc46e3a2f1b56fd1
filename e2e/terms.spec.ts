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
