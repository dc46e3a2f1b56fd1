import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPrincipal } from '@/lib/auth/types';
import { rowsOf, type Database } from '@/lib/db/connect';
import { accounts, customers, links, providers, receipts } from '@/lib/db/schema';
import { recordConsent } from '@/lib/consent/consent';
import { setItemGranted, stopLink } from '@/lib/links/commands';
import { expireInactiveLinks } from '@/lib/links/expiry';
import { suspendLink } from '@/lib/operations/commands';
import { openTestDatabase, onServer } from '@/test/db';
import { getReceipt, listReceipts } from './queries';

// Issue 14 §2: every change that establishes, amends or ends what a provider may do leaves the
// customer a receipt, in the change's own transaction, fixed at what was in force right after it.

let database: Database;
let demo: CustomerPrincipal;
let demo2: CustomerPrincipal;

async function principalFor(logonId: string): Promise<CustomerPrincipal> {
  const [row] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, logonId));
  return { kind: 'customer', customerId: row!.id, sessionId: 'test' };
}

beforeAll(async () => {
  database = await openTestDatabase();
  demo = await principalFor('demo');
  demo2 = await principalFor('demo2');
});
afterAll(async () => database?.close());

describe(`receipts (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('a consent, an item turned off, a stop: one receipt each, newest first, each fixed at its moment', async () => {
    const own = await database.db.select({ id: accounts.id, type: accounts.type }).from(accounts).where(eq(accounts.customerId, demo2.customerId));
    const ordinary = own.find((a) => a.type === 'ordinary')!.id;
    const { linkId } = await recordConsent(database.db, demo2, { clientId: 'demo-provider', scope: 'balances payees', items: ['balances'], accountIds: [ordinary], grantId: 'grant-receipts-1' });
    const [consent] = (await listReceipts(database.db, demo2, { linkId })).receipts;
    expect(consent).toMatchObject({ event: 'consent_given', actorType: 'customer', number: expect.stringMatching(/^R\d{10}$/) });
    expect(consent!.snapshot).toMatchObject({ status: 'active', itemsInForce: ['balances'], declined: ['payees'], termsVersion: '2020-08-21', provider: { nameJa: 'デモ連携アプリ' } });
    expect(consent!.snapshot.accounts).toEqual([{ type: 'ordinary', branchName: '本店営業部', maskedNumber: expect.stringMatching(/^\*+\d{4}$/) }]);

    await setItemGranted(database.db, demo2, { linkId, item: 'balances', grant: false });
    await stopLink(database.db, demo2, { linkId });
    const page = (await listReceipts(database.db, demo2, { linkId })).receipts;
    expect(page.map((r) => r.event)).toEqual(['link_revoked', 'item_revoked', 'consent_given']);
    expect(page[1]!.snapshot).toMatchObject({ item: 'balances', itemsInForce: [] });
    expect(page[0]!.snapshot).toMatchObject({ status: 'revoked', itemsInForce: [], via: 'portal' });
    // the consent's receipt still says what was consented to then
    expect((await getReceipt(database.db, demo2, consent!.id))?.snapshot.itemsInForce).toEqual(['balances']);
    expect((await getReceipt(database.db, demo2, consent!.id))?.customer.nameJa).toBe('佐藤 花子');
    // numbers rise with time: the newest has the highest
    const numbers = page.map((r) => Number(r.number.slice(1)));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  it('expiry by the sweep and a suspension by the bank leave receipts too — without the operator’s internal note', async () => {
    const [row] = await database.db
      .select({ id: links.id })
      .from(links)
      .innerJoin(providers, eq(providers.id, links.providerId))
      .where(and(eq(links.customerId, demo.customerId), eq(providers.clientId, 'ledgerly')));
    const note = '内部メモ：不正アクセス調査中（顧客に見せない）';
    await suspendLink(database.db, { kind: 'cli', name: 'tester' }, { linkId: row!.id, reason: 2, note });
    const [suspended] = (await listReceipts(database.db, demo, { linkId: row!.id })).receipts;
    expect(suspended).toMatchObject({ event: 'link_suspended', actorType: 'bank', snapshot: { status: 'suspended', reason: 2 } });
    expect(JSON.stringify(suspended)).not.toContain('内部メモ');

    const [kakeibo] = await database.db
      .select({ id: links.id })
      .from(links)
      .innerJoin(providers, eq(providers.id, links.providerId))
      .where(and(eq(links.customerId, demo.customerId), eq(providers.clientId, 'kakeibo-plus')));
    await expireInactiveLinks(database.db, new Date(Date.now() + 30 * 24 * 3600 * 1000)); // kakeibo is due within 14 days
    const [expired] = (await listReceipts(database.db, demo, { linkId: kakeibo!.id })).receipts;
    expect(expired).toMatchObject({ event: 'link_expired', actorType: 'system', snapshot: { status: 'expired', itemsInForce: [] } });
  });

  it('shows a customer only their own receipts, a page at a time', async () => {
    const mine = await listReceipts(database.db, demo2);
    expect(mine.receipts.length).toBeGreaterThan(0);
    const theirs = await listReceipts(database.db, demo);
    expect(theirs.receipts.every((r) => !mine.receipts.some((m) => m.id === r.id))).toBe(true);
    expect(await getReceipt(database.db, demo, mine.receipts[0]!.id)).toBeNull();
    expect(await getReceipt(database.db, demo2, 'not-a-uuid')).toBeNull();
    const first = await listReceipts(database.db, demo2, { limit: 2 });
    expect(first.receipts).toHaveLength(2);
    expect(first.next).toBe(first.receipts[1]!.number);
    const second = await listReceipts(database.db, demo2, { limit: 2, before: first.next });
    expect(second.receipts[0]!.number < first.receipts[1]!.number).toBe(true);
    expect((await listReceipts(database.db, demo2, { before: 'R; drop table receipts' })).receipts.length).toBe(mine.receipts.length);
  });

  it('keeps receipts append-only at the database', async () => {
    const refusal = (e: unknown) => String((e as { cause?: { message?: string } }).cause?.message ?? e);
    const attempt = (statement: ReturnType<typeof sql>) => database.db.execute(statement).then(() => 'ran', (e: unknown) => refusal(e));
    expect(await attempt(sql`update receipts set event = 'x'`)).toMatch(/receipts is append-only/);
    expect(await attempt(sql`delete from receipts`)).toMatch(/receipts is append-only/);
    const [{ n }] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from ${receipts}`)) as [{ n: number }];
    expect(n).toBeGreaterThan(0);
  });
});
