import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { CustomerPrincipal, StaffPrincipal } from '@/lib/auth/types';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '@/lib/db/connect';
import { accounts, chainedConnections, customers, disclosures, links, providers, ssfStreams, staffAccessLog, staffUsers } from '@/lib/db/schema';
import { maskAccountNumber, type AccountType } from '@/lib/domain/accounts';
import type { LinkStatus } from '@/lib/domain/link-status';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { getLink, listLinks, type LinkDetailDTO, type LinkSummaryDTO } from '@/lib/links/queries';
import type { StaffLookup } from './lookup';
import { isUuid } from '@/lib/domain/ids';
import { assertStaff } from '@/lib/staff/assert-staff';
import { providerLinkCountsAt } from '@/lib/providers/link-counts';

// The staff view reads; it never changes customer data. Each function takes the acting staff
// member and refuses anything else, and every look-up at a customer is written to the staff
// access log before the data is read (SPEC §5), in the same transaction.

export type StaffView = 'search' | 'customer' | 'link' | 'disclosures';

/** Records the look-up and returns the branded read scope for that customer. */
export async function recordLookup(tx: Executor, principal: StaffPrincipal, customerId: string, view: StaffView, linkId: string | null, now: Date): Promise<StaffLookup> {
  await recordLookups(tx, principal, [customerId], view, now, linkId);
  return { kind: 'staff-lookup', customerId, staffUserId: principal.staffUserId } as StaffLookup;
}

/** Records one look-up per customer of a list (a result page), in one statement. */
export async function recordLookups(tx: Executor, principal: StaffPrincipal, customerIds: string[], view: StaffView, now: Date, linkId: string | null = null): Promise<void> {
  if (customerIds.length === 0) return;
  await tx.insert(staffAccessLog).values(customerIds.map((customerId) => ({ staffUserId: principal.staffUserId, customerId, view, linkId, at: now })));
}

export type CustomerHitDTO = { id: string; customerNumber: string; logonId: string; nameJa: string; nameKana: string; nameEn: string; linkCount: number };

/** The most customers one search lists; the page says so when it lists that many. */
export const SEARCH_MAX_HITS = 20;

/**
 * Search by logon ID (exact), customer number (prefix) or name (kanji, kana or Latin, any part of
 * one name; spaces, width and hiragana/katakana ignored). Every branch is served by an index (issue
 * 13): the logon ID's unique index, the customer number's pattern index, and for names first the
 * B-trees of each name and of its part after the first space (migration 0024: a surname or a given
 * name, read in order, twenty at most whatever the bank's size), then — only when fewer than twenty
 * names start with the query — the GIN index of each customer's characters and character pairs
 * (migration 0016), whose candidates are checked against the whole query with the same normalisation.
 */
