import { createHash, randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type Provider from 'oidc-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Database } from '@/lib/db/connect';
import { accounts, customers, linkItems, links, maintenanceWindows, oauthRecords, providers, rateLimits } from '@/lib/db/schema';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { onServer, openSecondInstance, openTestDatabase } from '@/test/db';

// The provider API's check chain (lib/api/authorize.ts) against a seeded database, for the states
// a browser cannot easily reach: expired tokens, links expired / suspended / revoked / terminated
// with their tokens still alive, and a provider the bank suspended or ended.

const ORIGIN = 'http://renkei.test';
const CLIENT_ID = 'demo-provider';
type Global = typeof globalThis & { __renkeiDb?: Promise<Database>; __renkeiOauth?: Map<string, Promise<Provider>> };

let database: Database;
let authorizeApiCall: typeof import('./authorize').authorizeApiCall;
let flushAccessCounts: typeof import('./usage').flushAccessCounts;
let recordConsent: typeof import('@/lib/consent/consent').recordConsent;
let stopLink: typeof import('@/lib/links/commands').stopLink;
let oauth: Provider;
let demo2: CustomerPrincipal;
let ordinary: string;
let timeDeposit: string;

beforeAll(async () => {
  database = await openTestDatabase();
  // The app keeps its one database handle on globalThis (lib/db/index.ts): this file's database is it.
  (globalThis as Global).__renkeiDb = Promise.resolve(database);
  ({ authorizeApiCall } = await import('./authorize'));
  ({ flushAccessCounts } = await import('./usage'));
  ({ recordConsent } = await import('@/lib/consent/consent'));
  ({ stopLink } = await import('@/lib/links/commands'));
  oauth = await (await import('@/lib/oauth/provider')).getOauthProvider(ORIGIN);
  const [customer] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, 'demo2'));
  demo2 = { kind: 'customer', customerId: customer!.id, sessionId: 'test' };
  const own = await database.db.select({ id: accounts.id, type: accounts.type }).from(accounts).where(eq(accounts.customerId, demo2.customerId));
  ordinary = own.find((a) => a.type === 'ordinary')!.id;
  timeDeposit = own.find((a) => a.type === 'time')!.id;
});
afterAll(async () => {
  if (database) await flushAccessCounts(database.db);
  const g = globalThis as Global;
  delete g.__renkeiDb;
  g.__renkeiOauth?.delete(ORIGIN);
  await database?.close();
});

type Linked = { linkId: string; grantId: string; token: string; keys: CryptoKeyPair };

/** demo2 consents to the demo provider (the link is created or renewed, active) and gets a DPoP-bound token. */
async function consent(items: PermissionItem[], options: { tokenScope?: PermissionItem[]; tokenTtl?: number } = {}): Promise<Linked> {
  const db = database.db;
  await db.update(providers).set({ status: 'active' }).where(eq(providers.clientId, CLIENT_ID));
  const [provider] = await db.select({ id: providers.id }).from(providers).where(eq(providers.clientId, CLIENT_ID));
  // a renewal needs a link that is not suspended (Art. 5.2): earlier tests leave it in any state
  await db.update(links).set({ status: 'active', suspensionReason: null }).where(and(eq(links.customerId, demo2.customerId), eq(links.providerId, provider!.id)));
  const scope = (options.tokenScope ?? items).join(' ');
  const grant = new oauth.Grant({ accountId: demo2.customerId, clientId: CLIENT_ID });
  grant.addResourceScope(`${ORIGIN}/api/v1`, scope);
  const grantId = await grant.save();
  const { linkId } = await recordConsent(db, demo2, { clientId: CLIENT_ID, scope: items.join(' '), items, accountIds: [ordinary], grantId });
  const keys = await generateKeyPair('ES256', { extractable: true });
  const client = await oauth.Client.find(CLIENT_ID);
  if (!client) throw new Error(`${CLIENT_ID} is not a registered client`);
  const accessToken = new oauth.AccessToken({ accountId: demo2.customerId, client, grantId, gty: 'authorization_code', scope, ...(options.tokenTtl ? { expiresIn: options.tokenTtl } : {}) });
  accessToken.setThumbprint('jkt', await calculateJwkThumbprint(await exportJWK(keys.publicKey)));
  return { linkId, grantId, token: await accessToken.save(), keys };
}

