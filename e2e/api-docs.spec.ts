import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PROBLEM_EXAMPLE } from '../components/api-docs/connect-examples';
import { exampleOf, operationsOf, type OpenApiDoc } from '../components/api-docs/openapi-model';
import { expectNoAxeViolations } from './support/axe';
import { servedOpenApi } from './support/openapi-validate';

// The provider API reference (/docs/providers): public, generated from the served OpenAPI document.

function base(): string {
  return test.info().project.use.baseURL!;
}

/** Where the screenshots go: the test's output, or docs/screenshots with API_DOCS_SCREENSHOTS=1. */
function screenshotPath(name: string): string {
  if (process.env.API_DOCS_SCREENSHOTS) return path.join('docs', 'screenshots', `api-docs-${name}.png`);
  return test.info().outputPath(`api-docs-${name}.png`);
}

async function noHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('the API reference is public and shows every operation of the served OpenAPI document', async ({ page }) => {
  const response = await page.goto('/docs/providers');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/docs\/providers$/); // no sign-in redirect
  await expect(page.getByRole('heading', { level: 1, name: '口座連携サービス API リファレンス' })).toBeVisible();

  const validator = await servedOpenApi(base());
  const doc = validator.doc as unknown as OpenApiDoc;
  await expect(page.getByText(doc.servers![0]!.url, { exact: true }).first()).toBeVisible();

  const operations = operationsOf(doc);
  const methods = ['get', 'put', 'post', 'delete', 'patch'];
  expect(operations).toHaveLength(Object.values(doc.paths).flatMap((p) => Object.keys(p).filter((k) => methods.includes(k))).length);
  await expect(page.getByTestId('operation')).toHaveCount(operations.length);
  for (const op of operations) {
    const section = page.locator(`[data-operation="${op.id}"]`);
    await expect(section.getByRole('heading', { level: 3, name: `${op.method} ${op.path}` })).toBeVisible();
    // the table of contents links to it
    await expect(page.getByRole('navigation', { name: '目次' }).locator(`a[href="#${op.anchor}"]`)).toHaveCount(1);
    for (const item of op.items) await expect(section.getByText(item, { exact: true }).first()).toBeVisible();
    for (const p of op.parameters) await expect(section.getByTestId('parameters').locator(`[data-field="${p.name}"]`)).toHaveCount(1);
    if (op.requestBody) {
      const fields = section.getByTestId('request-fields');
      for (const f of op.requestBody.fields) await expect(fields.locator(`[data-field="${f.name}"]`)).toHaveCount(1);
    }
    if (op.success) {
      const fields = section.getByTestId('response-fields');
      for (const f of op.success.fields) await expect(fields.locator(`[data-field="${f.name}"]`)).toHaveCount(1);
    }
    const statuses = await section.getByTestId('error-statuses').locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-status')));
    expect(statuses).toEqual(op.errors.map((e) => e.status));
    // the example request is a curl to the operation's server, with both DPoP headers when it takes a token
    const curl = section.locator('pre').first();
    await expect(curl).toContainText(`curl -X ${op.method} '${op.server}`);
    if (op.items.length > 0) {
      await expect(curl).toContainText('Authorization: DPoP $ACCESS_TOKEN');
      await expect(curl).toContainText('DPoP: $DPOP_PROOF');
    } else await expect(curl).not.toContainText('Authorization');
    if (op.parameters.some((p) => p.name === 'Idempotency-Key')) await expect(curl).toContainText('Idempotency-Key');
    // a call under the authorization server says so
    if (op.ownServer) await expect(section.getByTestId('operation-server')).toHaveText(op.server);
    else await expect(section.getByTestId('operation-server')).toHaveCount(0);
  }
  // the instructions take an Idempotency-Key; Grant Management and Shared Signals live under the authorization server
  expect(operations.filter((op) => op.parameters.some((p) => p.name === 'Idempotency-Key')).map((op) => op.id)).toEqual(['createDirectDebitApplication', 'createDirectDebitTransfer', 'createTransfer']);
  expect(operations.filter((op) => op.ownServer && op.server === `${base()}/oauth`).map((op) => op.path)).toEqual([
    '/grants/{grant_id}',
    '/grants/{grant_id}',
    '/ssf/stream',
    '/ssf/stream',
    '/ssf/stream',
    '/ssf/stream',
    '/ssf/stream',
    '/ssf/status',
    '/ssf/status',
    '/ssf/verify',
    '/ssf/poll',
  ]);

  // the authorization server addresses are the ones discovery advertises
  const discovery = (await (await page.request.get('/oauth/.well-known/openid-configuration')).json()) as Record<string, string>;
  expect(discovery.service_documentation).toBe(`${base()}/docs/providers`);
  const endpoints = page.getByTestId('as-endpoints');
  for (const key of ['issuer', 'pushed_authorization_request_endpoint', 'authorization_endpoint', 'token_endpoint', 'revocation_endpoint', 'introspection_endpoint', 'jwks_uri']) {
    await expect(endpoints, key).toContainText(discovery[key]!);
  }
  await expect(endpoints).toContainText(`${base()}/oauth/.well-known/openid-configuration`);
  await expect(endpoints).toContainText(`${base()}/.well-known/oauth-authorization-server/oauth`);

  // every error code, the check order, the sandbox's demo users
  for (const code of ['invalid-token', 'invalid-dpop-proof', 'provider-not-active', 'link-not-active', 'insufficient-scope', 'not-found', 'idempotency-key-in-flight', 'idempotency-key-reused', 'internal-error', 'maintenance', 'temporarily-unavailable']) {
    await expect(page.getByTestId('errors').locator(`[data-code="${code}"]`)).toHaveCount(1);
  }
  await expect(page.getByTestId('checks').locator(':scope > li')).toHaveCount(11);
  await expect(page.getByTestId('demo-customers')).toContainText('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  await expect(page.getByTestId('demo-customers')).toContainText('demo2-Pass-2020');
  await expect(page.getByTestId('registration-fields').locator('[data-field="renkei.permitted_items"]')).toHaveCount(1);

  // the document itself can be downloaded from the page
  const href = await page.getByTestId('openapi-download').getAttribute('href');
  expect(href).toBe('/api/v1/openapi.json');
  expect((await page.request.get(href!)).headers()['content-type']).toContain('application/json');

  // an anchor of the table of contents lands on its operation
  await page.getByRole('navigation', { name: '目次' }).getByRole('link', { name: /POST\s*\/transfers/ }).click();
  await expect(page).toHaveURL(/#op-createTransfer$/);
  await expect(page.getByRole('heading', { level: 3, name: 'POST /transfers' })).toBeInViewport();

  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/docs/providers');
  await page.screenshot({ path: screenshotPath('desktop') });
  await page.locator('#op-createTransfer').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('op-createTransfer')?.scrollIntoView());
  await page.screenshot({ path: screenshotPath('desktop-operation') });
});

