import { eq } from 'drizzle-orm';
import { errors } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { oauthRecords, providers } from '@/lib/db/schema';
import { onServer, openTestDatabase } from '@/test/db';
import { createAdapterClass, installAtomicReplayDetection, purgeExpiredOauthRecords, revokeGrantRecords, setGrantScope } from './adapter';

let database: Database;
let Adapter: ReturnType<typeof createAdapterClass>;

beforeAll(async () => {
  database = await openTestDatabase();
  Adapter = createAdapterClass(async () => database.db);
});
afterAll(async () => {
  await database?.close();
});

describe(`oidc-provider adapter (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('lets exactly one of 20 parallel redemptions consume an authorization code', async () => {
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('code-1', { jti: 'code-1', grantId: 'grant-1', kind: 'AuthorizationCode' }, 60);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => codes.consume('code-1')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(19);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(errors.InvalidGrant);
    expect((await codes.find('code-1'))?.consumed).toBeTypeOf('number');
  });

  it('refuses a reused request_uri with invalid_request_uri', async () => {
    const pars = new Adapter('PushedAuthorizationRequest');
    await pars.upsert('par-1', { jti: 'par-1', kind: 'PushedAuthorizationRequest' }, 60);
    await pars.consume('par-1');
    await expect(pars.consume('par-1')).rejects.toBeInstanceOf(errors.InvalidRequestUri);
  });

  it('lets exactly one of 20 parallel requests with the same jti pass the replay check, and the jti again once its record expired', async () => {
    const replay = { unique: async (_iss: string, _jti: string, _exp: number) => false };
    installAtomicReplayDetection(replay, async () => database.db);
    const exp = Math.floor(Date.now() / 1000) + 60;
    const results = await Promise.all(Array.from({ length: 20 }, () => replay.unique('demo-provider', 'jti-race', exp)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await replay.unique('demo-provider', 'jti-race', exp)).toBe(false);
    expect(await replay.unique('other-provider', 'jti-race', exp)).toBe(true); // another issuer's jti is another record
    // oidc-provider's record id and payload, so its own find sees the record
    const records = new Adapter('ReplayDetection');
    const [row] = await database.db.select({ id: oauthRecords.id, expiresAt: oauthRecords.expiresAt }).from(oauthRecords).where(eq(oauthRecords.model, 'ReplayDetection'));
    expect((await records.find(row!.id))?.exp).toBe(exp);
    expect(row!.expiresAt?.getTime()).toBe(exp * 1000);
    await database.db.update(oauthRecords).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(oauthRecords.model, 'ReplayDetection'));
    expect(await replay.unique('demo-provider', 'jti-race', exp)).toBe(true);
    expect(await replay.unique('demo-provider', 'jti-race', exp)).toBe(false);
  });

  it('hides expired records and purges them', async () => {
    const tokens = new Adapter('AccessToken');
    await tokens.upsert('old', { jti: 'old', grantId: 'g-old', kind: 'AccessToken' }, 1);
    await database.db.update(oauthRecords).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(oauthRecords.id, 'old'));
    expect(await tokens.find('old')).toBeUndefined();
    expect(await purgeExpiredOauthRecords(database.db)).toBeGreaterThanOrEqual(1);
    const left = await database.db.select({ id: oauthRecords.id }).from(oauthRecords).where(eq(oauthRecords.id, 'old'));
    expect(left).toEqual([]);
  });

  it('finds uid-keyed records and revokes everything of a grant', async () => {
    const sessions = new Adapter('Session');
    await sessions.upsert('s-1', { jti: 's-1', uid: 'uid-1', kind: 'Session' }, 60);
    expect((await sessions.findByUid('uid-1'))?.jti).toBe('s-1');
    const grants = new Adapter('Grant');
    const tokens = new Adapter('RefreshToken');
    await grants.upsert('g-1', { jti: 'g-1', kind: 'Grant', resources: { 'https://bank/api/v1': 'balances statements' } }, 60);
    await tokens.upsert('rt-1', { jti: 'rt-1', grantId: 'g-1', kind: 'RefreshToken' }, 60);
    await setGrantScope(database.db, 'g-1', 'balances');
    expect((await grants.find('g-1'))?.resources).toEqual({ 'https://bank/api/v1': 'balances' });
    await revokeGrantRecords(database.db, 'g-1');
    expect(await grants.find('g-1')).toBeUndefined();
    expect(await tokens.find('rt-1')).toBeUndefined();
  });

  it('serves only active providers with registered metadata as clients', async () => {
    const clients = new Adapter('Client');
    const demo = await clients.find('demo-provider');
    expect(demo?.client_id).toBe('demo-provider');
    expect(demo?.redirect_uris).toEqual(['http://localhost:4000/callback']);
    expect(await clients.find('kakeibo-plus')).toBeUndefined(); // no OAuth metadata registered
    await database.db.update(providers).set({ status: 'suspended' }).where(eq(providers.clientId, 'demo-provider'));
    expect(await clients.find('demo-provider')).toBeUndefined();
    await database.db.update(providers).set({ status: 'active' }).where(eq(providers.clientId, 'demo-provider'));
    expect(await clients.find('unknown')).toBeUndefined();
  });
});
