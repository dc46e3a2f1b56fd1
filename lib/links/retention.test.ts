import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { customers, linkAccounts, linkHistory, linkItems, links, linkUsageDaily, providers, receipts } from '@/lib/db/schema';
import { RECORD_OVER_PROVIDER } from '@/sandbox/many-links';
import type { StaffLookup } from '@/lib/staff/lookup';
import { onServer, openTestDatabase } from '@/test/db';
import { establishLink, SYSTEM } from './lifecycle';
import { getLink, listLinks } from './queries';
import { purgePastLinkRecords } from './retention';

// Issue 14 §3: ended links leave the customer's view two years after they ended (decision 48).
let database: Database;
const DAY = 86_400_000;
const RECORD_DAYS = 730;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function demo50() {
  const [row] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, 'demo50'));
  return { kind: 'customer' as const, customerId: row!.id, sessionId: 'test' };
}
// Tests stand in for lib/staff/queries.ts, which alone makes a look-up after recording it.
const staffOf = (customerId: string) => ({ kind: 'staff-lookup', customerId, staffUserId: 'test' }) as unknown as StaffLookup;

async function recordOverLink() {
  const [row] = await database.db
    .select({ id: links.id, archivedAt: links.archivedAt, recordFrom: links.recordFrom, providerId: links.providerId, version: links.version })
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(eq(providers.clientId, RECORD_OVER_PROVIDER.clientId));
  return row!;
}

describe(`the two-year record of ended links (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('archives only links that ended more than the record period ago: items, accounts and usage go, the history and receipts stay, one event says so', async () => {
    const customer = await demo50();
    const before = await recordOverLink();
    expect(before.archivedAt).toBeNull();
    await database.db.insert(linkUsageDaily).values({ linkId: before.id, item: 'balances', day: '2024-09-01', count: 3 });
    const historyBefore = await database.db.select({ id: linkHistory.id }).from(linkHistory).where(eq(linkHistory.linkId, before.id));
    const receiptsBefore = (await database.db.select({ n: sql<number>`count(*)::int` }).from(receipts))[0]!.n;
    // the customer still sees it until housekeeping runs (the dashboard hides it, the link page does not)
    expect(await getLink(database.db, customer, before.id)).not.toBeNull();

    const now = new Date();
    const archived = await purgePastLinkRecords(database.db, RECORD_DAYS, now);
    expect(archived).toBe(1); // only the one stopped 800 days ago; demo50's other ended links are weeks old

    const after = await recordOverLink();
    expect(after.archivedAt?.getTime()).toBe(now.getTime());
    expect(after.version).toBe(before.version + 1);
    expect(await database.db.select().from(linkItems).where(eq(linkItems.linkId, before.id))).toEqual([]);
    expect(await database.db.select().from(linkAccounts).where(eq(linkAccounts.linkId, before.id))).toEqual([]);
    expect(await database.db.select().from(linkUsageDaily).where(eq(linkUsageDaily.linkId, before.id))).toEqual([]);
    const history = await database.db.select({ id: linkHistory.id, event: linkHistory.event, actor: linkHistory.actorType, detail: linkHistory.detail }).from(linkHistory).where(eq(linkHistory.linkId, before.id));
    expect(history.map((h) => h.id)).toEqual(expect.arrayContaining(historyBefore.map((h) => h.id)));
    expect(history.filter((h) => h.event === 'link_record_archived')).toEqual([expect.objectContaining({ actor: 'system', detail: { recordDays: RECORD_DAYS } })]);
    // no receipt: the customer is not shown this change
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(receipts))[0]!.n).toBe(receiptsBefore);

    // the customer no longer finds it, in the list or by its address; staff still do, with its whole history
    expect((await listLinks(database.db, customer, now)).map((l) => l.id)).not.toContain(before.id);
    expect(await getLink(database.db, customer, before.id, now)).toBeNull();
    const seenByStaff = await getLink(database.db, staffOf(customer.customerId), before.id, now);
    expect(seenByStaff?.archivedAt?.getTime()).toBe(now.getTime());
    expect(seenByStaff?.history.map((h) => h.event)).toEqual(['link_record_archived', 'link_revoked', 'consent_given']);

    // idempotent
    expect(await purgePastLinkRecords(database.db, RECORD_DAYS, now)).toBe(0);
  });

  it('keeps links in force whatever their age, and archives the expired and stopped ones once their own two years are over', async () => {
    const later = new Date(Date.now() + 3 * 365 * DAY);
    const live = await database.db.select({ id: links.id, status: links.status }).from(links).where(inArray(links.status, ['active', 'suspended']));
    expect(live.length).toBeGreaterThan(0);
    // every customer's ended links (demo's and demo2's too), not only demo50's
    const ended = await database.db
      .select({ id: links.id })
      .from(links)
      .where(and(inArray(links.status, ['expired', 'revoked', 'terminated']), sql`archived_at is null`));
    expect(ended.length).toBeGreaterThan(10);
    // two passes (expired by expiry, stopped by status change), small batches: all of them, none twice
    expect(await purgePastLinkRecords(database.db, RECORD_DAYS, later, 3)).toBe(ended.length);
    const rows = await database.db.select({ id: links.id, archivedAt: links.archivedAt }).from(links);
    const archivedIds = rows.filter((r) => r.archivedAt).map((r) => r.id);
    expect(archivedIds).toEqual(expect.arrayContaining(ended.map((e) => e.id)));
    expect(archivedIds.filter((id) => live.some((l) => l.id === id))).toEqual([]);
  });

  it('a new consent brings an archived link back with a new record: the customer sees it again, its history from the new consent on', async () => {
    const customer = await demo50();
    const link = await recordOverLink();
    const [account] = await database.db.select({ id: linkAccounts.accountId }).from(linkAccounts).innerJoin(links, eq(links.id, linkAccounts.linkId)).where(eq(links.customerId, customer.customerId)).limit(1);
    const now = new Date(Date.now() + 1000);
    await database.db.transaction((tx) =>
      establishLink(
        tx,
        { customerId: customer.customerId, providerId: link.providerId, termsVersionId: '2020-08-21', expiresAt: new Date(now.getTime() + 90 * DAY), grantId: 'retention-test-grant', offeredItems: ['balances'], grantedItems: ['balances'], accountIds: [account!.id] },
        SYSTEM,
        now,
      ),
    );
    const back = await getLink(database.db, customer, link.id, now);
    expect(back?.archivedAt).toBeNull();
    expect(back?.status).toBe('active');
    expect(back?.history.map((h) => h.event)).toEqual(['consent_renewed']);
    // staff still see the whole record
    const seenByStaff = await getLink(database.db, staffOf(customer.customerId), link.id, now);
    expect(seenByStaff?.history.map((h) => h.event)).toEqual(['consent_renewed', 'link_record_archived', 'link_revoked', 'consent_given']);
  });
});
