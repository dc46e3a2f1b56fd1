import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPrincipal, StaffPrincipal } from '@/lib/auth/types';
import type { Database } from '@/lib/db/connect';
import { chainedConnections, customers, links, providerEvents, providers } from '@/lib/db/schema';
import { DomainError } from '@/lib/domain/link-rules';
import { requestChainedConnectionStop, setItemGranted, stopLink } from '@/lib/links/commands';
import { expireInactiveLinks } from '@/lib/links/expiry';
import { onServer, openTestDatabase } from '@/test/db';
import { enqueueProviderEvent, eventIssuer, eventTypeUri, type SecurityEventClaims } from './outbox';
import { listProviderEvents } from './queries';

let database: Database;
let demo: CustomerPrincipal;
const DAY = 86_400_000;
const staff: StaffPrincipal = { kind: 'staff', staffUserId: '00000000-0000-4000-8000-000000000001', role: 'staff', name: 'test', sessionId: 'test' };

beforeAll(async () => {
  database = await openTestDatabase();
  const [row] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, 'demo'));
  demo = { kind: 'customer', customerId: row!.id, sessionId: 'test' };
});
afterAll(async () => {
  await database?.close();
});

async function providerByClientId(clientId: string) {
  const [row] = await database.db.select({ id: providers.id, eventsEndpoint: providers.eventsEndpoint }).from(providers).where(eq(providers.clientId, clientId));
  if (!row) throw new Error(`no provider ${clientId}`);
  return row;
}

async function demoLink(clientId: string): Promise<{ id: string; providerId: string }> {
  const [row] = await database.db
    .select({ id: links.id, providerId: links.providerId })
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(and(eq(links.customerId, demo.customerId), eq(providers.clientId, clientId)));
  if (!row) throw new Error(`no link ${clientId}`);
  return row;
}

async function eventsOfLink(linkId: string) {
  return database.db
    .select({ jti: providerEvents.jti, type: providerEvents.eventType, state: providerEvents.state, claims: providerEvents.claims })
    .from(providerEvents)
    .where(eq(providerEvents.linkId, linkId));
}