/** One provider API call with a fresh DPoP proof (RFC 9449), through the real check chain. */
async function call(linked: Pick<Linked, 'token' | 'keys'>, items: PermissionItem[], options: { path?: string; accountId?: string; proof?: string; authorization?: string } = {}) {
  const url = `${ORIGIN}${options.path ?? '/api/v1/payees'}`;
  const proof = options.proof ?? (await signProof(linked, url));
  const result = await authorizeApiCall(new Request(url, { headers: { authorization: options.authorization ?? `DPoP ${linked.token}`, dpop: proof } }), items, options.accountId);
  if (!(result instanceof Response)) return { status: 200, caller: result, body: {} as Record<string, unknown>, challenge: null, retryAfter: null };
  return { status: result.status, caller: null, body: (await result.json()) as Record<string, unknown>, challenge: result.headers.get('www-authenticate'), retryAfter: result.headers.get('retry-after') };
}

function signProof(linked: Pick<Linked, 'token' | 'keys'>, url: string): Promise<string> {
  return exportJWK(linked.keys.publicKey).then((jwk) =>
    new SignJWT({ htm: 'GET', htu: url, jti: randomUUID(), ath: createHash('sha256').update(linked.token).digest('base64url') })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
      .setIssuedAt()
      .sign(linked.keys.privateKey),
  );
}

function expectRefused(response: Awaited<ReturnType<typeof call>>, status: number, code: string, extra: Record<string, unknown> = {}) {
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({ type: `https://renkei.example/problems/${code}`, status, ...extra });
}

