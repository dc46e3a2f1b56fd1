import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { STORAGE } from './support/users';

// The demo provider app (examples/demo-provider) against this bank: the round trip a person
// makes after the quick start with `npm run demo:provider`.
let app: ChildProcess | undefined;

test.beforeAll(async () => {
  app = spawn(process.execPath, ['--import', 'tsx', 'examples/demo-provider/server.ts'], {
    env: { ...process.env, RENKEI_URL: test.info().project.use.baseURL! },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch('http://localhost:4000/')).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the demo provider did not start on :4000');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

test.afterAll(async () => {
  if (!app) return;
  const exited = new Promise((resolve) => app!.once('exit', resolve));
  app.kill();
  await exited;
});

test.use({ storageState: STORAGE.demo2 });

test('the demo provider links, queries its grant and adds an item to it, refreshes and revokes', async ({ page }) => {
  await page.goto('http://localhost:4000/');
  await page.locator('input[name=scope][value=transfers]').uncheck();
  await page.getByRole('button', { name: '銀行口座を連携する / Connect your bank' }).click();
  await expect(page).toHaveURL(/\/consent\//);
  await page.getByRole('button', { name: '同意する' }).click();
  await expect(page.getByText('口座を連携しました / Your bank account is linked')).toBeVisible();
  expect((await page.locator('#granted-scope').getAttribute('data-scope'))?.split(' ').sort()).toEqual(['balances', 'payees', 'statements']);
  // Grant Management: the app shows its grant as the bank holds it, and adds an item to the same grant
  const grantId = (await page.locator('#grant-id code').textContent())!;
  expect(grantId.length).toBeGreaterThan(20);
  await page.locator('#query-grant').click();
  await expect(page.locator('#grant-json')).toContainText(`"grant_id": "${grantId}"`);
  await expect(page.locator('#grant-json')).toContainText('"status": "active"');
  await page.locator('#add-items-form input[value=transfers]').check();
  await page.locator('#add-items').click();
  await expect(page.getByTestId('consent-current')).toContainText('いまの連携に項目を追加することを求めています');
  await page.getByRole('button', { name: '同意する' }).click();
  await expect(page.getByText('連携に項目を追加しました / Items added to your link')).toBeVisible();
  await expect(page.getByText(`grant_id: ${grantId} (unchanged)`)).toBeVisible();
  expect((await page.locator('#granted-scope').getAttribute('data-scope'))?.split(' ').sort()).toEqual(['balances', 'payees', 'statements', 'transfers']);
  await page.locator('#refresh').click();
  await expect(page.getByText('トークンを更新しました / Token refreshed')).toBeVisible();
  await page.locator('#introspect').click();
  await expect(page.locator('#introspect-active')).toHaveAttribute('data-active', 'true');
  await page.locator('#revoke').click();
  await expect(page.getByRole('button', { name: '銀行口座を連携する / Connect your bank' })).toBeVisible();
  // The bank tells the provider (a signed Security Event Token pushed to its events endpoint). Earlier
  // specs' events, retried while this app was not listening, may arrive too: at least this one.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('#notifications tr[data-event-type="link-revoked"]').first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await page.goto('/?view=past');
  await expect(page.getByRole('article', { name: 'デモ連携アプリ', exact: true }).locator('span[data-status]')).toHaveText('連携停止済み');
});
