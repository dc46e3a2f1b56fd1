import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './support/axe';
import { STORAGE } from './support/users';

test.use({ storageState: STORAGE.demo });

const STATUS_WORDS = {
  active: '連携中',
  expiring_soon: 'まもなく有効期限',
  expired: '有効期限切れ（再認証が必要）',
  suspended: '当行により停止中',
  revoked: '連携停止済み',
  terminated: '提供終了',
};

test('the dashboard shows what is in force, attention first; what ended is under past links, in words', async ({ page }) => {
  await page.goto('/');
  const cards = page.getByTestId('link-card');
  await expect(cards).toHaveCount(3);
  // needs attention (suspended, expiring soon) comes first
  expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['suspended', 'expiring_soon', 'active']);
  await expect(page.getByTestId('dashboard-summary')).toContainText('連携 3 件');
  await expect(page.getByTestId('dashboard-summary')).toContainText('確認が必要な連携 2 件');
  await expect(page.getByTestId('dashboard-tabs').getByRole('link', { name: /現在の連携/ })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('dashboard-tabs').getByRole('link', { name: /過去の連携/ })).toContainText('3 件');
  // suspension reason (2) in plain words, never "fraud"
  await expect(page.locator('[data-status=suspended]').getByText('セキュリティ上の理由により停止しています')).toBeVisible();
  // chained connections under their provider; expiry with days left
  const expiring = page.locator('[data-testid=link-card][data-status=expiring_soon]');
  await expect(expiring).toContainText('ポイントモール');
  await expect(expiring).toContainText(/あと \d+ 日/);
  // the link that expired ten days ago is pointed to: it needs a new consent
  await expect(page.getByTestId('recently-expired')).toContainText('この30日間に 1 件の連携が有効期限切れになりました。');
  await expectNoAxeViolations(page);

  await page.getByTestId('recently-expired').getByRole('link', { name: '過去の連携で確認する' }).click();
  await expect(page).toHaveURL(/\/\?view=past&status=expired$/);
  await expect(cards).toHaveCount(1);
  await page.getByTestId('dashboard-tabs').getByRole('link', { name: /過去の連携/ }).click();
  await expect(page).toHaveURL(/\/\?view=past$/);
  await expect(page.getByTestId('dashboard-tabs').getByRole('link', { name: /過去の連携/ })).toHaveAttribute('aria-current', 'page');
  // the most recently ended first: expired 10 days ago, ended 45 days ago, stopped 240 days ago
  expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['expired', 'terminated', 'revoked']);
  for (const [status, words] of Object.entries(STATUS_WORDS)) {
    const card = page.locator(`[data-testid=link-card][data-status=${status}]`);
    if (['expired', 'revoked', 'terminated'].includes(status)) await expect(card.locator('span[data-status]'), status).toHaveText(words);
  }
  await expect(page.getByText('停止・期限切れ・提供終了となった連携を、終了した日から2年間表示します。')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the dashboard works at 390 px wide without horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(page.getByTestId('link-card').first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
});

test('the English dashboard uses the English item names and statuses', async ({ page, context }) => {
  await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', domain: 'localhost', path: '/' }]);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Manage linked services' })).toBeVisible();
  await expect(page.locator('[data-status=suspended]').getByText('Suspended by the bank')).toBeVisible();
  await expect(page.locator('[data-status=active]').getByText('Registered payees')).toBeVisible();
  await expectNoAxeViolations(page);
});
