import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPrincipal, StaffPrincipal } from '@/lib/auth/types';
import { rowsOf, type Database } from '@/lib/db/connect';
import { customers, links, staffUsers } from '@/lib/db/schema';
import { listProviderEvents } from '@/lib/events/queries';
import { expireInactiveLinks } from '@/lib/links/expiry';
import { purgePastLinkRecords } from '@/lib/links/retention';
import { getLink, listLinks } from '@/lib/links/queries';
import { getCustomerForStaff, getLinkForStaff, getProviderForStaff, listProvidersForStaff, searchCustomers } from '@/lib/staff/queries';
import { ensureDemoLinks, ensureScaleProviders, generateCustomers, scaleCustomerNumber } from '@/scripts/scale/generate';
import { onServer, openTestDatabase } from './db';

// Issue 13: on a generated mid-sized database (20 000 customers, 60 000 links, 180 000 history
// rows: enough that the planner prefers an index where one serves), every statement the hot paths
// send is run again under EXPLAIN ANALYZE (in a transaction rolled back), and a sequential scan of
// a large table, or any plan node that reads more than ROW_BUDGET rows of one (an index scan with
// a filter reads the whole table just as well), fails the test — so a new query, or a dropped
// index, cannot quietly make a per-customer page or a periodic sweep read the whole bank.
// Not here yet (issue 13 stays open): the consent-checked read runs inside a database function,
// whose statements EXPLAIN does not show.
const CUSTOMERS = 20_000;
const LARGE = new Set(['customers', 'accounts', 'links', 'link_items', 'link_accounts', 'link_history', 'provider_events']);
/** Rows one plan node may read of a large table: about 1 % of the links. */
const ROW_BUDGET = 600;

let database: Database;
const captured: Array<{ query: string; params: unknown[] }> = [];

/** Every statement drizzle sends through this handle (and its transactions) is recorded. */
function recordQueries(): void {
  const session = (database.db as unknown as { session: { logger: unknown; options: { logger?: unknown } } }).session;
  const logger = { logQuery: (query: string, params: unknown[]) => captured.push({ query, params }) };
  session.logger = logger;
  session.options.logger = logger;
}

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
};

/** The statement run under EXPLAIN ANALYZE in a transaction that is rolled back (it changes nothing). */
async function explain(query: string, params: unknown[]): Promise<PlanNode> {
  const client = (database.db as unknown as { session: { client: unknown } }).session.client as {
    query?: (text: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;
    begin?: (run: (tx: { unsafe: (text: string, params: never[]) => Promise<Array<Record<string, unknown>>> }) => Promise<unknown>) => Promise<unknown>;
  };
  const text = `explain (analyze, format json) ${query}`;
  let rows: Array<Record<string, unknown>> = [];
  if (client.begin) {
    const rollback = new Error('rollback');
    await client
      .begin(async (tx) => {
        rows = await tx.unsafe(text, params as never[]);
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
  } else {
    await client.query!('begin');
    try {
      rows = (await client.query!(text, params)).rows;
    } finally {
      await client.query!('rollback');
    }
  }
  const plan = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{ Plan: PlanNode }>;
  return parsed[0]!.Plan;
}

/**
 * The nodes that scan a large table in full, or read more of it than the budget. A node that never
 * ran (a branch behind a one-time filter that was false, Actual Loops 0) read nothing: its plan is
 * the planner's bet for when it does run, and a test that reaches that case judges it there.
 */
function seqScans(node: PlanNode): string[] {
  if (node['Actual Loops'] === 0) return [];
  const table = node['Relation Name'];
  const read = ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * (node['Actual Loops'] ?? 1);
  const own = table && LARGE.has(table) && (node['Node Type'] === 'Seq Scan' || read > ROW_BUDGET) ? [`${table} (${node['Node Type']}, ${read} rows)`] : [];
  return [...own, ...(node.Plans ?? []).flatMap(seqScans)];
}

/** Runs `work`, then EXPLAINs each SELECT / UPDATE / DELETE it sent; returns the ones that scanned a large table. */
async function scansOf(work: () => Promise<unknown>): Promise<string[]> {
  captured.length = 0;
  await work();
  // One EXPLAIN per distinct statement (a batch job sends the same ones for every row), with the first one's parameters.
  const seen = new Set<string>();
  const statements = captured.filter((c) => /^\s*(select|update|delete|with)\b/i.test(c.query) && !seen.has(c.query) && seen.add(c.query));
  expect(statements.length).toBeGreaterThan(0);
  const found: string[] = [];
  for (const { query, params } of statements) {
    const scans = seqScans(await explain(query, params));
    if (scans.length > 0) found.push(`${scans.join(', ')}: ${query.slice(0, 160)}`);
  }
  return found;
}

let customer: CustomerPrincipal;
let demo: CustomerPrincipal;
let demoLinksAdded: number[] = [];
let staff: StaffPrincipal;
let linkId: string;

beforeAll(async () => {
  database = await openTestDatabase();
  await ensureScaleProviders(database.db);
  for (let from = 1; from <= CUSTOMERS; from += 5_000) await generateCustomers(database.db, from, Math.min(from + 5_000, CUSTOMERS + 1), 3);
  demoLinksAdded = [await ensureDemoLinks(database.db), await ensureDemoLinks(database.db)];
  await database.db.execute(sql`analyze`);
  const [demoRow] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, 'demo'));
  demo = { kind: 'customer', customerId: demoRow!.id, sessionId: 'test' };
  const [row] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.customerNumber, scaleCustomerNumber(4_321)));
  customer = { kind: 'customer', customerId: row!.id, sessionId: 'test' };
  const [link] = await database.db.select({ id: links.id }).from(links).where(eq(links.customerId, row!.id)).limit(1);
  linkId = link!.id;
  const [member] = await database.db.select({ id: staffUsers.id }).from(staffUsers).limit(1);
  staff = { kind: 'staff', staffUserId: member!.id, role: 'staff', name: 'test', sessionId: 'test' };
  recordQueries();
}, 120_000);
afterAll(async () => {
  await database?.close();
});

