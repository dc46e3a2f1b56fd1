import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oauth from 'oauth4webapi';
import { startCallbackServer } from './support/callback-server';
import { servedOpenApi } from './support/openapi-validate';
import { grantRequest, managementToken, redeemCode, startLinking } from './support/oauth-client';
import { signIn } from './support/sign-in';
import { DEMO4 } from './support/users';

// Issue 15 §2: an OpenID Shared Signals Framework 1.0 receiver, written here against the spec text
// (SSF 1.0 §7 configuration, §8 streams, status and verification; RFC 8935 push, RFC 8936 poll;
// RFC 8417 SETs verified with jose against the transmitter's jwks_uri). The receiver is the
// provider demo-provider-b; the subject is demo4's link with it (nobody else's).
const CLIENT_B = { clientId: 'demo-provider-b', redirectUri: 'http://localhost:4000/callback-b' };
const STATEMENTS_SWITCH = 'お取引明細';
const insecure = { [oauth.allowInsecureRequests]: true } as const;
const base = () => test.info().project.use.baseURL!;

type Configuration = {
  issuer: string;
  jwks_uri: string;
  delivery_methods_supported: string[];
  configuration_endpoint: string;
  status_endpoint: string;
  verification_endpoint: string;
  authorization_schemes: { spec_urn: string }[];
  default_subjects: string;
};

let callbacks: http.Server | undefined;
test.beforeAll(async () => {
  callbacks = await startCallbackServer();
});
test.afterAll(async () => {
  await new Promise((resolve) => callbacks?.close(resolve));
});

