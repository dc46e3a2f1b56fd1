import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '@/lib/auth/totp';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Database } from '@/lib/db/connect';
import { chainedConnections, credentials, customers, linkHistory, linkItems, links, providers } from '@/lib/db/schema';
import { DEMO_USERS } from '@/sandbox/demo-users';
import { DomainError } from '@/lib/domain/link-rules';
import { PERMISSION_ITEM_IDS, type PermissionItem } from '@/lib/domain/permission-items';
import { openSecondInstance, openTestDatabase, onServer } from '@/test/db';
import { requestChainedConnectionStop, setItemGranted, stopLink } from './commands';
import { getLink, listLinks } from './queries';

let database: Database;
let demo: CustomerPrincipal;
let demo2: CustomerPrincipal;
const TOTP_STEP_MS = 30_000;

async function principalFor(logonId: string): Promise<CustomerPrincipal> {
  const [row] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, logonId));
  if (!row) throw new Error(`no customer ${logonId}`);
  return { kind: 'customer', customerId: row.id, sessionId: 'test' };
}

async function linkOf(principal: CustomerPrincipal, clientId: string): Promise<string> {
  const [row] = await database.db
    .select({ id: links.id })
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(and(eq(links.customerId, principal.customerId), eq(providers.clientId, clientId)));
  if (!row) throw new Error(`no link ${clientId}`);
  return row.id;
}

async function expectDomainError(promise: Promise<unknown>, code: DomainError['code']): Promise<void> {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof DomainError && e.code === code);
}

beforeAll(async () => {
  database = await openTestDatabase();
  demo = await principalFor('demo');
  demo2 = await principalFor('demo2');
});
afterAll(async () => {
  await database?.close();
});