describe(`provider API checks (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  beforeEach(async () => {
    await database.db.update(providers).set({ status: 'active' }).where(eq(providers.clientId, CLIENT_ID));
  });

  it('lets a live link with a granted item through, as that link', async () => {
    const linked = await consent(['balances', 'payees']);
    const ok = await call(linked, ['payees']);
    expect(ok.status).toBe(200);
    expect(ok.caller).toMatchObject({ linkId: linked.linkId, customerId: demo2.customerId, clientId: CLIENT_ID, item: 'payees', account: null });
  });

  it('a link in use carries its grant and refresh token forward to its own new expiry (Art. 4)', async () => {
    const linked = await consent(['balances']);
    const client = await oauth.Client.find(CLIENT_ID);
    const refresh = new oauth.RefreshToken({ accountId: demo2.customerId, client: client!, grantId: linked.grantId, gty: 'authorization_code', scope: 'balances', expiresIn: 3600 } as never);
    const refreshId = await refresh.save();
    await database.db.update(links).set({ lastUsedAt: null }).where(eq(links.id, linked.linkId));
    expect((await call(linked, ['balances'])).status).toBe(200);
    const [link] = await database.db.select({ expiresAt: links.expiresAt }).from(links).where(eq(links.id, linked.linkId));
    const exp = Math.floor(link!.expiresAt.getTime() / 1000);
    expect(exp - Date.now() / 1000).toBeGreaterThan(80 * 86_400); // the demo provider's 90 days, from now
    const records = await database.db.select({ model: oauthRecords.model, id: oauthRecords.id, expiresAt: oauthRecords.expiresAt, payload: oauthRecords.payload }).from(oauthRecords);
    const mine = records.filter((r) => (r.model === 'Grant' && r.id === linked.grantId) || (r.model === 'RefreshToken' && r.id === refreshId));
    expect(mine.map((r) => r.model).sort()).toEqual(['Grant', 'RefreshToken']);
    // The refresh token (issued for an hour) now lives as long as the link; the grant at least as long.
    for (const r of mine) {
      if (r.model === 'RefreshToken') {
        expect(r.expiresAt?.getTime()).toBe(link!.expiresAt.getTime());
        expect(r.payload.exp).toBe(exp);
      } else {
        expect(r.expiresAt!.getTime()).toBeGreaterThanOrEqual(link!.expiresAt.getTime());
        expect(r.payload.exp as number).toBeGreaterThanOrEqual(exp);
      }
    }
    // oidc-provider itself sees the refresh token alive until then
    const found = await oauth.RefreshToken.find(refreshId);
    expect(found?.exp).toBe(exp);
    expect(found?.isExpired).toBe(false);
  });

  it('hands the account asked for to the resource as the checks read it, live, in the same statement', async () => {
    const linked = await consent(['balances']);
    const path = `/api/v1/accounts/${ordinary}/balance`;
    const [before] = await database.db.select({ balance: accounts.balance }).from(accounts).where(eq(accounts.id, ordinary));
    const first = await call(linked, ['balances'], { path, accountId: ordinary });
    expect(first.caller?.account).toEqual({ id: ordinary, type: 'ordinary', balance: before!.balance });
    await database.db.update(accounts).set({ balance: before!.balance + 1234 }).where(eq(accounts.id, ordinary));
    try {
      const second = await call(linked, ['balances'], { path, accountId: ordinary });
      expect(second.caller?.account).toEqual({ id: ordinary, type: 'ordinary', balance: before!.balance + 1234 });
    } finally {
      await database.db.update(accounts).set({ balance: before!.balance }).where(eq(accounts.id, ordinary));
    }
  });

  it('refuses an expired access token: 401 invalid_token', async () => {
    const linked = await consent(['payees'], { tokenTtl: 2 });
    expect((await call(linked, ['payees'])).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const expired = await call(linked, ['payees']);
    expectRefused(expired, 401, 'invalid-token');
    expect(expired.challenge).toContain('DPoP error="invalid_token"');
  });

  it('refuses a revoked access token: 401 invalid_token', async () => {
    const linked = await consent(['payees']);
    expect((await call(linked, ['payees'])).status).toBe(200);
    await oauth.AccessToken.revokeByGrantId(linked.grantId);
    expectRefused(await call(linked, ['payees']), 401, 'invalid-token');
  });

  it('refuses a link expired by inactivity (Art. 4), at request time: 401 with link_status expired', async () => {
    const linked = await consent(['payees']);
    // still `active` in the table, but its expiry date has passed: no sweep needed
    const past = new Date(Date.now() - 60_000);
    await database.db.update(links).set({ expiresAt: past, lastUsedAt: new Date(past.getTime() - 90 * 86_400_000) }).where(eq(links.id, linked.linkId));
    const refused = await call(linked, ['payees']);
    expectRefused(refused, 401, 'link-not-active', { link_status: 'expired' });
    expect(refused.challenge).toContain('DPoP error="invalid_token"');
    // and once the sweep has recorded it
    await database.db.update(links).set({ status: 'expired' }).where(eq(links.id, linked.linkId));
    expectRefused(await call(linked, ['payees']), 401, 'link-not-active', { link_status: 'expired' });
  });

  for (const status of ['suspended', 'revoked', 'terminated'] as const) {
    it(`refuses a ${status} link whose token is still alive: 401 with link_status ${status}`, async () => {
      const linked = await consent(['payees']);
      expect((await call(linked, ['payees'])).status).toBe(200);
      await database.db
        .update(links)
        .set({ status, suspensionReason: status === 'revoked' ? null : status === 'terminated' ? 6 : 2 })
        .where(eq(links.id, linked.linkId));
      const refused = await call(linked, ['payees']);
      expectRefused(refused, 401, 'link-not-active', { link_status: status });
      expect(refused.challenge).toContain('DPoP error="invalid_token"');
    });
  }

  for (const status of ['suspended', 'terminated'] as const) {
    it(`refuses every link of a ${status} provider (Art. 5.2): 401 provider-not-active`, async () => {
      const linked = await consent(['payees']);
      expect((await call(linked, ['payees'])).status).toBe(200);
      await database.db.update(providers).set({ status }).where(eq(providers.clientId, CLIENT_ID));
      const refused = await call(linked, ['payees']);
      expectRefused(refused, 401, 'provider-not-active');
      expect(refused.challenge).toContain('DPoP error="invalid_token"');
      await database.db.update(providers).set({ status: 'active' }).where(eq(providers.clientId, CLIENT_ID));
      expect((await call(linked, ['payees'])).status).toBe(200);
    });
  }

  it('refuses an item outside the token’s scope, and an item revoked on the link since: 403 insufficient_scope', async () => {
    const linked = await consent(['balances', 'payees'], { tokenScope: ['payees'] });
    const notInToken = await call(linked, ['balances'], { path: `/api/v1/accounts/${ordinary}/balance`, accountId: ordinary });
    expectRefused(notInToken, 403, 'insufficient-scope');
    expect(notInToken.challenge).toContain('DPoP error="insufficient_scope"');
    await database.db.update(linkItems).set({ granted: false, revokedAt: new Date() }).where(and(eq(linkItems.linkId, linked.linkId), eq(linkItems.item, 'payees')));
    expectRefused(await call(linked, ['payees']), 403, 'insufficient-scope');
  });

  it('answers an account outside the consent exactly like one that does not exist: 404', async () => {
    const linked = await consent(['balances']);
    const path = (id: string) => `/api/v1/accounts/${id}/balance`;
    expect((await call(linked, ['balances'], { path: path(ordinary), accountId: ordinary })).status).toBe(200);
    const outside = await call(linked, ['balances'], { path: path(timeDeposit), accountId: timeDeposit });
    const nowhere = randomUUID();
    const missing = await call(linked, ['balances'], { path: path(nowhere), accountId: nowhere });
    expect(outside.status).toBe(404);
    expect(outside.body).toEqual(missing.body);
  });

  it('accepts each DPoP proof once: the same proof again is a replay, 401 invalid_dpop_proof', async () => {
    const linked = await consent(['payees']);
    const proof = await signProof(linked, `${ORIGIN}/api/v1/payees`);
    expect((await call(linked, ['payees'], { proof })).status).toBe(200);
    const replay = await call(linked, ['payees'], { proof });
    expectRefused(replay, 401, 'invalid-dpop-proof');
    expect(replay.body.detail).toBe('This DPoP proof was already used.');
  });

  it('answers 503 with Retry-After during maintenance before any other check (Art. 6.1), without spending the proof', async () => {
    const linked = await consent(['payees']);
    const now = Date.now();
    const [window] = await database.db
      .insert(maintenanceWindows)
      .values({ startsAt: new Date(now - 60_000), endsAt: new Date(now + 600_000), noteJa: '保守', noteEn: 'Maintenance', createdBy: 'test' })
      .returning({ id: maintenanceWindows.id });
    try {
      const proof = await signProof(linked, `${ORIGIN}/api/v1/payees`);
      const unavailable = await call(linked, ['payees'], { proof });
      expect(unavailable.status).toBe(503);
      expect(unavailable.body).toMatchObject({ type: 'https://renkei.example/problems/maintenance', status: 503 });
      expect(Number(unavailable.retryAfter)).toBeGreaterThan(590);
      expect(Number(unavailable.retryAfter)).toBeLessThanOrEqual(600);
      // even a call that would fail the first check
      expect((await call(linked, ['payees'], { authorization: `Bearer ${linked.token}` })).status).toBe(503);
      // the window ends: the same proof was never recorded, so it is still good once
      await database.db.delete(maintenanceWindows).where(eq(maintenanceWindows.id, window!.id));
      expect((await call(linked, ['payees'], { proof })).status).toBe(200);
    } finally {
      await database.db.delete(maintenanceWindows).where(eq(maintenanceWindows.id, window!.id));
    }
  });

  // Issue 13 §4: the customer stops the link while the provider is calling as fast as it can. A
  // call may succeed if it began before the stop was committed; none that began after may.
  it('counts both traffic-limit windows in the check’s own statement, and only for a call that would go on', async () => {
    const linked = await consent(['balances']);
    const { readCallState } = await import('./call-state');
    const { decideCounted, limitersFor } = await import('./rate-limit');
    const jkt = await calculateJwkThumbprint(await exportJWK(linked.keys.publicKey));
    const [grantee] = await database.db.select({ clientId: providers.clientId }).from(providers).where(eq(providers.clientId, CLIENT_ID));
    const keys = [`provider:${grantee!.clientId}`, `link:${linked.linkId}`];
    await database.db.delete(rateLimits).where(inArray(rateLimits.key, keys));
    const read = (over: Partial<Parameters<typeof readCallState>[1]> = {}) =>
      readCallState(database.db, { accessToken: linked.token, proofId: `${jkt}:${randomUUID()}`, accountId: undefined, now: new Date(), jkt, limitWindowMs: 60_000, ...over });
    const points = async () => (await read()).limits?.map((w) => `${w.name}=${w.points}`);

    expect(await points()).toEqual(['provider=1', 'link=1']);
    expect(await points()).toEqual(['provider=2', 'link=2']);
    // Not counted: a proof of another key, a replayed proof, an unknown token, no counting asked for.
    expect((await read({ jkt: 'another-key' })).limits).toBeNull();
    const replayed = `${jkt}:${randomUUID()}`;
    await read({ proofId: replayed, limitWindowMs: 0 });
    expect((await read({ proofId: replayed })).limits).toBeNull();
    expect((await read({ accessToken: 'no-such-token' })).limits).toBeNull();
    expect((await read({ limitWindowMs: 0 })).limits).toBeNull();
    const third = await read();
    expect(third.limits?.map((w) => `${w.name}=${w.points}`)).toEqual(['provider=3', 'link=3']);
    const stored = await database.db.select({ key: rateLimits.key, points: rateLimits.points }).from(rateLimits).where(inArray(rateLimits.key, keys));
    expect(Object.fromEntries(stored.map((r) => [r.key, r.points]))).toEqual({ [keys[0]!]: 3, [keys[1]!]: 3 });

    // The decision is rate-limiter-flexible's: over the link's 2 a window, refused with its headers.
    const store = await limitersFor(database.db, 'database', { points: { provider: 100, link: 2 } });
    const refused = decideCounted(store, third.limits!);
    expect(refused).toMatchObject({ allowed: false, limit: 'link' });
    expect(refused.headers).toMatchObject({ 'RateLimit-Policy': '"provider";q=100;w=1, "link";q=2;w=1' });
    expect(refused.headers.RateLimit).toMatch(/^"provider";r=97;t=\d+, "link";r=0;t=\d+$/);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(decideCounted(await limitersFor(database.db, 'database', { points: { provider: 100, link: 3 } }), third.limits!).allowed).toBe(true);

    // A window that has ended starts again at one.
    await database.db.update(rateLimits).set({ expire: new Date(Date.now() - 1000) }).where(inArray(rateLimits.key, keys));
    expect(await points()).toEqual(['provider=1', 'link=1']);
  });

  it('a stop racing 1 000 provider calls: no call begun after the stop returned gets through', async () => {
    const linked = await consent(['payees']);
    const url = `${ORIGIN}/api/v1/payees`;
    const second = await openSecondInstance(database);
    let stoppedAt: number | null = null;
    let stopping: Promise<unknown> | null = null;
    const calls: Promise<{ began: number; status: number }>[] = [];
    const inFlight = new Set<Promise<unknown>>();
    try {
      let afterStop = 0;
      // at least 1 000 calls, and on until 200 have begun after the stop returned (at most 3 000)
      for (let wave = 0; (calls.length < 1_000 || stoppedAt === null || afterStop < 200) && calls.length < 3_000; wave++) {
        const proofs = await Promise.all(Array.from({ length: 50 }, () => signProof(linked, url)));
        for (const proof of proofs) {
          const began = performance.now();
          if (stoppedAt !== null) afterStop++;
          const sent = call(linked, ['payees'], { proof }).then((r) => ({ began, status: r.status }));
          inFlight.add(sent);
          void sent.finally(() => inFlight.delete(sent));
          calls.push(sent);
        }
        // At most ~100 calls waiting, as a provider's connection pool would have: else on PGlite's
        // single connection the stop would queue behind all 3 000 and no call could begin after it.
        while (inFlight.size > 100) await Promise.race(inFlight);
        if (wave === 4) {
          // the stop from the other instance (on the server: another pool)
          stopping = stopLink(second.db, demo2, { linkId: linked.linkId }).then(() => (stoppedAt = performance.now()));
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await stopping;
      const results = await Promise.all(calls);
      const after = results.filter((r) => r.began > stoppedAt!);
      const before = results.filter((r) => r.began <= stoppedAt!);
      expect(after.length).toBeGreaterThanOrEqual(200);
      expect(after.filter((r) => r.status === 200)).toEqual([]);
      expect(new Set(after.map((r) => r.status))).toEqual(new Set([401]));
      // it was a race: calls before the stop got through
      expect(before.filter((r) => r.status === 200).length).toBeGreaterThan(0);
      expect(results.every((r) => r.status === 200 || r.status === 401)).toBe(true);
    } finally {
      await stopping?.catch(() => {});
      await Promise.allSettled(calls);
      await second.close();
    }
  }, 120_000);
});
