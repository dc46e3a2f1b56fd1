import fs from 'node:fs';
import path from 'node:path';
import { importJWK, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';

// A provider's back end, as the tests (and integrators) drive it: PAR + PKCE + private_key_jwt + DPoP.
export const DEMO_CLIENT_ID = 'demo-provider';
export const DEMO_REDIRECT_URI = 'http://localhost:4000/callback';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

export async function demoClientKey(): Promise<{ key: CryptoKey; kid: string }> {
  const file = path.join(process.cwd(), 'examples', 'demo-provider', 'private-jwks.json');
  const jwk = (JSON.parse(fs.readFileSync(file, 'utf8')) as { keys: (JWK & { kid: string })[] }).keys[0]!;
  return { key: (await importJWK(jwk, jwk.alg ?? 'ES256')) as CryptoKey, kid: jwk.kid };
}

export type ProviderSession = {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  dpop: oauth.DPoPHandle;
  dpopKeys: CryptoKeyPair;
  codeVerifier: string;
  state: string;
  authorizationUrl: string;
  requestUri: string;
};

export async function discover(baseURL: string): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(`${baseURL}/oauth`);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oidc' }));
}

/** Pushes an authorization request (PAR) and returns the URL to send the customer to. */
export async function startLinking(baseURL: string, scope: string, options: { clientId?: string; redirectUri?: string; extra?: Record<string, string> } = {}): Promise<ProviderSession> {
  const as = await discover(baseURL);
  const client: oauth.Client = { client_id: options.clientId ?? DEMO_CLIENT_ID, token_endpoint_auth_signing_alg: 'ES256' };
  const { key, kid } = await demoClientKey();
  const auth = oauth.PrivateKeyJwt({ key, kid });
  const dpopKeys = await oauth.generateKeyPair('ES256');
  const dpop = oauth.DPoP(client, dpopKeys);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const params = new URLSearchParams({
    response_type: 'code',
    redirect_uri: options.redirectUri ?? DEMO_REDIRECT_URI,
    scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...options.extra,
  });
  const response = await oauth.pushedAuthorizationRequest(as, client, auth, params, { ...insecure, DPoP: dpop });
  const par = await oauth.processPushedAuthorizationResponse(as, client, response);
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('request_uri', par.request_uri);
  return { as, client, auth, dpop, dpopKeys, codeVerifier, state, authorizationUrl: url.toString(), requestUri: par.request_uri };
}

export async function redeemCode(session: ProviderSession, callbackUrl: string, redirectUri = DEMO_REDIRECT_URI) {
  const params = oauth.validateAuthResponse(session.as, session.client, new URL(callbackUrl), session.state);
  const response = await oauth.authorizationCodeGrantRequest(session.as, session.client, session.auth, params, redirectUri, session.codeVerifier, {
    ...insecure,
    DPoP: session.dpop,
  });
  return recordTokens(await oauth.processAuthorizationCodeResponse(session.as, session.client, response));
}

/**
 * Every token the tests obtain is noted in data/logs/e2e-tokens.txt: e2e/logs.check.ts fails if
 * any of them appears in the server's log.
 */
function recordTokens<T extends { access_token: string; refresh_token?: string }>(tokens: T): T {
  fs.mkdirSync(path.join('data', 'logs'), { recursive: true });
  fs.appendFileSync(path.join('data', 'logs', 'e2e-tokens.txt'), `${[tokens.access_token, tokens.refresh_token].filter(Boolean).join('\n')}\n`);
  return tokens;
}

export async function refresh(session: ProviderSession, refreshToken: string) {
  const response = await oauth.refreshTokenGrantRequest(session.as, session.client, session.auth, refreshToken, { ...insecure, DPoP: session.dpop });
  return recordTokens(await oauth.processRefreshTokenResponse(session.as, session.client, response));
}

export async function revoke(session: ProviderSession, token: string): Promise<void> {
  const response = await oauth.revocationRequest(session.as, session.client, session.auth, token, insecure);
  await oauth.processRevocationResponse(response);
}

export async function introspect(session: ProviderSession, token: string) {
  const response = await oauth.introspectionRequest(session.as, session.client, session.auth, token, insecure);
  return oauth.processIntrospectionResponse(session.as, session.client, response);
}

/**
 * Grant Management: the provider's token as itself (client credentials, private_key_jwt, DPoP),
 * by oauth4webapi, a client written elsewhere.
 */
export async function managementToken(baseURL: string, scope: string, options: { clientId?: string } = {}) {
  const as = await discover(baseURL);
  const client: oauth.Client = { client_id: options.clientId ?? DEMO_CLIENT_ID, token_endpoint_auth_signing_alg: 'ES256' };
  const dpopKeys = await oauth.generateKeyPair('ES256');
  const dpop = oauth.DPoP(client, dpopKeys);
  // A well-behaved provider waits out the token endpoint's traffic limit (429 + Retry-After).
  let response = await oauth.clientCredentialsGrantRequest(as, client, await clientAuth(), new URLSearchParams({ scope }), { ...insecure, DPoP: dpop });
  for (let attempt = 1; response.status === 429 && attempt < 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
    response = await oauth.clientCredentialsGrantRequest(as, client, await clientAuth(), new URLSearchParams({ scope }), { ...insecure, DPoP: dpop });
  }
  const tokens = recordTokens(await oauth.processClientCredentialsResponse(as, client, response));
  return { as, client, dpop, accessToken: tokens.access_token, tokens };
}

