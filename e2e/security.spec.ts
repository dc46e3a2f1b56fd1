import { expect, test } from '@playwright/test';
import { rawPar, rawToken, validParParams } from './support/oauth-client';
import { signIn } from './support/sign-in';
import { DEMO, STORAGE } from './support/users';

// The named security suite (docs/security.md is its table): each test is one requirement, named
// by it. Defects from the black-box attack run (issue 16) each have a test here that failed
// before the fix.

const base = () => test.info().project.use.baseURL!;
const HOSTILE_NEXT = ['/\t/evil.example/', '/%09/evil.example/', '//evil.example/', '/\\evil.example/', '/.//evil.example/', 'https://evil.example/', '/%2f%2fevil.example'];

test.describe('open redirect (ASVS 5.0 V3.7.2; issue 16 defect 1)', () => {
  test.describe('signed in', () => {
    test.use({ storageState: STORAGE.demo });
    test('SEC-REDIRECT-1 a signed-in customer opening /login?next=<hostile> stays on this site', async ({ page }) => {
      for (const next of HOSTILE_NEXT) {
        const response = await page.request.get(`/login?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
        expect(response.status(), next).toBeGreaterThanOrEqual(300);
        const location = response.headers().location ?? '';
        expect(new URL(location, base()).origin, `${next} → ${location}`).toBe(new URL(base()).origin);
        expect(location, next).toMatch(/^\/(?![/\\\t])/);
        await page.goto(`/login?next=${encodeURIComponent(next)}`);
        expect(new URL(page.url()).origin, next).toBe(new URL(base()).origin);
      }
    });
  });

  test('SEC-REDIRECT-2 signing in with a hostile next lands on this site’s home page', async ({ page }) => {
    await signIn(page, DEMO, '/\t/evil.example/', '/login', '/');
    await expect(page.getByRole('heading', { level: 1, name: '連携サービスの管理' })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(base()).origin);
    expect(new URL(page.url()).pathname).toBe('/');
  });
});

test.describe('OAuth endpoints (FAPI 2.0 SP; RFC 7523; issue 16 defects 4, 6, 7, 8)', () => {
  test('SEC-AS-IAT-1 a client assertion with iat more than 10 s in the future is refused at PAR', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const ahead of [61, 3600]) {
      const refused = await rawPar(base(), await validParParams(), { assertion: (p) => void (p.iat = now + ahead) });
      expect(refused.status, `iat +${ahead} s`).toBe(401);
      expect(refused.body.error).toBe('invalid_client');
    }
    const accepted = await rawPar(base(), await validParParams(), { assertion: (p) => void (p.iat = now + 2) });
    expect(accepted.status).toBe(201);
  });

  test('SEC-AS-IAT-2 a client assertion with iat more than 10 s in the future is refused at the token endpoint', async () => {
    const now = Math.floor(Date.now() / 1000);
    const refused = await rawToken(base(), 'not-a-refresh-token', { assertion: (p) => void (p.iat = now + 61) });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    // With a present iat the client is authenticated and the (bogus) refresh token is what is refused.
    const checked = await rawToken(base(), 'not-a-refresh-token');
    expect(checked.status).toBe(400);
    expect(checked.body.error).not.toBe('invalid_client');
  });

  test('SEC-AS-CORS-1 no OAuth endpoint answers a cross-origin preflight or request with CORS headers', async ({ request }) => {
    for (const path of ['/oauth/par', '/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/jwks', '/oauth/.well-known/openid-configuration']) {
      const preflight = await request.fetch(path, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
      expect(preflight.headers()['access-control-allow-origin'], `OPTIONS ${path}`).toBeUndefined();
      expect(preflight.status(), `OPTIONS ${path}`).toBe(405);
    }
    const discovery = await request.get('/oauth/.well-known/openid-configuration', { headers: { Origin: 'https://evil.example' } });
    expect(discovery.status()).toBe(200);
    expect(discovery.headers()['access-control-allow-origin']).toBeUndefined();
    const token = await request.post('/oauth/token', { headers: { Origin: 'https://evil.example' }, form: { grant_type: 'authorization_code', code: 'x' } });
    expect(token.headers()['access-control-allow-origin']).toBeUndefined();
  });

  test('SEC-AS-METHOD-1 GET on a POST-only OAuth endpoint answers 405 with Allow: POST', async ({ request }) => {
    for (const path of ['/oauth/par', '/oauth/token', '/oauth/revoke', '/oauth/introspect']) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(405);
      expect(response.headers().allow, path).toBe('POST');
    }
  });

  test('SEC-AS-SCOPE-1 an unregistered scope value at PAR is ignored, never granted (decision 12)', async () => {
    const { status, body } = await rawPar(base(), await validParParams({ scope: 'balances no_such_item' }));
    expect(status).toBe(201);
    expect(typeof body.request_uri).toBe('string');
  });
});

test.describe('security headers (ASVS 5.0 V3.4.1, V3.4.4; issue 16 defect 5)', () => {
  test('SEC-HEADERS-1 every kind of response carries Strict-Transport-Security and X-Content-Type-Options: nosniff', async ({ request, page }) => {
    await page.goto('/login');
    const staticFile = await page.locator('script[src^="/_next/static/"]').first().getAttribute('src');
    expect(staticFile).toBeTruthy();
    const cases: [string, string, number | null][] = [
      ['a page', '/login', 200],
      ['a redirect to sign-in', '/', 303],
      ['a 404 page', '/no-such-page', 404],
      ['a static file', staticFile!, 200],
      ['the icon', '/icon.svg', 200],
      ['the provider API', '/api/v1/accounts', 401],
      ['the OpenAPI document', '/api/v1/openapi.json', 200],
      ['an OAuth endpoint', '/oauth/jwks', 200],
      ['an OAuth refusal', '/oauth/token', 405],
      ['metrics without a token', '/metrics', null],
    ];
    for (const [what, path, status] of cases) {
      const response = await request.get(path, { maxRedirects: 0 });
      if (status !== null) expect(response.status(), `${what} ${path}`).toBe(status);
      expect(response.headers()['strict-transport-security'], `${what} ${path}`).toMatch(/max-age=\d{8,}/);
      expect(response.headers()['x-content-type-options'], `${what} ${path}`).toBe('nosniff');
    }
  });
});

test.describe('cross-site requests (ASVS 5.0 V3.5.1; issue 16 defect 2)', () => {
  test.use({ storageState: STORAGE.demo });
  test('SEC-CSRF-1 a captured Server Action replayed without Origin, or with a foreign or null Origin, is refused with 403 and changes nothing', async ({ page }) => {
    await page.goto('/');
    await page.locator('a[href^="/links/"]').first().click();
    const on = page.locator('[role="switch"][aria-checked="true"]:not([disabled])').first();
    await expect(on).toBeVisible();
    const name = await on.getAttribute('aria-labelledby');
    let captured: { url: string; headers: Record<string, string>; body: Buffer } | undefined;
    await page.route('**/*', async (route) => {
      const request = route.request();
      if (request.method() === 'POST' && request.headers()['next-action'] && !captured) {
        captured = { url: request.url(), headers: await request.allHeaders(), body: request.postDataBuffer() ?? Buffer.alloc(0) };
        return route.abort();
      }
      return route.continue();
    });
    await on.click();
    await page.getByRole('dialog').getByRole('button').last().click();
    await expect.poll(() => captured !== undefined).toBe(true);
    await page.unroute('**/*');
    const headers = Object.fromEntries(Object.entries(captured!.headers).filter(([k]) => !k.startsWith(':') && !['cookie', 'content-length', 'host', 'origin', 'sec-fetch-site'].includes(k)));
    for (const origin of [undefined, 'null', 'https://evil.example']) {
      const response = await page.request.fetch(captured!.url, { method: 'POST', headers: origin ? { ...headers, origin } : headers, data: captured!.body, maxRedirects: 0 });
      expect(response.status(), `Origin: ${origin ?? '(none)'}`).toBe(403);
    }
    // Nothing changed: the item is still shared.
    await page.reload();
    await expect(page.locator(`[role="switch"][aria-labelledby="${name}"]`)).toHaveAttribute('aria-checked', 'true');
  });
});