describe(`links data layer (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('lists the demo customer’s links in every status of SPEC §4, with chained connections', async () => {
    const list = await listLinks(database.db, demo);
    expect(list).toHaveLength(6);
    expect(new Set(list.map((l) => l.displayStatus))).toEqual(new Set(['expiring_soon', 'active', 'expired', 'suspended', 'revoked', 'terminated']));
    const kakeibo = list.find((l) => l.provider.nameEn === 'Kakeibo Plus');
    expect(kakeibo?.chainedConnections.map((c) => c.name)).toEqual(['ポイントモール', '家計相談ナビ']);
    expect(kakeibo?.items.find((i) => i.item === 'payees')?.granted).toBe(false);
    // demo2 sees only their own
    const other = await listLinks(database.db, demo2);
    expect(other).toHaveLength(2);
    expect(other.every((l) => !list.some((m) => m.id === l.id))).toBe(true);
  });

  it('returns null for another customer’s link and for malformed ids', async () => {
    const id = await linkOf(demo, 'ledgerly');
    expect(await getLink(database.db, demo, id)).not.toBeNull();
    expect(await getLink(database.db, demo2, id)).toBeNull();
    expect(await getLink(database.db, demo, 'not-a-uuid')).toBeNull();
    await expectDomainError(setItemGranted(database.db, demo2, { linkId: id, item: 'balances', grant: false }), 'not_found');
    await expectDomainError(stopLink(database.db, demo2, { linkId: id }), 'not_found');
  });

  it('revokes an item in one transaction with its history row', async () => {
    const id = await linkOf(demo, 'ledgerly');
    const before = await getLink(database.db, demo, id);
    const result = await setItemGranted(database.db, demo, { linkId: id, item: 'statements', grant: false, expectedVersion: before!.version });
    expect(result).toEqual({ changed: true, version: before!.version + 1 });
    const [item] = await database.db
      .select({ granted: linkItems.granted, revokedAt: linkItems.revokedAt })
      .from(linkItems)
      .where(and(eq(linkItems.linkId, id), eq(linkItems.item, 'statements')));
    expect(item?.granted).toBe(false);
    expect(item?.revokedAt).toBeInstanceOf(Date);
    const after = await getLink(database.db, demo, id);
    expect(after?.history[0]).toMatchObject({ event: 'item_revoked', item: 'statements', actorType: 'customer' });
    // information item: granting back needs no one-time password
    await setItemGranted(database.db, demo, { linkId: id, item: 'statements', grant: true });
    expect((await getLink(database.db, demo, id))?.items.find((i) => i.item === 'statements')?.granted).toBe(true);
  });

  it('refuses a stale version with `stale` and changes nothing', async () => {
    const id = await linkOf(demo, 'ledgerly');
    const before = await getLink(database.db, demo, id);
    await expectDomainError(setItemGranted(database.db, demo, { linkId: id, item: 'balances', grant: false, expectedVersion: before!.version - 1 }), 'stale');
    const after = await getLink(database.db, demo, id);
    expect(after?.version).toBe(before?.version);
    expect(after?.history.length).toBe(before?.history.length);
  });

  it('asks for the one-time password to grant a transaction item again (step-up), and counts failures', async () => {
    const id = await linkOf(demo, 'ledgerly');
    const secret = DEMO_USERS[0].totpSecret;
    await expectDomainError(setItemGranted(database.db, demo, { linkId: id, item: 'transfers', grant: true }), 'step_up_required');
    await expectDomainError(setItemGranted(database.db, demo, { linkId: id, item: 'transfers', grant: true, otp: '000000' }), 'step_up_failed');
    const [cred] = await database.db.select({ failed: credentials.failedAttempts }).from(credentials).where(eq(credentials.customerId, demo.customerId));
    expect(cred?.failed).toBe(1);
    // A time step well after any used so far, so the code is fresh.
    const now = new Date(Date.now() + 10 * TOTP_STEP_MS);
    const otp = await totpCode(secret, now);
    const result = await setItemGranted(database.db, demo, { linkId: id, item: 'transfers', grant: true, otp }, now);
    expect(result.changed).toBe(true);
    // the same code is not accepted twice
    await setItemGranted(database.db, demo, { linkId: id, item: 'transfers', grant: false }, now);
    await expectDomainError(setItemGranted(database.db, demo, { linkId: id, item: 'transfers', grant: true, otp }, now), 'step_up_failed');
    const detail = await getLink(database.db, demo, id);
    expect(detail?.history.find((h) => h.event === 'item_granted' && h.item === 'transfers')?.detail).toEqual({ stepUp: true });
  });

  it('re-grants only items the provider requested and is registered for, on a link in force (Art. 3.1)', async () => {
    const ledgerly = await linkOf(demo, 'ledgerly');
    await expectDomainError(setItemGranted(database.db, demo, { linkId: ledgerly, item: 'direct_debit_transfers', grant: true }), 'item_not_requested');
    const payroute = await linkOf(demo, 'payroute'); // expired
    await expectDomainError(setItemGranted(database.db, demo, { linkId: payroute, item: 'balances', grant: true }), 'link_not_active');
    // Registered items narrowed after the consent: a requested item no longer permitted cannot come back.
    const kakeibo = await linkOf(demo, 'kakeibo-plus');
    await database.db.update(providers).set({ permittedItems: ['balances', 'statements'] }).where(eq(providers.clientId, 'kakeibo-plus'));
    await expectDomainError(setItemGranted(database.db, demo, { linkId: kakeibo, item: 'payees', grant: true }), 'item_not_permitted');
    await database.db.update(providers).set({ permittedItems: ['balances', 'statements', 'payees'] }).where(eq(providers.clientId, 'kakeibo-plus'));
  });

  it('records a request to stop a chained connection once, only for the link’s provider', async () => {
    const kakeibo = await linkOf(demo, 'kakeibo-plus');
    const detail = await getLink(database.db, demo, kakeibo);
    const connection = detail!.chainedConnections[0]!;
    await requestChainedConnectionStop(database.db, demo, { linkId: kakeibo, chainedConnectionId: connection.id });
    const after = await getLink(database.db, demo, kakeibo);
    expect(after?.chainedConnections[0]?.stopRequestedAt).toBeInstanceOf(Date);
    expect(after?.history[0]).toMatchObject({ event: 'chained_connection_stop_requested' });
    await expectDomainError(requestChainedConnectionStop(database.db, demo, { linkId: kakeibo, chainedConnectionId: connection.id }), 'already_requested');
    const [foreign] = await database.db
      .select({ id: chainedConnections.id })
      .from(chainedConnections)
      .innerJoin(providers, eq(providers.id, chainedConnections.providerId))
      .where(eq(providers.clientId, 'ledgerly'));
    await expectDomainError(requestChainedConnectionStop(database.db, demo, { linkId: kakeibo, chainedConnectionId: foreign!.id }), 'not_found');
  });

  it('stops a link for good (Art. 5.1); nothing can be granted on it afterwards', async () => {
    const id = await linkOf(demo2, 'kakeibo-plus');
    await stopLink(database.db, demo2, { linkId: id });
    const detail = await getLink(database.db, demo2, id);
    expect(detail?.status).toBe('revoked');
    expect(detail?.history[0]).toMatchObject({ event: 'link_revoked' });
    await expectDomainError(stopLink(database.db, demo2, { linkId: id }), 'link_final');
    await expectDomainError(setItemGranted(database.db, demo2, { linkId: id, item: 'balances', grant: false }), 'link_final');
    await expectDomainError(setItemGranted(database.db, demo2, { linkId: id, item: 'payees', grant: true }), 'link_not_active');
  });

  it('keeps the history append-only at the database', async () => {
    const refusal = (e: unknown) => String((e as { cause?: { message?: string } }).cause?.message ?? e);
    await expect(database.db.execute(sql`update link_history set event = 'x'`).catch((e: unknown) => Promise.reject(new Error(refusal(e))))).rejects.toThrow(/append-only/);
    await expect(database.db.execute(sql`delete from link_history`).catch((e: unknown) => Promise.reject(new Error(refusal(e))))).rejects.toThrow(/append-only/);
    const [count] = await database.db.select({ n: sql<number>`count(*)::int` }).from(linkHistory);
    expect(count?.n).toBeGreaterThan(0);
  });

  it(`loses no update under 50 concurrent item toggles${onServer ? ' from two instances (two pools)' : ''}; the history replays to the final state`, async () => {
    const id = await linkOf(demo2, 'ledgerly');
    const items: PermissionItem[] = ['balances', 'statements'];
    const ops = Array.from({ length: 50 }, (_, i) => ({ item: items[i % 2]!, grant: i % 3 !== 0 }));
    const second = await openSecondInstance(database);
    const instances = [database.db, second.db];
    // Each call's time is taken when it starts, before it waits for the link's lock, and the calls
    // take the lock in any order: here the later a call starts, the earlier its clock says it is.
    const base = Date.now();
    const results = await Promise.allSettled(ops.map((op, i) => setItemGranted(instances[i % 2]!, demo2, { linkId: id, ...op }, new Date(base - i)))).finally(() => second.close());
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const changed = results.filter((r) => r.status === 'fulfilled' && r.value.changed).length;

    const [link] = await database.db.select({ version: links.version }).from(links).where(eq(links.id, id));
    const history = await database.db
      .select({ event: linkHistory.event, item: linkHistory.item, detail: linkHistory.detail })
      .from(linkHistory)
      .where(eq(linkHistory.linkId, id))
      // the order the link's history is shown and read in (lib/links/queries.ts): by time, then id
      .orderBy(linkHistory.at, linkHistory.id);
    // Replay: start from the consent, apply every item event in order.
    const replay = new Map<PermissionItem, boolean>();
    for (const h of history) {
      if (h.event === 'consent_given') for (const item of h.detail.items as PermissionItem[]) replay.set(item, true);
      if (h.event === 'item_granted' && h.item) replay.set(h.item, true);
      if (h.event === 'item_revoked' && h.item) replay.set(h.item, false);
    }
    const final = await database.db.select({ item: linkItems.item, granted: linkItems.granted }).from(linkItems).where(eq(linkItems.linkId, id));
    for (const row of final) expect(replay.get(row.item)).toBe(row.granted);
    // every change produced exactly one history row and one version bump
    expect(history.filter((h) => h.event === 'item_granted' || h.event === 'item_revoked')).toHaveLength(changed);
    expect(link?.version).toBe(1 + changed);
    expect(changed).toBeGreaterThan(1);
    expect(PERMISSION_ITEM_IDS).toContain(final[0]?.item);
  });
});