describe(`query plans at ${CUSTOMERS.toLocaleString('en')} customers (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('the generated data is there in the expected amounts', async () => {
    const result = await database.db.execute(sql`select (select count(*) from links)::int as links, (select count(*) from link_history)::int as history`);
    const counts = rowsOf<{ links: number; history: number }>(result)[0]!;
    expect(counts.links).toBeGreaterThanOrEqual(3 * CUSTOMERS);
    expect(counts.history).toBeGreaterThanOrEqual(9 * CUSTOMERS);
  });

  it('the sandbox’s demo has 20 links on a generated database, added once', async () => {
    expect(demoLinksAdded).toEqual([14, 0]);
    expect(await listLinks(database.db, demo)).toHaveLength(20);
  });

  it('the dashboard reads one customer’s links by index, also for a customer with 20 links', async () => {
    expect(await scansOf(() => listLinks(database.db, customer))).toEqual([]);
    expect(await scansOf(() => listLinks(database.db, demo))).toEqual([]);
  });

  it('the link page (and an older page of its history) reads by index', async () => {
    expect(await scansOf(() => getLink(database.db, customer, linkId))).toEqual([]);
    expect(await scansOf(() => getLink(database.db, customer, linkId, new Date(), { historyBefore: '1.1' }))).toEqual([]);
  });

  it('the staff customer and link pages read by index', async () => {
    expect(await scansOf(() => getCustomerForStaff(database.db, staff, customer.customerId))).toEqual([]);
    expect(await scansOf(() => getLinkForStaff(database.db, staff, customer.customerId, linkId))).toEqual([]);
  });

  it('the Art. 4 expiry sweep reads only the links due (partial index), in batches, and next to nothing when none is', async () => {
    let expired = 0;
    expect(
      await scansOf(async () => {
        expired = await expireInactiveLinks(database.db, new Date(), 200);
      }),
    ).toEqual([]);
    expect(expired).toBeGreaterThan(200); // more than one batch was due
    // the run every 10 minutes, with nothing due: the common case
    expect(await scansOf(() => expireInactiveLinks(database.db, new Date(), 200))).toEqual([]);
  });

  it('the two-year record archive reads only ended links not yet archived (partial indexes), and next to nothing when none is due', async () => {
    expect(await scansOf(() => purgePastLinkRecords(database.db, 730, new Date()))).toEqual([]);
    // three years on, every ended link is due: batches, each read by index
    let archived = 0;
    expect(
      await scansOf(async () => {
        archived = await purgePastLinkRecords(database.db, 730, new Date(Date.now() + 3 * 365 * 86_400_000), 200);
      }),
    ).toEqual([]);
    expect(archived).toBeGreaterThan(200);
    // Every ended link of 20 000 customers goes through the lifecycle (40–50 s here on PGlite, alone):
    // the plans are what this test checks, not the time, so the suite's 60 s is not its limit.
  }, 240_000);

  it('the staff search reads by index: logon ID, number prefix, and part of a name in kanji, kana (either script) and Latin', async () => {
    const queries = ['scale4321', 'S0000043', '山田美咲', 'ヤマダミサキ', 'やまだ みさき', 'Misaki Yamada', 'zzqx'];
    for (const q of queries) expect(await scansOf(() => searchCustomers(database.db, staff, q)), q).toEqual([]);
    // and finds what it should, not only fast
    const hits = await searchCustomers(database.db, staff, 'ヤマダミサキ');
    expect(hits.length).toBeGreaterThan(10);
    expect(hits.every((h) => h.nameJa === '山田 美咲')).toBe(true);
    expect((await searchCustomers(database.db, staff, 'scale4321')).map((h) => h.customerNumber)).toEqual([scaleCustomerNumber(4_321)]);
  });

  it('the staff search by a common surname or given name reads its twenty from the name B-trees, never every match (issue 13)', async () => {
    // About 1 000 of the 20 000 share each surname: the bigram index would build all of them (the
    // row budget fails it), the names' B-trees stop at the page's twenty.
    const queries = ['タカハシ', 'たかはし', '高橋', 'Takahashi', 'TAKAHASHI', 'ショウタ', '翔太', 'Shota'];
    for (const q of queries) expect(await scansOf(() => searchCustomers(database.db, staff, q)), q).toEqual([]);
    const surname = await searchCustomers(database.db, staff, 'タカハシ');
    expect(surname).toHaveLength(20);
    expect(surname.every((h) => h.nameKana.startsWith('タカハシ'))).toBe(true);
    const given = await searchCustomers(database.db, staff, 'Shota');
    expect(given).toHaveLength(20);
    expect(given.every((h) => h.nameEn.startsWith('Shota '))).toBe(true);
    // a part inside a name still finds it (the bigram index, when the starts are too few)
    const inner = await searchCustomers(database.db, staff, 'カハシショウ');
    expect(inner.length).toBeGreaterThan(0);
    expect(inner.every((h) => h.nameKana === 'タカハシ ショウタ')).toBe(true);
  });

  // After the sweep: the directory reads the links still active past their expiry, which the sweep
  // keeps to the ten minutes since its last run.
  it('the provider directory and a provider’s page count links without reading them', async () => {
    const directory = await listProvidersForStaff(database.db, staff);
    const total = directory.reduce((n, p) => n + Object.values(p.counts).reduce((a, b) => a + b, 0), 0);
    expect(total).toBeGreaterThanOrEqual(3 * CUSTOMERS);
    expect(await scansOf(() => listProvidersForStaff(database.db, staff))).toEqual([]);
    expect(await scansOf(() => getProviderForStaff(database.db, staff, directory[0]!.id))).toEqual([]);
  });

  it('the staff notifications list reads one page of events, also when a sweep wrote thousands at one instant', async () => {
    // One expiry sweep writes an event per expired link, all with the sweep's timestamp: the list's
    // order (newest, then jti) must come from an index, not from sorting every event of that instant.
    const [provider] = await database.db.execute(sql`select id from providers where client_id like 'scale-provider-%' order by client_id limit 1`).then(rowsOf<{ id: string }>);
    await database.db.execute(sql`
      insert into provider_events (jti, provider_id, event_type, claims, state, created_at)
      select 'plan-' || g, ${provider!.id}, 'link_expired', '{}'::jsonb, 'delivered', '2026-12-01T00:00:00Z'
      from generate_series(1, 3000) g`);
    await database.db.execute(sql`analyze provider_events`);
    const page = await listProviderEvents(database.db, staff, {});
    expect(page.length).toBeGreaterThan(0);
    expect(await scansOf(() => listProviderEvents(database.db, staff, {}))).toEqual([]);
    expect(await scansOf(() => listProviderEvents(database.db, staff, { providerId: provider!.id }))).toEqual([]);
  });

  it('can fail: a query without an index is caught', async () => {
    expect(await scansOf(() => database.db.select({ id: links.id }).from(links).where(eq(links.termsVersionId, 'none')))).toEqual([expect.stringMatching(/^links \(Seq Scan, /)]);
  });
});