test('the examples the reference shows conform to the document', async () => {
  const validator = await servedOpenApi(base());
  const doc = validator.doc as unknown as OpenApiDoc;
  for (const op of operationsOf(doc)) {
    if (op.requestBody) expect(validator.validateRequest(op.method, op.path, op.requestBody.example), `${op.id} request example`).toEqual([]);
    if (op.success?.mediaType) {
      const status = Number(op.success.status);
      expect(validator.validateResponse({ method: op.method, path: op.path, status, contentType: op.success.mediaType, body: op.success.example }), `${op.id} response example`).toEqual([]);
      expect(validator.validateResponse({ method: op.method, path: op.path, status, contentType: op.success.mediaType, body: exampleOf(doc, { $ref: '#/components/schemas/Problem' }) })).not.toEqual([]);
    }
  }
  expect(validator.validateComponent('Problem', PROBLEM_EXAMPLE.body)).toEqual([]);
});

test('the English reference, and the footer link to it from every page', async ({ page, context }) => {
  await page.goto('/terms');
  await page.getByTestId('footer-api-docs').click();
  await expect(page).toHaveURL(/\/docs\/providers$/);
  await expect(page.getByRole('heading', { level: 1, name: '口座連携サービス API リファレンス' })).toBeVisible();

  await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', url: base() }]);
  await page.goto('/docs/providers');
  await expect(page.getByRole('heading', { level: 1, name: 'Account linking API reference' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'GET /accounts/{id}/balance' })).toBeVisible();
  await expect(page.getByTestId('footer-api-docs')).toHaveText('API reference for providers');
  await expectNoAxeViolations(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/docs/providers');
  await page.screenshot({ path: screenshotPath('desktop-en') });
});

test('the reference works at 390 px: nothing overflows, code examples scroll by themselves, axe passes', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/docs/providers');
  await noHorizontalOverflow(page);
  // a long example scrolls inside its own block, which the keyboard can reach
  const curl = page.locator('[data-operation="createTransfer"] pre').first();
  const scroll = await curl.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, tabIndex: el.tabIndex, overflowX: getComputedStyle(el).overflowX }));
  expect(scroll.scrollWidth).toBeGreaterThan(scroll.clientWidth);
  expect(scroll.overflowX).toBe('auto');
  expect(scroll.tabIndex).toBe(0);
  await expectNoAxeViolations(page);
  await page.screenshot({ path: screenshotPath('phone') });
  await page.evaluate(() => document.getElementById('op-getBalance')?.scrollIntoView());
  await page.screenshot({ path: screenshotPath('phone-operation') });
  fs.mkdirSync(path.dirname(screenshotPath('x')), { recursive: true });
});
