import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordStep, otpStep, touchSession } from '@/lib/auth/sign-in';
import { totpCode } from '@/lib/auth/totp';
import type { CustomerPrincipal, StaffPrincipal } from '@/lib/auth/types';
import { rowsOf, type Database } from '@/lib/db/connect';
import { customers, links, sessions, staffAccessLog, staffUsers } from '@/lib/db/schema';
import { DEMO_STAFF, DEMO_USERS } from '@/sandbox/demo-users';
import { openTestDatabase, onServer } from '@/test/db';
import { foldProviderLinkCounts } from '@/lib/providers/link-counts';
import { getCustomerForStaff, getLinkForStaff, listProvidersForStaff, listStaffLookupsForCustomer, searchCustomers } from './queries';

let database: Database;
let staff: StaffPrincipal;
let demo: CustomerPrincipal;
const STAFF = DEMO_STAFF[0];
const DEMO = DEMO_USERS[0];

beforeAll(async () => {
  database = await openTestDatabase();
  const [member] = await database.db.select({ id: staffUsers.id, role: staffUsers.role, name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.logonId, STAFF.logonId));
  const [customer] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, DEMO.logonId));
  if (!member || !customer) throw new Error('seed missing');
  staff = { kind: 'staff', staffUserId: member.id, role: member.role, name: member.name, sessionId: 'test' };
  demo = { kind: 'customer', customerId: customer.id, sessionId: 'test' };
});
afterAll(async () => database?.close());