export async function searchCustomers(db: Executor, principal: StaffPrincipal, query: string, now: Date = new Date()): Promise<CustomerHitDTO[]> {
  assertStaff(principal);
  // Control characters match no customer (and PostgreSQL's text cannot hold a NUL): drop them.
  const q = query.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 64);
  if (q.length === 0) return [];
  const numberPrefix = `${q.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const named = (column: AnyPgColumn) => sql`strpos(renkei_search_norm(${column}), renkei_search_norm(${q})) > 0`;
  // The query, normalised, as a LIKE prefix with its own `%`, `_` and `\` taken literally. A
  // function of the parameter that the planner folds into a constant, so the B-tree's range is known.
  const namePrefix = sql`replace(replace(replace(renkei_search_norm(${q}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
  const startsWith = (key: SQL) => sql`(select id from customers where ${key} collate "C" like ${namePrefix} order by ${key} collate "C" limit ${SEARCH_MAX_HITS})`;
  const keys = [customers.nameJa, customers.nameKana, customers.nameEn].flatMap((column) => [sql`renkei_search_norm(${column})`, sql`renkei_search_tail(${column})`]);
  return db.transaction(async (tx) => {
    // Every branch below has its index. On a small table the planner reckons a sequential scan of
    // the bigram arrays cheaper than the GIN index (10 000 customers: 14 ms against 0.1 ms), and
    // it grows with the table: it is not allowed one here.
    await tx.execute(sql`set local enable_seqscan = off`);
    const hits = await tx
      .select({
        id: customers.id,
        customerNumber: customers.customerNumber,
        logonId: customers.logonId,
        nameJa: customers.nameJa,
        nameKana: customers.nameKana,
        nameEn: customers.nameEn,
      })
      .from(customers)
      // Each way of matching on its own index, each kept to SEARCH_MAX_HITS; one OR over the three lets
      // the planner walk the customer-number order and filter (issue 13: a prefix late in that
      // order read thousands of rows to find its twenty). Of the names that start with the query,
      // the first SEARCH_MAX_HITS in name order of each B-tree; a part inside a name takes the first SEARCH_MAX_HITS the bigram index
      // gives, in no particular order, and only runs (a one-time filter) when the starts are too
      // few: for a common surname (59 000 タカハシ among a million) it built every match, 31 ms.
      .where(
        sql`${customers.id} in (
          with starts as (${sql.join(keys.map(startsWith), sql` union `)})
          (select id from customers where logon_id = ${q})
          union (select id from customers where customer_number collate "C" like ${numberPrefix} order by customer_number collate "C" limit ${SEARCH_MAX_HITS})
          union (select id from starts)
          union (select id from customers
                 where (select count(*) from starts) < ${SEARCH_MAX_HITS}
                   and search_grams @> renkei_search_query_grams(${q})
                   and (${or(named(customers.nameJa), named(customers.nameKana), named(customers.nameEn))})
                 limit ${SEARCH_MAX_HITS}))`,
      )
      .orderBy(asc(customers.customerNumber))
      .limit(SEARCH_MAX_HITS);
    // Each hit's number of links, counted for those hits only (the customer-first unique index).
    const counts = hits.length
      ? await tx
          .select({ customerId: links.customerId, count: sql<number>`count(*)::int` })
          .from(links)
          .where(inArray(links.customerId, hits.map((h) => h.id)))
          .groupBy(links.customerId)
      : [];
    // A name and number in a result list is customer data too: each hit is recorded (in one
    // statement: one each was twenty round trips, 8 of a search's 10 ms).
    await recordLookups(tx, principal, hits.map((hit) => hit.id), 'search', now);
    return hits.map((hit) => ({ ...hit, linkCount: counts.find((c) => c.customerId === hit.id)?.count ?? 0 }));
  });
}

export type StaffCustomerDTO = {
  id: string;
  customerNumber: string;
  logonId: string;
  nameJa: string;
  nameKana: string;
  nameEn: string;
  directBankingRegistered: boolean;
  accounts: { id: string; type: AccountType; branchName: string; maskedNumber: string }[];
  links: LinkSummaryDTO[];
  disclosures: DisclosureDTO[];
  lookups: StaffLookupEntryDTO[];
};

export type DisclosureDTO = {
  id: string;
  providerId: string;
  providerNameJa: string;
  providerNameEn: string;
  information: string;
  reason: number;
  disclosedAt: Date;
  note: string;
};

export type StaffLookupEntryDTO = { at: Date; view: StaffView; staffName: string; linkId: string | null };


/** A customer with every link, account, disclosure and the log of staff look-ups. Recorded. */
export async function getCustomerForStaff(db: Executor, principal: StaffPrincipal, customerId: string, now: Date = new Date()): Promise<StaffCustomerDTO | null> {
  assertStaff(principal);
  if (!isUuid(customerId)) return null;
  return db.transaction(async (tx) => {
    const [customer] = await tx
      .select({
        id: customers.id,
        customerNumber: customers.customerNumber,
        logonId: customers.logonId,
        nameJa: customers.nameJa,
        nameKana: customers.nameKana,
        nameEn: customers.nameEn,
        directBankingRegistered: customers.directBankingRegistered,
      })
      .from(customers)
      .where(eq(customers.id, customerId));
    if (!customer) return null;
    const lookup = await recordLookup(tx, principal, customerId, 'customer', null, now);
    const [accountRows, linkList, disclosureList, lookups] = await Promise.all([
      tx
        .select({ id: accounts.id, type: accounts.type, branchName: accounts.branchName, accountNumber: accounts.accountNumber })
        .from(accounts)
        .where(eq(accounts.customerId, customerId))
        .orderBy(asc(accounts.type), asc(accounts.accountNumber)),
      listLinks(tx, lookup, now),
      listDisclosuresOf(tx, customerId),
      listLookupsOf(tx, customerId, 20),
    ]);
    return {
      ...customer,
      accounts: accountRows.map(({ accountNumber, ...a }) => ({ ...a, maskedNumber: maskAccountNumber(accountNumber) })),
      links: linkList,
      disclosures: disclosureList,
      lookups,
    };
  });
}

/** One link in full (items, accounts, history) for staff. Recorded. */
export async function getLinkForStaff(
  db: Executor,
  principal: StaffPrincipal,
  customerId: string,
  linkId: string,
  now: Date = new Date(),
  options: { historyBefore?: string | null } = {},
): Promise<(LinkDetailDTO & { customer: { id: string; nameJa: string; nameEn: string; customerNumber: string } }) | null> {
  assertStaff(principal);
  if (!isUuid(customerId) || !isUuid(linkId)) return null;
  return db.transaction(async (tx) => {
    const [owner] = await tx
      .select({ id: customers.id, nameJa: customers.nameJa, nameEn: customers.nameEn, customerNumber: customers.customerNumber })
      .from(links)
      .innerJoin(customers, eq(customers.id, links.customerId))
      .where(and(eq(links.id, linkId), eq(links.customerId, customerId)));
    if (!owner) return null;
    const lookup = await recordLookup(tx, principal, customerId, 'link', linkId, now);
    const link = await getLink(tx, lookup, linkId, now, options);
    return link ? { ...link, customer: owner } : null;
  });
}

async function listDisclosuresOf(db: Executor, customerId: string): Promise<DisclosureDTO[]> {
  return db
    .select({
      id: disclosures.id,
      providerId: disclosures.providerId,
      providerNameJa: providers.nameJa,
      providerNameEn: providers.nameEn,
      information: disclosures.information,
      reason: disclosures.reason,
      disclosedAt: disclosures.disclosedAt,
      note: disclosures.note,
    })
    .from(disclosures)
    .innerJoin(providers, eq(providers.id, disclosures.providerId))
    .where(eq(disclosures.customerId, customerId))
    .orderBy(desc(disclosures.disclosedAt));
}

async function listLookupsOf(db: Executor, customerId: string, limit: number): Promise<StaffLookupEntryDTO[]> {
  const rows = await db
    .select({ at: staffAccessLog.at, view: staffAccessLog.view, staffName: staffUsers.name, linkId: staffAccessLog.linkId })
    .from(staffAccessLog)
    .innerJoin(staffUsers, eq(staffUsers.id, staffAccessLog.staffUserId))
    .where(eq(staffAccessLog.customerId, customerId))
    .orderBy(desc(staffAccessLog.at), desc(staffAccessLog.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, view: r.view as StaffView }));
}

// ---- What the customer sees of it (transparency) ----

export type CustomerLookupNoticeDTO = { at: Date; view: StaffView };

/** The customer's own record of bank staff look-ups (not who: the bank's staff, as one). */
export async function listStaffLookupsForCustomer(db: Executor, principal: CustomerPrincipal, limit = 10): Promise<CustomerLookupNoticeDTO[]> {
  const rows = await db
    .select({ at: staffAccessLog.at, view: staffAccessLog.view })
    .from(staffAccessLog)
    .where(eq(staffAccessLog.customerId, principal.customerId))
    .orderBy(desc(staffAccessLog.at), desc(staffAccessLog.id))
    .limit(limit);
  return rows.map((r) => ({ at: r.at, view: r.view as StaffView }));
}

/** Art. 7 disclosures about the acting customer. */
export async function listDisclosuresForCustomer(db: Executor, principal: CustomerPrincipal): Promise<DisclosureDTO[]> {
  return listDisclosuresOf(db, principal.customerId);
}

// ---- Provider directory ----

export type ProviderDirectoryEntryDTO = {
  id: string;
  clientId: string;
  nameJa: string;
  nameEn: string;
  legalNameJa: string;
  registrationNumber: string;
  status: 'active' | 'suspended' | 'terminated';
  suspensionReason: number | null;
  inactivityDays: number;
  eventsEndpoint: string | null;
  counts: Record<LinkStatus, number>;
};

/** Every provider with its link counts per effective status (expiry applied now). No customer data. */
export async function listProvidersForStaff(db: Executor, principal: StaffPrincipal, now: Date = new Date()): Promise<ProviderDirectoryEntryDTO[]> {
  assertStaff(principal);
  return providerDirectory(db, now);
}

/** The directory rows, all of them or one provider's. */
async function providerDirectory(db: Executor, now: Date, providerId?: string): Promise<ProviderDirectoryEntryDTO[]> {
  const [rows, counts] = await Promise.all([
    db
      .select({
        id: providers.id,
        clientId: providers.clientId,
        nameJa: providers.nameJa,
        nameEn: providers.nameEn,
        legalNameJa: providers.legalNameJa,
        registrationNumber: providers.registrationNumber,
        status: providers.status,
        suspensionReason: providers.suspensionReason,
        inactivityDays: providers.inactivityDays,
        eventsEndpoint: providers.eventsEndpoint,
      })
      .from(providers)
      .where(providerId ? eq(providers.id, providerId) : undefined)
      .orderBy(asc(providers.nameEn)),
    // Kept by the database as links change (issue 13), with Art. 4 applied at read time.
    providerLinkCountsAt(db, now, providerId),
  ]);
  return rows.map((p) => ({ ...p, counts: counts.get(p.id) ?? { active: 0, expired: 0, suspended: 0, revoked: 0, terminated: 0 } }));
}

export type ProviderDetailDTO = ProviderDirectoryEntryDTO & {
  legalNameEn: string;
  permittedItems: PermissionItem[];
  statusChangedAt: Date;
  /** 利用目的 as registered (issue 14 §1), shown to customers on the consent screen and their links. */
  purposeJa: string;
  purposeEn: string;
  initiateLoginUri: string | null;
  /** Its Shared Signals stream, if it configured one (decision 47): how events reach it. */
  stream: { deliveryMethod: string; status: string } | null;
  chainedConnections: { id: string; name: string; purposeJa: string; purposeEn: string; items: PermissionItem[]; since: string; bankStopRequestedAt: Date | null }[];
};

/** One provider with its chained connections (no customer data). */
export async function getProviderForStaff(db: Executor, principal: StaffPrincipal, providerId: string, now: Date = new Date()): Promise<ProviderDetailDTO | null> {
  assertStaff(principal);
  if (!isUuid(providerId)) return null;
  const [entry] = await providerDirectory(db, now, providerId);
  if (!entry) return null;
  const [[extra], chained, [stream]] = await Promise.all([
    db
      .select({
        legalNameEn: providers.legalNameEn,
        permittedItems: providers.permittedItems,
        statusChangedAt: providers.statusChangedAt,
        purposeJa: providers.purposeJa,
        purposeEn: providers.purposeEn,
        initiateLoginUri: providers.initiateLoginUri,
      })
      .from(providers)
      .where(eq(providers.id, providerId)),
    db
      .select({
        id: chainedConnections.id,
        name: chainedConnections.name,
        purposeJa: chainedConnections.purposeJa,
        purposeEn: chainedConnections.purposeEn,
        items: chainedConnections.items,
        since: chainedConnections.since,
        bankStopRequestedAt: chainedConnections.bankStopRequestedAt,
      })
      .from(chainedConnections)
      .where(eq(chainedConnections.providerId, providerId))
      .orderBy(asc(chainedConnections.since)),
    db.select({ deliveryMethod: ssfStreams.deliveryMethod, status: ssfStreams.status }).from(ssfStreams).where(eq(ssfStreams.providerId, providerId)),
  ]);
  if (!extra) return null;
  return { ...entry, ...extra, stream: stream ?? null, chainedConnections: chained };
}