/** The receiver's calls to the transmitter, with its own DPoP-bound token (client credentials, scope ssf). */
async function receiver() {
  const management = await managementToken(base(), 'ssf', { clientId: CLIENT_B.clientId });
  const call = async (method: string, url: string, body?: unknown) => {
    const headers = new Headers(body === undefined ? {} : { 'Content-Type': 'application/json' });
    let response: Response;
    try {
      response = await oauth.protectedResourceRequest(management.accessToken, method, new URL(url), headers, body === undefined ? null : JSON.stringify(body), { ...insecure, DPoP: management.dpop });
    } catch (error) {
      if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
      response = error.response;
    }
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    // every answer is the one the OpenAPI document describes for that call and status
    if (parsed !== null) {
      const validator = await servedOpenApi(base());
      expect(validator.validateResponse({ method, path: new URL(url).pathname, status: response.status, contentType: response.headers.get('content-type'), body: parsed }), `${method} ${url}`).toEqual([]);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return { management, call };
}

async function verifySet(config: Configuration, set: string): Promise<JWTPayload & { events: Record<string, Record<string, unknown>>; sub_id: Record<string, string>; txn?: string }> {
  const { payload, protectedHeader } = await jwtVerify(set, createRemoteJWKSet(new URL(config.jwks_uri)), { issuer: config.issuer, audience: CLIENT_B.clientId, typ: 'secevent+jwt' });
  expect(protectedHeader.typ).toBe('secevent+jwt');
  expect(payload.exp).toBeUndefined();
  expect(payload.sub).toBeUndefined();
  expect(Object.keys(payload.events as object)).toHaveLength(1);
  return payload as never;
}

async function linkDemo4(page: Page) {
  const session = await startLinking(base(), 'balances statements', CLIENT_B);
  await page.goto(session.authorizationUrl);
  await page.getByRole('button', { name: '同意する' }).click();
  await page.waitForURL((url) => url.href.startsWith(CLIENT_B.redirectUri));
  return (await redeemCode(session, page.url(), CLIENT_B.redirectUri)) as Awaited<ReturnType<typeof redeemCode>> & { grant_id: string };
}

test('an SSF receiver configures a poll stream, verifies it, pauses and resumes without losing an event, then switches to push; every SET verifies against jwks_uri', async ({ page }) => {
  // §7: the configuration, at the path-inserted well-known URI for the issuer <origin>/oauth
  const configResponse = await fetch(`${base()}/.well-known/ssf-configuration/oauth`);
  expect(configResponse.status).toBe(200);
  const config = (await configResponse.json()) as Configuration;
  expect(config).toMatchObject({
    issuer: `${base()}/oauth`,
    jwks_uri: `${base()}/oauth/jwks`,
    delivery_methods_supported: ['urn:ietf:rfc:8935', 'urn:ietf:rfc:8936'],
    authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }],
    default_subjects: 'ALL',
  });
  const { call } = await receiver();
  expect((await fetch(config.configuration_endpoint)).status).toBe(401);

  // a poll stream
  const created = await call('POST', config.configuration_endpoint, { delivery: { method: 'urn:ietf:rfc:8936' }, description: 'e2e receiver' });
  expect(created.status).toBe(201);
  const streamId = created.body!.stream_id as string;
  const pollUrl = (created.body!.delivery as { endpoint_url: string }).endpoint_url;
  expect(created.body).toMatchObject({ iss: config.issuer, aud: CLIENT_B.clientId, delivery: { method: 'urn:ietf:rfc:8936' } });
  expect((await call('POST', config.configuration_endpoint, {})).status).toBe(409);
  expect((await call('GET', `${config.configuration_endpoint}?stream_id=${streamId}`)).body).toMatchObject({ stream_id: streamId });

  try {
    // §8.1.4 verification, delivered by poll, carrying the receiver's state; a second at once is 429
    expect((await call('POST', config.verification_endpoint, { stream_id: streamId, state: 'state-1' })).status).toBe(204);
    const tooSoon = await call('POST', config.verification_endpoint, { stream_id: streamId, state: 'state-2' });
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0);
    let polled = await call('POST', pollUrl, { maxEvents: 10, returnImmediately: true });
    expect(polled.status).toBe(200);
    const verification = Object.entries(polled.body!.sets as Record<string, string>);
    expect(verification).toHaveLength(1);
    const verified = await verifySet(config, verification[0]![1]);
    expect(verified.events['https://schemas.openid.net/secevent/ssf/event-type/verification']).toEqual({ state: 'state-1' });
    expect(verified.sub_id).toEqual({ format: 'opaque', id: streamId });
    expect((await call('POST', pollUrl, { ack: [verification[0]![0]], maxEvents: 0 })).body).toEqual({ sets: {}, moreAvailable: false });

    // paused: the customer's change is held, not lost; enabled: it arrives
    await signIn(page, DEMO4);
    const tokens = await linkDemo4(page);
    expect((await call('POST', config.status_endpoint, { stream_id: streamId, status: 'paused', reason: 'receiver maintenance' })).body).toMatchObject({ status: 'paused' });
    await page.goto('/');
    await page.getByRole('link', { name: 'デモ連携アプリB の詳細・変更' }).click();
    await page.getByRole('switch', { name: STATEMENTS_SWITCH, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '提供を停止する' }).click();
    await expect(page.getByTestId('action-result').filter({ hasText: '「お取引明細」の提供を停止しました。' })).toBeVisible();
    expect((await call('POST', pollUrl, {})).body).toEqual({ sets: {}, moreAvailable: false });
    expect((await call('GET', `${config.status_endpoint}?stream_id=${streamId}`)).body).toEqual({ stream_id: streamId, status: 'paused', reason: 'receiver maintenance' });
    await call('POST', config.status_endpoint, { stream_id: streamId, status: 'enabled' });
    polled = await call('POST', pollUrl, {});
    const [[changedJti, changedSet]] = Object.entries(polled.body!.sets as Record<string, string>) as [[string, string]];
    const changed = await verifySet(config, changedSet);
    expect(Object.keys(changed.events)[0]).toMatch(/link-items-changed$/);
    expect(changed.sub_id).toMatchObject({ format: 'iss_sub', iss: config.issuer });
    expect(typeof changed.txn).toBe('string');

    // push: the same stream moves to the receiver's endpoint; the next event is pushed, with its Authorization header
    const pushed: { authorization?: string; contentType?: string; body: string }[] = [];
    const pushReceiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        pushed.push({ authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => pushReceiver.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(pushReceiver.address() as AddressInfo).port}/ssf`;
      const patched = await call('PATCH', config.configuration_endpoint, { stream_id: streamId, delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: endpoint, authorization_header: 'Bearer e2e-receiver' } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: endpoint } });
      // the event polled but not acknowledged before the switch is pushed too (nothing is lost)
      const stop = await grantRequest(await managementToken(base(), 'grant_management_revoke', { clientId: CLIENT_B.clientId }), 'DELETE', tokens.grant_id);
      expect(stop.status).toBe(204);
      await expect.poll(() => pushed.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      const received = await Promise.all(pushed.map((p) => verifySet(config, p.body)));
      expect(pushed.every((p) => p.authorization === 'Bearer e2e-receiver' && p.contentType === 'application/secevent+jwt')).toBe(true);
      expect(received.map((r) => r.jti)).toContain(changedJti);
      expect(received.some((r) => Object.keys(r.events)[0]!.endsWith('link-revoked'))).toBe(true);
    } finally {
      await new Promise((resolve) => pushReceiver.close(resolve));
    }
  } finally {
    // the receiver deletes its stream: demo-provider-b's events go to its registered endpoint again
    expect((await call('DELETE', `${config.configuration_endpoint}?stream_id=${streamId}`)).status).toBe(204);
    expect((await call('GET', config.configuration_endpoint)).body).toEqual([]);
  }
});

test('the stream endpoints refuse a token that is not for them, and another provider’s stream is unknown', async () => {
  const config = (await (await fetch(`${base()}/.well-known/ssf-configuration/oauth`)).json()) as Configuration;
  // a grant management token is for another audience
  const grants = await managementToken(base(), 'grant_management_query', { clientId: CLIENT_B.clientId });
  const url = new URL(config.configuration_endpoint);
  let refused: Response;
  try {
    refused = await oauth.protectedResourceRequest(grants.accessToken, 'GET', url, new Headers(), null, { ...insecure, DPoP: grants.dpop });
  } catch (error) {
    refused = (error as oauth.WWWAuthenticateChallengeError).response;
  }
  expect(refused.status).toBe(401);
  // demo-provider's stream calls never see demo-provider-b's
  const { call } = await receiver();
  const mine = await call('POST', config.configuration_endpoint, { delivery: { method: 'urn:ietf:rfc:8936' } });
  const otherToken = await managementToken(base(), 'ssf');
  let other: Response;
  try {
    other = await oauth.protectedResourceRequest(otherToken.accessToken, 'GET', new URL(`${config.configuration_endpoint}?stream_id=${String(mine.body!.stream_id)}`), new Headers(), null, { ...insecure, DPoP: otherToken.dpop });
  } catch (error) {
    other = (error as oauth.WWWAuthenticateChallengeError).response;
  }
  expect(other.status).toBe(404);
  expect((await call('POST', config.configuration_endpoint, { delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'not a url' } })).status).toBe(400);
  expect((await call('PATCH', config.configuration_endpoint, { stream_id: String(mine.body!.stream_id), delivery: { method: 'urn:ietf:rfc:8935' } })).status).toBe(400);
  expect((await call('DELETE', `${config.configuration_endpoint}?stream_id=${String(mine.body!.stream_id)}`)).status).toBe(204);
});
