import type { Server } from 'node:http';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { captureAction, replay, type Captured } from './support/capture-action';
import { expectNoAxeViolations } from './support/axe';
import { startCallbackServer } from './support/callback-server';
import { callApi, DEMO_REDIRECT_URI, redeemCode, startLinking } from './support/oauth-client';
import { STORAGE } from './support/users';

// Bank staff: a read-only view whose every look-up is recorded and shown to the customer, and an
// operator role whose actions are the only changes the bank side can make.

function base(): string {
  return test.info().project.use.baseURL!;
}

async function contextFor(browser: import('@playwright/test').Browser, storage: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: storage, baseURL: base(), locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  return { context, page: await context.newPage() };
}

test('staff find a customer, see every link and its history, read-only; the customer sees the look-up', async ({ browser }) => {
  const { context, page } = await contextFor(browser, STORAGE.staff);
  await page.goto('/staff');
  await expect(page.getByTestId('staff-banner')).toContainText('閲覧のみ');
  await expect(page.getByTestId('staff-banner')).toContainText('この閲覧は記録され');
  await expectNoAxeViolations(page);

  await page.getByLabel('ログオンID・お客さま番号・お名前').fill('山田');
  await page.getByRole('button', { name: '検索する' }).click();
  await expect(page.getByRole('heading', { name: /「山田」の検索結果 1 件/ })).toBeVisible();
  await page.getByRole('link', { name: /山田 太郎/ }).click();

  await expect(page.getByRole('heading', { level: 1, name: /山田 太郎/ })).toBeVisible();
  await expect(page.getByTestId('link-card')).toHaveCount(6);
  await expect(page.getByText('1000001')).toBeVisible();
  await expectNoAxeViolations(page);
  // Read-only by construction: no control that changes anything.
  await expect(page.locator('main form[method="post"], main button:not([type="button"])')).toHaveCount(0);

  await page.getByRole('link', { name: 'ためまる貯金 の詳細' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ためまる貯金' })).toBeVisible();
  await expect(page.getByText('第5条第2項第2号')).toBeVisible();
  await expect(page.getByTestId('history')).toBeVisible();
  await expect(page.getByRole('heading', { name: '当行による停止・再開（第5条第2項）' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'この連携を停止する' })).toHaveCount(0);
  await expectNoAxeViolations(page);

  // The provider directory counts links per status (no customer data).
  await page.goto('/staff/providers');
  const tamemaru = page.locator('tr', { hasText: 'ためまる貯金' });
  await expect(tamemaru.locator('[data-count="suspended"]')).toHaveText('1');
  await expectNoAxeViolations(page);
  // a provider's page shows its purpose of use (issue 14 §1) and where its notifications go
  await tamemaru.getByRole('link').first().click();
  await expect(page.getByTestId('provider-purpose')).toHaveText('貯金目標の進み具合の表示と、目標に応じた積立（口座振替）に使います。');
  await expect(page.getByTestId('provider-events-delivery')).toBeVisible();
  await expectNoAxeViolations(page);
  await context.close();

  // The customer sees that bank staff looked at their links.
  const customer = await contextFor(browser, STORAGE.demo);
  await customer.page.goto('/');
  const lookups = customer.page.getByTestId('staff-lookups');
  await expect(lookups).toContainText('行員がお客さまの連携情報を照会しました');
  await expect(lookups).toContainText('行員が連携の詳細を照会しました');
  await customer.context.close();
});

test('a customer session cannot open the staff view, and a staff session cannot open the portal', async ({ browser }) => {
  const customer = await contextFor(browser, STORAGE.demo);
  const toStaff = await customer.page.goto('/staff/providers');
  expect(toStaff?.status()).toBe(403);
  await customer.context.close();
  const staff = await contextFor(browser, STORAGE.staff);
  const toPortal = await staff.page.goto('/');
  expect(toPortal?.status()).toBe(403);
  await expect(staff.page.getByRole('heading', { name: 'この画面は表示できません' })).toBeVisible();
  const toOperations = await staff.page.goto('/staff/operations');
  expect(toOperations?.status()).toBe(403);
  await staff.context.close();
});

async function digest(context: BrowserContext): Promise<Record<string, string>> {
  const response = await context.request.get('/api/sandbox/digest');
  expect(response.status()).toBe(200);
  return (await response.json()) as Record<string, string>;
}

test('every mutating Server Action replayed with a staff session gets 403 and changes nothing', async ({ browser }) => {
  test.setTimeout(180_000);
  const customer = await contextFor(browser, STORAGE.demo);
  const operator = await contextFor(browser, STORAGE.operator);
  const staff = await contextFor(browser, STORAGE.staff);
  const actions: Captured[] = [];

  // The customer's actions on a link (each captured on its way out, so nothing happens).
  const page = customer.page;
  await page.goto('/');
  await page.getByRole('link', { name: 'かけいぼプラス の詳細・変更' }).click();
  actions.push(
    await captureAction(page, 'revoke an item', async () => {
      await page.getByRole('switch', { name: '口座残高', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: '提供を停止する' }).click();
    }),
  );
  await page.reload();
  actions.push(
    await captureAction(page, 'stop the link', async () => {
      await page.getByRole('button', { name: '連携を停止する' }).click();
      await page.getByRole('dialog').getByRole('button', { name: '連携を停止する' }).click();
    }),
  );
  await page.reload();
  const chainedButton = page.getByRole('button', { name: /への提供停止を依頼$/ }).first();
  actions.push(
    await captureAction(page, 'ask to stop a chained connection', async () => {
      await chainedButton.click();
      await page.getByRole('dialog').getByRole('button', { name: '停止を依頼する' }).click();
    }),
  );

  // The consent screen's Approve and Deny.
  const callbackServer: Server = await startCallbackServer();
  try {
    const session = await startLinking(base(), 'balances');
    await page.goto(session.authorizationUrl);
    actions.push(await captureAction(page, 'approve a consent', () => page.getByRole('button', { name: '同意する' }).click()));
    const denySession = await startLinking(base(), 'balances');
    await page.goto(denySession.authorizationUrl);
    actions.push(await captureAction(page, 'deny a consent', () => page.getByRole('button', { name: '同意しない' }).click()));
  } finally {
    await new Promise((resolve) => callbackServer.close(resolve));
  }

  // The operator's actions on a link and a provider.
  const op = operator.page;
  await op.goto('/staff/providers');
  await op.getByRole('link', { name: 'クラウド会計レジャリー' }).click();
  for (const [label, withReason] of [
    ['事業者を停止する', true],
    ['契約終了を登録する', false],
  ] as const) {
    actions.push(
      await captureAction(op, label, async () => {
        await op.getByRole('button', { name: label }).click();
        const dialog = op.getByRole('dialog');
        if (withReason) await dialog.getByLabel('理由（第5条第2項）').selectOption('7');
        await dialog.getByLabel('メモ（行内記録用）').fill('e2e replay');
        await dialog.getByRole('button', { name: label }).click();
      }),
    );
    await op.reload();
  }
  actions.push(
    await captureAction(op, 'ask the provider to stop a chained connection', async () => {
      await op.getByRole('button', { name: '事業者に停止を依頼する' }).first().click();
      const dialog = op.getByRole('dialog');
      await dialog.getByLabel('メモ（行内記録用）').fill('e2e replay');
      await dialog.getByRole('button', { name: '事業者に停止を依頼する' }).click();
    }),
  );
  await op.goto('/staff?q=demo');
  await op.getByRole('link', { name: /山田 太郎/ }).click();
  await op.getByRole('link', { name: 'クラウド会計レジャリー の詳細' }).click();
  actions.push(
    await captureAction(op, 'suspend a link', async () => {
      await op.getByRole('button', { name: 'この連携を停止する' }).click();
      const dialog = op.getByRole('dialog');
      await dialog.getByLabel('理由（第5条第2項）').selectOption('3');
      await dialog.getByLabel('メモ（行内記録用）').fill('e2e replay');
      await dialog.getByRole('button', { name: 'この連携を停止する' }).click();
    }),
  );

  const before = await digest(staff.context);
  for (const action of actions) {
    const response = await replay(staff.context, action);
    expect(response.status(), `${action.name} with a staff session`).toBe(403);
  }
  // Customer actions with an operator session, and operator actions with a customer session, too.
  for (const action of actions) {
    const customerAction = !action.url.includes('/staff/');
    const response = await replay(customerAction ? operator.context : customer.context, action);
    expect(response.status(), `${action.name} with the other kind of session`).toBe(403);
  }
  expect(await digest(staff.context)).toEqual(before);

  await Promise.all([customer.context.close(), operator.context.close(), staff.context.close()]);
});

test('an operator suspends a link: the customer sees the reason, the API answers 401; resuming restores it', async ({ browser }) => {
  test.setTimeout(120_000);
  const callbackServer: Server = await startCallbackServer();
  const customer = await contextFor(browser, STORAGE.demo2);
  const operator = await contextFor(browser, STORAGE.operator);
  try {
    // demo2 links the demo provider (balances) and the provider reads a balance.
    const session = await startLinking(base(), 'balances');
    await customer.page.goto(session.authorizationUrl);
    await customer.page.getByRole('button', { name: '同意する' }).click();
    await customer.page.waitForURL((url) => url.href.startsWith(DEMO_REDIRECT_URI));
    const tokens = await redeemCode(session, customer.page.url());
    const api = () => callApi(session, tokens.access_token, '/api/v1/accounts', { baseURL: base() });
    expect((await api()).status).toBe(200);

    // The operator suspends that link for reason (3).
    const op = operator.page;
    await op.goto('/staff?q=demo2');
    await op.getByRole('link', { name: /佐藤 花子/ }).click();
    await op.getByRole('link', { name: 'デモ連携アプリ の詳細' }).click();
    await op.getByRole('button', { name: 'この連携を停止する' }).click();
    const dialog = op.getByRole('dialog');
    await dialog.getByRole('button', { name: 'この連携を停止する' }).click();
    await expect(dialog.getByText('第5条第2項の該当号を選んでください。')).toBeVisible();
    await dialog.getByLabel('理由（第5条第2項）').selectOption('3');
    await dialog.getByLabel('メモ（行内記録用）').fill('不審な取引の調査のため');
    await dialog.getByRole('button', { name: 'この連携を停止する' }).click();
    await expect(op.getByTestId('action-result').first()).toContainText('連携を停止しました');
    await expect(op.getByTestId('link-status')).toContainText('当行により停止中');

    const denied = await api();
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toContain('invalid_token');
    expect(JSON.stringify(denied.body)).toContain('suspended');

    // The customer reads a plain-language reason; reason (3) never says "fraud" (不正).
    await customer.page.goto('/');
    await customer.page.getByRole('link', { name: 'デモ連携アプリ の詳細・変更' }).click();
    await expect(customer.page.getByTestId('link-status')).toContainText('当行により停止中');
    await expect(customer.page.getByText('セキュリティ上の理由により停止しています')).toBeVisible();
    await expect(customer.page.locator('main')).not.toContainText('不正');
    await expect(customer.page.locator('main')).not.toContainText('不審な取引の調査のため');

    // Resume: the same token works again.
    await op.getByRole('button', { name: '停止を解除する' }).click();
    await op.getByRole('dialog').getByLabel('メモ（行内記録用）').fill('調査完了');
    await op.getByRole('dialog').getByRole('button', { name: '停止を解除する' }).click();
    await expect(op.getByTestId('link-status')).toContainText('連携中');
    expect((await api()).status).toBe(200);

    // Suspending the whole provider stops its API too (the provider is not active), and resuming restores it.
    await op.goto('/staff/providers');
    await op.getByRole('link', { name: 'デモ連携アプリ', exact: true }).click();
    await op.getByRole('button', { name: '事業者を停止する' }).click();
    await op.getByRole('dialog').getByLabel('理由（第5条第2項）').selectOption('4');
    await op.getByRole('dialog').getByLabel('メモ（行内記録用）').fill('障害対応');
    await op.getByRole('dialog').getByRole('button', { name: '事業者を停止する' }).click();
    await expect(op.getByText('事業者を停止しました。影響する連携も停止しました。')).toBeVisible();
    expect((await api()).status).toBe(401);
    await op.getByRole('button', { name: '事業者の停止を解除する' }).click();
    await op.getByRole('dialog').getByLabel('メモ（行内記録用）').fill('復旧');
    await op.getByRole('dialog').getByRole('button', { name: '事業者の停止を解除する' }).click();
    await expect(op.getByText('事業者の停止を解除しました。')).toBeVisible();
    expect((await api()).status).toBe(200);
  } finally {
    await Promise.all([customer.context.close(), operator.context.close()]);
    await new Promise((resolve) => callbackServer.close(resolve));
  }
});

/** A datetime-local value in Asia/Tokyo, `minutes` from now, floored to the minute. */
function tokyoLocal(minutes: number): string {
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(
    new Date(Date.now() + minutes * 60_000),
  );
  return parts.replace(' ', 'T');
}

test('maintenance (Art. 6.1): announced before, a banner and 503 + Retry-After during, and back after it is cancelled', async ({ browser }) => {
  test.setTimeout(120_000);
  const callbackServer: Server = await startCallbackServer();
  const customer = await contextFor(browser, STORAGE.demo2);
  const operator = await contextFor(browser, STORAGE.operator);
  const op = operator.page;
  const schedule = async (from: number, to: number, note: string) => {
    const form = op.locator('form[aria-labelledby="maintenance-form-title"]');
    await form.getByLabel('開始日時').fill(tokyoLocal(from));
    await form.getByLabel('終了日時').fill(tokyoLocal(to));
    await form.getByLabel('お客さまへのお知らせ（日本語）').fill(note);
    await form.getByLabel('お客さまへのお知らせ（英語）').fill(`${note} (en)`);
    await form.getByRole('button', { name: '登録する' }).click();
    // This window in the list: the message alone could still be the previous window's.
    await expect(op.getByTestId('maintenance-windows').locator('li', { hasText: note })).toHaveCount(1);
    await expect(op.getByTestId('operations-result').first()).toContainText('のメンテナンスを登録しました');
  };
  const cancel = async (note: string) => {
    const item = op.getByTestId('maintenance-windows').locator('li', { hasText: note });
    if ((await item.count()) === 0) return;
    await item.getByRole('button', { name: /のメンテナンスを中止する$/ }).click();
    await op.getByRole('dialog', { name: 'このメンテナンスを中止しますか？' }).getByRole('button', { name: '中止する' }).click();
    await expect(op.getByTestId('maintenance-windows').locator('li', { hasText: note })).toHaveCount(0);
  };
  try {
    const session = await startLinking(base(), 'balances');
    await customer.page.goto(session.authorizationUrl);
    await customer.page.getByRole('button', { name: '同意する' }).click();
    await customer.page.waitForURL((url) => url.href.startsWith(DEMO_REDIRECT_URI));
    const tokens = await redeemCode(session, customer.page.url());
    const api = () => callApi(session, tokens.access_token, '/api/v1/accounts', { baseURL: base() });
    expect((await api()).status).toBe(200);

    // Announced: a window three days ahead shows on the customer's pages, and the API still answers.
    await op.goto('/staff/operations');
    await schedule(3 * 24 * 60, 3 * 24 * 60 + 120, 'E2E 予告メンテナンス');
    await customer.page.goto('/');
    await expect(customer.page.locator('[data-maintenance="announced"]')).toContainText('メンテナンスのお知らせ');
    await expect(customer.page.locator('[data-maintenance="announced"]')).toContainText('E2E 予告メンテナンス');
    expect((await api()).status).toBe(200);

    // In force: from this minute for an hour.
    await schedule(0, 60, 'E2E 実施中メンテナンス');
    const during = await api();
    expect(during.status).toBe(503);
    const retryAfter = Number(during.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(during.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(during.body)).toContain('maintenance');
    await customer.page.goto('/');
    await expect(customer.page.locator('[data-maintenance="in-force"]')).toContainText('メンテナンス中');
    await expect(customer.page.locator('[data-maintenance="in-force"]')).toContainText('E2E 実施中メンテナンス');

    await cancel('E2E 実施中メンテナンス');
    expect((await api()).status).toBe(200);
    await customer.page.goto('/');
    await expect(customer.page.locator('[data-maintenance="in-force"]')).toHaveCount(0);
  } finally {
    await op.goto('/staff/operations');
    await cancel('E2E 実施中メンテナンス');
    await cancel('E2E 予告メンテナンス');
    await Promise.all([customer.context.close(), operator.context.close()]);
    await new Promise((resolve) => callbackServer.close(resolve));
  }
});

test('a disclosure (Art. 7) and a published terms version reach the customer', async ({ browser }) => {
  const operator = await contextFor(browser, STORAGE.operator);
  const op = operator.page;
  await op.goto('/staff/operations');

  // Art. 7: recorded by the operator, shown to the customer concerned.
  await op.getByLabel('お客さま番号', { exact: true }).fill('1000002');
  await op.getByLabel('連携サービス事業者').selectOption({ label: 'かけいぼプラス（kakeibo-plus）' });
  await op.getByLabel('開示した情報').fill('口座残高と直近30日の取引明細');
  await op.getByLabel(/^\(2\) 不正アクセスが発生した場合/).check();
  await op.getByRole('button', { name: '記録する' }).click();
  await expect(op.getByTestId('operations-result').first()).toContainText('お客さま番号 1000002 のかけいぼプラスへの情報開示を記録しました。');

  // Art. 9: a new version with a future effective date is announced, the current one stays in force.
  const text = op.getByLabel('規定の全文');
  const current = await text.inputValue();
  await text.fill(current.replace(/（\d{4}年\d{1,2}月\d{1,2}日改定）\s*$/, '（2099年4月1日改定）\n'));
  await op.getByLabel('版の識別子').fill('2099-04-01');
  await op.getByLabel('改定日', { exact: true }).fill('2099-04-01');
  await op.getByLabel('適用開始日時').fill('2099-04-01T00:00');
  await op.getByRole('button', { name: '公表する' }).click();
  await expect(op.getByTestId('operations-result').first()).toContainText('利用規定 2099-04-01版を公表しました。');

  // Art. 5.2 (last sentence): the bank asks かけいぼプラス to stop passing data to ポイントモール.
  await op.goto('/staff/providers');
  await op.getByRole('link', { name: 'かけいぼプラス', exact: true }).click();
  const mall = op.locator('li', { hasText: 'ポイントモール' });
  await mall.getByRole('button', { name: '事業者に停止を依頼する' }).click();
  await op.getByRole('dialog').getByLabel('メモ（行内記録用）').fill('提携先の調査');
  await op.getByRole('dialog').getByRole('button', { name: '事業者に停止を依頼する' }).click();
  await expect(op.getByText('事業者に連鎖接続先の停止を依頼しました。')).toBeVisible();
  await operator.context.close();

  const demo = await contextFor(browser, STORAGE.demo);
  await demo.page.goto('/');
  await demo.page.getByRole('link', { name: 'かけいぼプラス の詳細・変更' }).click();
  await expect(demo.page.getByText('当行はかけいぼプラスに、この連鎖接続先への提供を停止するよう求めました')).toBeVisible();
  await expect(demo.page.getByTestId('history')).toContainText('当行が連鎖接続先「ポイントモール」への提供停止を事業者に求めました');
  await demo.context.close();

  const customer = await contextFor(browser, STORAGE.demo2);
  await customer.page.goto('/');
  const disclosures = customer.page.getByTestId('disclosures');
  await expect(disclosures).toContainText('かけいぼプラス に情報を開示しました');
  await expect(disclosures).toContainText('口座残高と直近30日の取引明細');
  await expect(disclosures).toContainText('セキュリティ上の事故の調査のため');
  // and on that provider's link itself (issue 14 §5), not on another's
  await customer.page.getByRole('link', { name: 'かけいぼプラス の詳細・変更' }).click();
  await expect(customer.page.getByTestId('link-disclosures')).toContainText('口座残高と直近30日の取引明細');
  await expect(customer.page.getByRole('heading', { name: '当行から かけいぼプラス への情報の開示（規定第7条）' })).toBeVisible();
  // demo2's other link: current, or under past links once the link spec has stopped it
  for (const view of ['/', '/?view=past']) {
    await customer.page.goto(view);
    const other = customer.page.getByRole('link', { name: /^クラウド会計レジャリー の詳細/ });
    if ((await other.count()) > 0) {
      await other.click();
      break;
    }
  }
  await expect(customer.page.getByRole('heading', { level: 1, name: 'クラウド会計レジャリー' })).toBeVisible();
  await expect(customer.page.getByTestId('link-disclosures')).toHaveCount(0);
  await customer.page.goto('/terms');
  await expect(customer.page.getByTestId('terms-in-force')).toContainText('（2020年8月21日改定）');
  await expect(customer.page.getByRole('row', { name: /2099年4月1日.*適用予定/ })).toBeVisible();
  await customer.context.close();
});