describe(`staff view (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('signs staff in with password + one-time password into a staff session, never a customer one', async () => {
    const now = new Date();
    const step1 = await passwordStep(database.db, STAFF.logonId, STAFF.password, now, 'staff');
    expect(step1.ok).toBe(true);
    if (!step1.ok) return;
    const code = await totpCode(STAFF.totpSecret, now);
    const step2 = await otpStep(database.db, step1.challenge, code, { userAgent: 'test' }, now);
    expect(step2).toMatchObject({ ok: true, customerId: null, staffUserId: staff.staffUserId });
    if (!step2.ok) return;
    expect(await touchSession(database.db, step2.sessionId, now)).toEqual({ customerId: null, staffUserId: staff.staffUserId });
    // A staff logon ID is unknown to the customer sign-in (and the reverse).
    expect(await passwordStep(database.db, STAFF.logonId, STAFF.password, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(await passwordStep(database.db, DEMO.logonId, DEMO.password, now, 'staff')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a session row with no subject or with both (check constraint)', async () => {
    const both = database.db.insert(sessions).values({ idHash: 'x-both', customerId: demo.customerId, staffUserId: staff.staffUserId });
    await expect(both).rejects.toThrow();
    await expect(database.db.insert(sessions).values({ idHash: 'x-none' })).rejects.toThrow();
  });

  it('finds customers by logon ID, number, kanji, kana or Latin name, and records each hit', async () => {
    const before = await countLookups(demo.customerId);
    for (const q of ['demo', '1000001', '山田', 'ヤマダ', 'yamada', '山田太郎']) {
      const hits = await searchCustomers(database.db, staff, q);
      expect(hits.map((h) => h.logonId), q).toContain('demo');
    }
    expect(await searchCustomers(database.db, staff, '%')).toEqual([]);
    expect(await searchCustomers(database.db, staff, '   ')).toEqual([]);
    // control characters are dropped, never sent to the database (a NUL was a 500: SEC-INPUT-2)
    expect(await searchCustomers(database.db, staff, '\u0000')).toEqual([]);
    expect((await searchCustomers(database.db, staff, 'de\u0000mo')).map((h) => h.logonId)).toContain('demo');
    expect(await countLookups(demo.customerId)).toBe(before + 7);
  });

  it('finds a name by any part of it: one character, across the space, in hiragana, full-width or any case (issue 13)', async () => {
    for (const q of ['山', '田太', '山田　太郎', 'やまだ', 'ﾔﾏﾀﾞ', 'ＹＡＭＡＤＡ', 'TaroYamada', 'taro yamada', 'aro']) {
      const hits = await searchCustomers(database.db, staff, q);
      expect(hits.map((h) => h.logonId), q).toContain('demo');
    }
    // the start of the part after the space (a given name, or a surname in a Latin name): the names' B-trees
    for (const q of ['太郎', 'タロウ', 'たろう', 'Yamada', 'ＹＡＭＡ']) expect((await searchCustomers(database.db, staff, q)).map((h) => h.logonId), q).toContain('demo');
    // `%` and `_` in a name are plain characters, not wildcards of the B-trees' LIKE
    for (const q of ['山%', '山_', 'タ_ウ', '\\']) expect((await searchCustomers(database.db, staff, q)).map((h) => h.logonId), q).not.toContain('demo');
    // the pairs of a query must follow one another in one name: all of 太郎山 is there, never in a row
    for (const q of ['太郎山', 'ヤマダハナコ', 'yamadataro', '山田花子']) expect((await searchCustomers(database.db, staff, q)).map((h) => h.logonId), q).not.toContain('demo');
    // a customer-number prefix is not a name search, and `%` / `_` are plain characters in it
    expect((await searchCustomers(database.db, staff, '10000')).map((h) => h.logonId)).toEqual(expect.arrayContaining(['demo', 'demo2']));
    expect(await searchCustomers(database.db, staff, '1000_01')).toEqual([]);
  });

  it("gives each hit its own number of links (issue 12, defect 2: it said 0 for a customer with six)", async () => {
    const own = await database.db.select({ id: links.id }).from(links).where(eq(links.customerId, demo.customerId));
    expect(own.length).toBeGreaterThan(0);
    const [hit] = await searchCustomers(database.db, staff, DEMO.logonId);
    expect(hit?.linkCount).toBe(own.length);
    const none = await searchCustomers(database.db, staff, DEMO_USERS[2].logonId); // demo3 has no links
    expect(none[0]?.linkCount).toBe(0);
  });

  it('records the look-up in the same transaction as the read, and the customer sees it', async () => {
    const at = new Date('2026-11-20T01:00:00Z');
    const customer = await getCustomerForStaff(database.db, staff, demo.customerId, at);
    expect(customer?.links).toHaveLength(6);
    expect(customer?.accounts.every((a) => /^\*+\d{4}$/.test(a.maskedNumber))).toBe(true);
    const link = customer!.links[0]!;
    const detail = await getLinkForStaff(database.db, staff, demo.customerId, link.id, at);
    expect(detail?.history.length).toBeGreaterThan(0);
    const notices = await listStaffLookupsForCustomer(database.db, demo, 50);
    expect(notices.filter((n) => n.at.getTime() === at.getTime()).map((n) => n.view).sort()).toEqual(['customer', 'link']);
  });

  it('does not find a link through another customer (no cross-customer read)', async () => {
    const [demo2] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, 'demo2'));
    const customer = await getCustomerForStaff(database.db, staff, demo.customerId);
    expect(await getLinkForStaff(database.db, staff, demo2!.id, customer!.links[0]!.id)).toBeNull();
    expect(await getCustomerForStaff(database.db, staff, 'not-a-uuid')).toBeNull();
  });

  it('counts links per provider and effective status (expiry applied at read time)', async () => {
    const providers = await listProvidersForStaff(database.db, staff);
    const payroute = providers.find((p) => p.clientId === 'payroute');
    expect(payroute?.counts.expired).toBe(1);
    const total = providers.reduce((n, p) => n + Object.values(p.counts).reduce((a, b) => a + b, 0), 0);
    const [row] = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from links`).then((r) => (Array.isArray(r) ? r : (r as { rows: { n: number }[] }).rows));
    expect(total).toBe(row!.n);
  });

  it('keeps the per-provider counts in step with every insert and status change, before and after folding (issue 13)', async () => {
    const at = new Date();
    type Ex = Parameters<typeof listProvidersForStaff>[0];
    const live = async (ex: Ex = database.db) => {
      const result = await ex.execute(sql`
        select provider_id as "providerId", (case when status = 'active' and expires_at <= ${at.toISOString()}::timestamptz then 'expired' else status::text end) as status, count(*)::int as n
        from links group by 1, 2`);
      const byProvider = new Map<string, Record<string, number>>();
      for (const r of rowsOf<{ providerId: string; status: string; n: number }>(result)) {
        const c = byProvider.get(r.providerId) ?? { active: 0, expired: 0, suspended: 0, revoked: 0, terminated: 0 };
        c[r.status] = r.n;
        byProvider.set(r.providerId, c);
      }
      return byProvider;
    };
    const counted = async (ex: Ex = database.db) => new Map((await listProvidersForStaff(ex, staff, at)).filter((p) => Object.values(p.counts).some((n) => n > 0)).map((p) => [p.id, p.counts as Record<string, number>]));
    expect(await counted()).toEqual(await live());
    await database.db.transaction(async (tx) => {
      const [link] = await tx.select({ id: links.id, providerId: links.providerId, status: links.status }).from(links).where(and(eq(links.customerId, demo.customerId), eq(links.status, 'active'))).limit(1);
      // moved to suspended and back in two statements
      await tx.update(links).set({ status: 'suspended' }).where(eq(links.id, link!.id));
      expect((await counted(tx)).get(link!.providerId)).toEqual((await live(tx)).get(link!.providerId));
      await tx.update(links).set({ status: 'active' }).where(eq(links.id, link!.id));
      // a statement that changes nothing of the status is not counted
      await tx.update(links).set({ version: sql`${links.version} + 1` }).where(eq(links.providerId, link!.providerId));
      expect(await counted(tx)).toEqual(await live(tx));
      tx.rollback();
    }).catch((error: unknown) => {
      if (!(error instanceof Error) || !/rollback/i.test(error.message)) throw error;
    });
    expect(await foldProviderLinkCounts(database.db)).toBeGreaterThanOrEqual(0);
    expect(await counted()).toEqual(await live());
    const [{ changes }] = rowsOf<{ changes: number }>(await database.db.execute(sql`select count(*)::int as changes from provider_link_count_changes`)) as [{ changes: number }];
    expect(changes).toBe(0);
  });

  it('refuses anything but a staff principal', async () => {
    const notStaff = { ...staff, kind: 'customer' } as unknown as StaffPrincipal;
    await expect(searchCustomers(database.db, notStaff, 'demo')).rejects.toThrow();
    await expect(getCustomerForStaff(database.db, notStaff, demo.customerId)).rejects.toThrow();
  });

  it('keeps the staff access log append-only', async () => {
    await expect(database.db.execute(sql`delete from staff_access_log`)).rejects.toThrow();
    await expect(database.db.execute(sql`update staff_access_log set view = 'x'`)).rejects.toThrow();
  });
});

async function countLookups(customerId: string): Promise<number> {
  const rows = await database.db.select({ id: staffAccessLog.id }).from(staffAccessLog).where(eq(staffAccessLog.customerId, customerId));
  return rows.length;
}