describe(`provider notification outbox (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('builds the SET claims at enqueue time: iss, aud = client_id, sub_id, one event', async () => {
    const link = await demoLink('ledgerly');
    await database.db.update(providers).set({ eventsEndpoint: 'https://ledgerly.example/events' }).where(eq(providers.id, link.providerId));
    const now = new Date('2026-11-02T03:04:05.678Z');
    const jti = await database.db.transaction((tx) =>
      enqueueProviderEvent(tx, { providerId: link.providerId, linkId: link.id, type: 'link.suspended', detail: { reason: 2 }, now }),
    );
    const [row] = await database.db.select().from(providerEvents).where(eq(providerEvents.jti, jti));
    expect(row).toMatchObject({ state: 'pending', attempts: 0, linkId: link.id, eventType: 'link.suspended' });
    expect(row!.nextAttemptAt.getTime()).toBe(now.getTime());
    const claims = row!.claims as SecurityEventClaims;
    expect(claims).toEqual({
      iss: eventIssuer(),
      iat: Math.floor(now.getTime() / 1000),
      toe: Math.floor(now.getTime() / 1000),
      jti,
      aud: 'ledgerly',
      sub_id: { format: 'iss_sub', iss: eventIssuer(), sub: demo.customerId },
      events: { 'https://schemas.renkei.example/secevent/event-type/link-suspended': { reason: 2, link_id: link.id } },
    });
    expect(eventIssuer()).toBe('http://localhost:3000/oauth'); // sandbox default without PUBLIC_ORIGIN
  });

  it('names the provider as the subject of a provider-wide event', async () => {
    const provider = await providerByClientId('ledgerly');
    const jti = await database.db.transaction((tx) => enqueueProviderEvent(tx, { providerId: provider.id, type: 'provider.suspended', detail: { reason: 1 } }));
    const [row] = await database.db.select({ claims: providerEvents.claims, linkId: providerEvents.linkId }).from(providerEvents).where(eq(providerEvents.jti, jti));
    expect(row!.linkId).toBeNull();
    expect((row!.claims as SecurityEventClaims).sub_id).toEqual({ format: 'opaque', id: 'ledgerly' });
    expect(Object.keys((row!.claims as SecurityEventClaims).events)).toEqual([eventTypeUri('provider.suspended')]);
  });

  it('records an event for a provider without an events endpoint as no_endpoint', async () => {
    const provider = await providerByClientId('payroute');
    expect(provider.eventsEndpoint).toBeNull();
    const jti = await database.db.transaction((tx) => enqueueProviderEvent(tx, { providerId: provider.id, type: 'provider.resumed' }));
    const [row] = await database.db.select({ state: providerEvents.state }).from(providerEvents).where(eq(providerEvents.jti, jti));
    expect(row!.state).toBe('no_endpoint');
  });

  it('refuses a link event without its link, or with another provider’s link', async () => {
    const provider = await providerByClientId('payroute');
    const link = await demoLink('ledgerly');
    await expect(database.db.transaction((tx) => enqueueProviderEvent(tx, { providerId: provider.id, type: 'link.revoked' }))).rejects.toThrow(/needs the link/);
    await expect(database.db.transaction((tx) => enqueueProviderEvent(tx, { providerId: provider.id, linkId: link.id, type: 'link.revoked' }))).rejects.toThrow(/not found/);
  });

  it('enqueues nothing for a change that is rolled back', async () => {
    const provider = await providerByClientId('ledgerly');
    let jti = '';
    await expect(
      database.db.transaction(async (tx) => {
        jti = await enqueueProviderEvent(tx, { providerId: provider.id, type: 'provider.resumed' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(jti).not.toBe('');
    expect(await database.db.select().from(providerEvents).where(eq(providerEvents.jti, jti))).toHaveLength(0);
  });

  it('stopping a link in the portal enqueues link.revoked in the same transaction', async () => {
    const link = await demoLink('ledgerly');
    const before = (await eventsOfLink(link.id)).length;
    // A stale form is refused: the change and its event roll back together.
    await expect(stopLink(database.db, demo, { linkId: link.id, expectedVersion: -1 })).rejects.toBeInstanceOf(DomainError);
    expect(await eventsOfLink(link.id)).toHaveLength(before);
    await stopLink(database.db, demo, { linkId: link.id });
    const revoked = (await eventsOfLink(link.id)).filter((e) => e.type === 'link.revoked');
    expect(revoked).toHaveLength(1);
    const claims = revoked[0]!.claims as SecurityEventClaims;
    expect(claims.events[eventTypeUri('link.revoked')]).toEqual({ initiator: 'customer', via: 'portal', link_id: link.id });
    expect(claims.sub_id).toEqual({ format: 'iss_sub', iss: eventIssuer(), sub: demo.customerId });
  });

  it('an item change reports the items granted now; a chained-connection stop request is signalled', async () => {
    const link = await demoLink('kakeibo-plus');
    await setItemGranted(database.db, demo, { linkId: link.id, item: 'statements', grant: false });
    const changed = (await eventsOfLink(link.id)).filter((e) => e.type === 'link.items_changed');
    expect(changed).toHaveLength(1);
    expect((changed[0]!.claims as SecurityEventClaims).events[eventTypeUri('link.items_changed')]).toEqual({
      initiator: 'customer',
      item: 'statements',
      granted: false,
      granted_items: ['balances'],
      link_id: link.id,
    });
    const [connection] = await database.db.select({ id: chainedConnections.id, name: chainedConnections.name }).from(chainedConnections).where(eq(chainedConnections.providerId, link.providerId));
    await requestChainedConnectionStop(database.db, demo, { linkId: link.id, chainedConnectionId: connection!.id });
    const stop = (await eventsOfLink(link.id)).filter((e) => e.type === 'chained_connection.stop_requested');
    expect((stop[0]!.claims as SecurityEventClaims).events[eventTypeUri('chained_connection.stop_requested')]).toMatchObject({
      chained_connection: connection!.name,
      chained_connection_id: connection!.id,
      initiator: 'customer',
    });
  });

  it('the Art. 4 sweep enqueues one link.expired per link it records', async () => {
    const swept = await expireInactiveLinks(database.db, new Date(Date.now() + 400 * DAY));
    expect(swept).toBeGreaterThan(0);
    const expired = await database.db.select({ linkId: providerEvents.linkId }).from(providerEvents).where(eq(providerEvents.eventType, 'link.expired'));
    expect(expired).toHaveLength(swept);
    expect(new Set(expired.map((e) => e.linkId)).size).toBe(swept);
  });

  it('lists events with their delivery state for staff only', async () => {
    const list = await listProviderEvents(database.db, staff, { state: 'no_endpoint' });
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((e) => e.state === 'no_endpoint' && e.nextAttemptAt === null)).toBe(true);
    const ledgerly = await providerByClientId('ledgerly');
    const forLedgerly = await listProviderEvents(database.db, staff, { providerId: ledgerly.id, limit: 2 });
    expect(forLedgerly).toHaveLength(2);
    expect(forLedgerly[0]).toMatchObject({ provider: { clientId: 'ledgerly', nameEn: expect.any(String) as unknown } });
    expect(forLedgerly[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(forLedgerly[1]!.createdAt.getTime());
    expect(await listProviderEvents(database.db, staff, { providerId: 'not-a-uuid' })).toEqual([]);
    expect(await listProviderEvents(database.db, staff, { state: 'bogus' })).toEqual([]);
    const customer = demo as unknown as StaffPrincipal;
    await expect(listProviderEvents(database.db, customer)).rejects.toThrow(/staff only/);
  });
});
