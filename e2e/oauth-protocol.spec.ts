import { expect, test } from '@playwright/test';
import { DEMO_CLIENT_ID, DEMO_REDIRECT_URI, rawPar, startLinking, validParParams } from './support/oauth-client';

// Protocol behaviour of the authorization server (FAPI 2.0 SP) against bad input: never a 500,
// never a redirect to an unverified URI. These talk HTTP directly, like a provider's back end.
function base(): string {
  return test.info().project.use.baseURL!;
}

test.describe('authorization server protocol', () => {
  test('discovery at <issuer>/.well-known/openid-configuration and RFC 8414 advertises the FAPI 2.0 profile', async ({ request }) => {
    const oidc = await (await request.get('/oauth/.well-known/openid-configuration')).json();
    const rfc8414 = await (await request.get('/.well-known/oauth-authorization-server/oauth')).json();
    expect(oidc.issuer).toBe(`${base()}/oauth`);
    expect(rfc8414.issuer).toBe(oidc.issuer);
    expect(oidc).toMatchObject({
      require_pushed_authorization_requests: true,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      response_types_supported: ['code'],
      authorization_response_iss_parameter_supported: true,
      revocation_endpoint: `${base()}/oauth/revoke`,
      introspection_endpoint: `${base()}/oauth/introspect`,
      pushed_authorization_request_endpoint: `${base()}/oauth/par`,
    });
    // the six items of a customer's consent, and the provider's own Grant Management scopes
    expect(oidc.scopes_supported).toEqual(['balances', 'statements', 'payees', 'transfers', 'direct_debit_applications', 'direct_debit_transfers', 'grant_management_query', 'grant_management_revoke', 'ssf']);
    expect(oidc.grant_types_supported).not.toContain('password');
    expect(oidc.grant_types_supported).not.toContain('implicit');
    expect(oidc.dpop_signing_alg_values_supported.length).toBeGreaterThan(0);
  });

  test('the authorization endpoint refuses a request that did not go through PAR (RFC-shaped error to the registered URI)', async ({ request }) => {
    const params = new URLSearchParams(await validParParams());
    params.set('client_id', DEMO_CLIENT_ID);
    const response = await request.get(`/oauth/authorize?${params}`, { maxRedirects: 0 });
    expect(response.status()).toBe(303);
    const location = new URL(response.headers()['location']!);
    expect(`${location.origin}${location.pathname}`).toBe(DEMO_REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('iss')).toBe(`${base()}/oauth`);
    expect(location.searchParams.get('code')).toBeNull();
    // with a redirect URI that is not registered, no redirect at all: an error page
    params.set('redirect_uri', 'http://evil.example/callback');
    const page = await request.get(`/oauth/authorize?${params}`, { maxRedirects: 0 });
    expect(page.status()).toBe(400);
    expect(page.headers()['location']).toBeUndefined();
    expect(page.headers()['content-type']).toContain('text/html');
    expect(await page.text()).toContain('連携を開始できませんでした');
    expect(page.headers()['x-frame-options']).toBe('DENY');
  });

  test('unknown, malformed or reused request_uri values and unknown clients get an error page, never a redirect', async ({ request }) => {
    for (const query of [
      `client_id=${DEMO_CLIENT_ID}&request_uri=urn:ietf:params:oauth:request_uri:nope`,
      `client_id=${DEMO_CLIENT_ID}&request_uri=%%%`,
      'client_id=unknown-client&request_uri=urn:ietf:params:oauth:request_uri:x',
      'request_uri=urn:ietf:params:oauth:request_uri:x',
    ]) {
      const response = await request.get(`/oauth/authorize?${query}`, { maxRedirects: 0 });
      expect(response.status(), query).toBeGreaterThanOrEqual(400);
      expect(response.status(), query).toBeLessThan(500);
      expect(response.headers()['location'], query).toBeUndefined();
    }
    // Before the authorization completes, a reload of the same request_uri is tolerated (RFC 9126 §4);
    // once a code was issued it is refused (consent.spec.ts).
    const session = await startLinking(base(), 'balances');
    const first = await request.get(session.authorizationUrl, { maxRedirects: 0 });
    expect(first.status()).toBe(303);
    expect(first.headers()['location']).toMatch(/^\/consent\//);
  });

  test("another client cannot use a provider's request_uri, and an expired request_uri is refused", async ({ request }) => {
    const session = await startLinking(base(), 'balances');
    const stolen = new URL(session.authorizationUrl);
    stolen.searchParams.set('client_id', 'demo-provider-b');
    const response = await request.get(stolen.toString(), { maxRedirects: 0 });
    expect(response.status()).toBe(400);
    expect(response.headers()['location']).toBeUndefined();
    // request_uri lifetime is 60 s (< 600 s): after it, an error page. The e2e hook moves its
    // record's clock on instead of waiting the minute.
    const requestUri = new URL(session.authorizationUrl).searchParams.get('request_uri')!;
    const aged = await request.post('/api/sandbox/expire-request-uri', { headers: { Origin: base() }, data: { requestUri } });
    expect(await aged.json()).toEqual({ expired: 1 });
    const expired = await request.get(session.authorizationUrl, { maxRedirects: 0 });
    expect(expired.status()).toBe(400);
    expect(expired.headers()['location']).toBeUndefined();
  });

  test('PAR refuses redirect URIs that are not exactly registered', async () => {
    for (const redirect_uri of [
      `${DEMO_REDIRECT_URI}/`,
      DEMO_REDIRECT_URI.replace('localhost', 'LOCALHOST'),
      `${DEMO_REDIRECT_URI}/extra`,
      `${DEMO_REDIRECT_URI}?x=1`,
      DEMO_REDIRECT_URI.replace('http:', 'https:'),
      'http://evil.example/callback',
    ]) {
      const { status, body } = await rawPar(base(), await validParParams({ redirect_uri }));
      expect(status, redirect_uri).toBe(400);
      expect(String(body.error), redirect_uri).toMatch(/^invalid_(redirect_uri|request)$/);
    }
  });

  test('PAR requires PKCE with S256, the code flow only and a known client', async () => {
    const cases: [string, Record<string, string | undefined>, RegExp][] = [
      ['no PKCE', { code_challenge: undefined, code_challenge_method: undefined }, /invalid_request/],
      ['plain PKCE', { code_challenge_method: 'plain' }, /invalid_request/],
      ['implicit', { response_type: 'token' }, /unsupported_response_type|invalid_request/],
      ['no redirect_uri', { redirect_uri: undefined }, /invalid_request|invalid_redirect_uri/],
    ];
    for (const [name, overrides, error] of cases) {
      const { status, body } = await rawPar(base(), await validParParams(overrides));
      expect(status, name).toBe(400);
      expect(String(body.error), name).toMatch(error);
    }
    const unknown = await rawPar(base(), await validParParams(), { clientId: 'unknown-client' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('invalid_client');
  });

  test('the token endpoint answers bad requests with RFC 6749 errors, not 500', async ({ request }) => {
    const noAuth = await request.post('/oauth/token', { form: { grant_type: 'authorization_code', code: 'x', redirect_uri: DEMO_REDIRECT_URI } });
    expect(noAuth.status()).toBe(400);
    expect((await noAuth.json()).error).toMatch(/invalid_(client|request)/);
    const password = await request.post('/oauth/token', { form: { grant_type: 'password', username: 'demo', password: 'demo-Pass-2020', client_id: DEMO_CLIENT_ID } });
    expect(password.status()).toBeGreaterThanOrEqual(400);
    expect(password.status()).toBeLessThan(500);
    const garbage = await request.post('/oauth/token', { data: '%%%not-a-form', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(garbage.status()).toBeGreaterThanOrEqual(400);
    expect(garbage.status()).toBeLessThan(500);
  });
});