/** GET or DELETE <grant_management_endpoint>/<grant_id> with the management token (oauth4webapi's DPoP). */
export async function grantRequest(management: Awaited<ReturnType<typeof managementToken>>, method: 'GET' | 'DELETE', grantId: string) {
  const url = new URL(`${String(management.as.grant_management_endpoint)}/${encodeURIComponent(grantId)}`);
  let response: Response;
  try {
    response = await oauth.protectedResourceRequest(management.accessToken, method, url, new Headers(), null, { ...insecure, DPoP: management.dpop });
  } catch (error) {
    // oauth4webapi throws on a 401/403 with a challenge; the tests read the response itself.
    if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
    response = error.response;
  }
  return { status: response.status, body: response.status === 204 ? null : await jsonOrText(response), headers: response.headers };
}

/** A raw PAR request with any parameters, for protocol tests: returns status and JSON body. */
export async function rawPar(baseURL: string, params: Record<string, string>, options: { clientId?: string; assertion?: (payload: Record<string, unknown>) => void } = {}) {
  const as = await discover(baseURL);
  const client: oauth.Client = { client_id: options.clientId ?? DEMO_CLIENT_ID, token_endpoint_auth_signing_alg: 'ES256' };
  const response = await oauth.pushedAuthorizationRequest(as, client, await clientAuth(options.assertion), new URLSearchParams(params), insecure);
  return { status: response.status, body: await jsonOrText(response) };
}

/** A raw token request (refresh_token grant) with any refresh token, for protocol tests. */
export async function rawToken(baseURL: string, refreshToken: string, options: { assertion?: (payload: Record<string, unknown>) => void } = {}) {
  const as = await discover(baseURL);
  const client: oauth.Client = { client_id: DEMO_CLIENT_ID, token_endpoint_auth_signing_alg: 'ES256' };
  const response = await oauth.refreshTokenGrantRequest(as, client, await clientAuth(options.assertion), refreshToken, insecure);
  return { status: response.status, body: await jsonOrText(response) };
}

/** The demo provider's private_key_jwt, its assertion changed by `modify` when given (e.g. a future iat). */
async function clientAuth(modify?: (payload: Record<string, unknown>) => void): Promise<oauth.ClientAuth> {
  const { key, kid } = await demoClientKey();
  return oauth.PrivateKeyJwt({ key, kid }, modify ? { [oauth.modifyAssertion]: (_header, payload) => modify(payload as Record<string, unknown>) } : {});
}

export async function validParParams(overrides: Record<string, string | undefined> = {}): Promise<Record<string, string>> {
  const verifier = oauth.generateRandomCodeVerifier();
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    redirect_uri: DEMO_REDIRECT_URI,
    scope: 'balances',
    state: oauth.generateRandomState(),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A DPoP proof for one request (RFC 9449), built by hand so tests can also break it on purpose. */
export async function dpopProof(keys: CryptoKeyPair, input: { method: string; url: string; accessToken: string; htu?: string; iat?: number; jti?: string }): Promise<string> {
  const { SignJWT, exportJWK } = await import('jose');
  const { createHash, randomUUID } = await import('node:crypto');
  const jwk = await exportJWK(keys.publicKey);
  const u = new URL(input.url);
  return new SignJWT({
    htm: input.method,
    htu: input.htu ?? `${u.origin}${u.pathname}`,
    jti: input.jti ?? randomUUID(),
    ath: createHash('sha256').update(input.accessToken).digest('base64url'),
  })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
    .setIssuedAt(input.iat)
    .sign(keys.privateKey);
}

/** Calls the provider API with `Authorization: DPoP` and a fresh (or given) proof. */
/**
 * A well-behaved provider: over the bank's traffic limit (429) it waits `Retry-After` seconds and
 * sends the call again with a new proof. A caller that brings its own proof sees the 429 itself.
 */
async function withRetryOn429(send: () => Promise<Response>, retry: boolean): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    const response = await send();
    if (response.status !== 429 || !retry || attempt >= 5) return response;
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
  }
}

export async function callApi(session: ProviderSession, accessToken: string, path: string, options: { proof?: string; scheme?: string; baseURL: string } ) {
  const url = `${options.baseURL}${path}`;
  let proof = options.proof ?? '';
  const response = await withRetryOn429(async () => {
    proof = options.proof ?? (await dpopProof(session.dpopKeys, { method: 'GET', url, accessToken }));
    return fetch(url, { headers: { Authorization: `${options.scheme ?? 'DPoP'} ${accessToken}`, DPoP: proof } });
  }, options.proof === undefined);
  return { status: response.status, body: await jsonOrText(response), headers: response.headers, proof };
}

/** POSTs JSON to the provider API with DPoP (and an Idempotency-Key when given). */
export async function postApi(session: ProviderSession, accessToken: string, path: string, body: string, options: { baseURL: string; key?: string; contentType?: string }) {
  const url = `${options.baseURL}${path}`;
  const response = await withRetryOn429(async () => {
    const headers: Record<string, string> = {
      Authorization: `DPoP ${accessToken}`,
      DPoP: await dpopProof(session.dpopKeys, { method: 'POST', url, accessToken }),
      'Content-Type': options.contentType ?? 'application/json',
    };
    if (options.key) headers['Idempotency-Key'] = options.key;
    return fetch(url, { method: 'POST', headers, body });
  }, true);
  const raw = await response.clone().text();
  return { status: response.status, body: await jsonOrText(response), headers: response.headers, raw };
}

async function jsonOrText(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text };
  }
}
