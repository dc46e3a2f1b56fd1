import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Database } from '@/lib/db/connect';
import { accounts, customers, linkHistory, linkItems, links, oauthRecords, providers } from '@/lib/db/schema';
import { DomainError } from '@/lib/domain/link-rules';
import { onServer, openTestDatabase } from '@/test/db';
import { stopLink } from '@/lib/links/commands';
import { resumeLink, suspendLink } from '@/lib/operations/commands';
import { claimConsentDecision, getConsentContext, recordConsent } from './consent';

let database: Database;
let demo2: CustomerPrincipal;
let demo: CustomerPrincipal;

async function principal(logonId: string): Promise<CustomerPrincipal> {
  const [row] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, logonId));
  return { kind: 'customer', customerId: row!.id, sessionId: 'test' };
}
async function accountIds(p: CustomerPrincipal): Promise<string[]> {
  return (await database.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.customerId, p.customerId))).map((a) => a.id);
}

beforeAll(async () => {
  database = await openTestDatabase();
  demo = await principal('demo');
  demo2 = await principal('demo2');
});
afterAll(async () => {
  await database?.close();
});

describe(`consent records (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('offers only requested ∩ registered items, and the provider’s chained connections for them (Art. 3.1)', async () => {
    const { context, blocker } = await getConsentContext(database.db, demo2, 'demo-provider', 'balances statements direct_debit_transfers unknown');
    expect(blocker).toBeNull();
    expect(context?.offeredItems).toEqual(['balances', 'statements']);
    expect(context?.notPermittedItems).toEqual(['direct_debit_transfers']);
    expect(context?.chainedConnections.map((c) => c.name)).toEqual(['デモ分析サービス']);
    expect(context?.accounts).toHaveLength(3);
    expect(context?.terms?.id).toBe('2020-08-21');
  });

  it('claims one decision per interaction: of 10 parallel submits exactly one proceeds', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => claimConsentDecision(database.db, 'uid-double', 'http://x/oauth/authorize/uid-double')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('creates a link with exactly the approved items and accounts, one history row, under the terms in force', async () => {
    const [ordinary] = await accountIds(demo2);
    const { linkId, renewed } = await recordConsent(database.db, demo2, { clientId: 'demo-provider', scope: 'balances statements payees', items: ['balances', 'payees'], accountIds: [ordinary!], grantId: 'grant-a' });
    expect(renewed).toBe(false);
    const items = await database.db.select({ item: linkItems.item, granted: linkItems.granted }).from(linkItems).where(eq(linkItems.linkId, linkId));
    expect(Object.fromEntries(items.map((i) => [i.item, i.granted]))).toEqual({ balances: true, statements: false, payees: true });
    const [link] = await database.db.select({ status: links.status, grantId: links.grantId, terms: links.termsVersionId }).from(links).where(eq(links.id, linkId));
    expect(link).toEqual({ status: 'active', grantId: 'grant-a', terms: '2020-08-21' });
    const history = await database.db.select({ event: linkHistory.event, detail: linkHistory.detail }).from(linkHistory).where(eq(linkHistory.linkId, linkId));
    expect(history).toEqual([{ event: 'consent_given', detail: { items: ['balances', 'payees'], declined: ['statements'], accounts: 1, termsVersion: '2020-08-21' } }]);
  });

  it('renews the same link on a new consent, keeping its history and revoking the earlier grant', async () => {
    await database.db.insert(oauthRecords).values({ model: 'RefreshToken', id: 'rt-a', payload: {}, grantId: 'grant-a' });
    const ids = await accountIds(demo2);
    const { linkId, renewed } = await recordConsent(database.db, demo2, { clientId: 'demo-provider', scope: 'balances statements', items: ['statements'], accountIds: ids, grantId: 'grant-b' });
    expect(renewed).toBe(true);
    const history = await database.db.select({ event: linkHistory.event }).from(linkHistory).where(eq(linkHistory.linkId, linkId)).orderBy(linkHistory.id);
    expect(history.map((h) => h.event)).toEqual(['consent_given', 'consent_renewed']);
    expect(await database.db.select().from(oauthRecords).where(eq(oauthRecords.grantId, 'grant-a'))).toEqual([]);
    const items = await database.db.select({ item: linkItems.item, granted: linkItems.granted }).from(linkItems).where(eq(linkItems.linkId, linkId));
    expect(Object.fromEntries(items.map((i) => [i.item, i.granted]))).toEqual({ balances: false, statements: true });
  });

  it('refuses another customer’s account, an item not offered, and a link the bank suspended', async () => {
    const others = await accountIds(demo);
    await expect(
      recordConsent(database.db, demo2, { clientId: 'demo-provider', scope: 'balances', items: ['balances'], accountIds: [others[0]!], grantId: 'g' }),
    ).rejects.toBeInstanceOf(DomainError);
    const own = await accountIds(demo2);
    await expect(
      recordConsent(database.db, demo2, { clientId: 'demo-provider', scope: 'balances', items: ['transfers'], accountIds: [own[0]!], grantId: 'g' }),
    ).rejects.toBeInstanceOf(DomainError);
    const [provider] = await database.db.select({ id: providers.id }).from(providers).where(eq(providers.clientId, 'demo-provider'));
    await database.db.update(links).set({ status: 'suspended', suspensionReason: 1 }).where(and(eq(links.customerId, demo2.customerId), eq(links.providerId, provider!.id)));
    expect((await getConsentContext(database.db, demo2, 'demo-provider', 'balances')).blocker).toBe('link_suspended');
    await expect(
      recordConsent(database.db, demo2, { clientId: 'demo-provider', scope: 'balances', items: ['balances'], accountIds: [own[0]!], grantId: 'g' }),
    ).rejects.toBeInstanceOf(DomainError);
  });

  it('keeps the bank’s suspension through a stop: no new consent until the bank lifts its hold (Art. 5.2)', async () => {
    const own = await accountIds(demo2);
    const consent = () => recordConsent(database.db, demo2, { clientId: 'demo-provider', scope: 'balances', items: ['balances'], accountIds: [own[0]!], grantId: `g-${Math.random()}` });
    const [provider] = await database.db.select({ id: providers.id }).from(providers).where(eq(providers.clientId, 'demo-provider'));
    await database.db.update(links).set({ status: 'active', suspensionReason: null, suspendedVia: null }).where(and(eq(links.customerId, demo2.customerId), eq(links.providerId, provider!.id)));
    const { linkId } = await consent();
    const operator = { kind: 'cli', name: 'tester' } as const;
    await suspendLink(database.db, operator, { linkId, reason: 2, note: 'test' });
    await stopLink(database.db, demo2, { linkId });
    expect((await getConsentContext(database.db, demo2, 'demo-provider', 'balances')).blocker).toBe('link_suspended');
    await expect(consent()).rejects.toMatchObject({ code: 'link_not_active' });
    const [stopped] = await database.db.select({ status: links.status }).from(links).where(eq(links.id, linkId));
    expect(stopped!.status).toBe('revoked');

    expect(await resumeLink(database.db, operator, { linkId, note: 'cleared' })).toBe('hold_lifted');
    const [lifted] = await database.db.select({ status: links.status, reason: links.suspensionReason }).from(links).where(eq(links.id, linkId));
    expect(lifted).toEqual({ status: 'revoked', reason: null });
    expect((await getConsentContext(database.db, demo2, 'demo-provider', 'balances')).blocker).toBeNull();
    expect(await consent()).toMatchObject({ linkId, renewed: true });
    const events = await database.db.select({ event: linkHistory.event }).from(linkHistory).where(eq(linkHistory.linkId, linkId)).orderBy(linkHistory.id);
    expect(events.map((e) => e.event).slice(-4)).toEqual(['link_suspended', 'link_revoked', 'link_hold_lifted', 'consent_renewed']);
  });

  it('reports a provider that is not active as unavailable', async () => {
    expect((await getConsentContext(database.db, demo, 'oldbook', 'balances')).blocker).toBe('provider_unavailable');
    expect((await getConsentContext(database.db, demo, 'nope', 'balances')).blocker).toBe('provider_unavailable');
  });
});
