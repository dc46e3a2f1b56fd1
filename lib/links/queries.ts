import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { StaffLookup } from '@/lib/staff/lookup';
import type { Executor } from '@/lib/db/connect';
import {
  accounts,
  chainedConnectionStops,
  chainedConnections,
  linkAccounts,
  linkHistory,
  linkItems,
  links,
  providers,
  termsVersions,
} from '@/lib/db/schema';
import { maskAccountNumber, type AccountType } from '@/lib/domain/accounts';
import { displayStatus, hasBankHold, type DisplayStatus, type LinkStatus } from '@/lib/domain/link-status';
import { PERMISSION_ITEM_IDS, type PermissionItem } from '@/lib/domain/permission-items';
import { dailyUsage, usageByItem, type DailyUsage, type ItemDayUsage } from '@/lib/api/usage';
import { isUuid } from '@/lib/domain/ids';

// DTOs: explicit columns only; never whole rows (STYLE: data layer returns DTOs).
export type ProviderDTO = {
  nameJa: string;
  nameEn: string;
  legalNameJa: string;
  legalNameEn: string;
  registrationNumber: string;
  /** 利用目的 in the provider's words (issue 14 §1); '' for a provider registered before it was asked. */
  purposeJa: string;
  purposeEn: string;
  /** Where the customer links again at the provider (OIDC `initiate_login_uri`), when registered. */
  initiateLoginUri: string | null;
  permittedItems: PermissionItem[];
  inactivityDays: number;
};

export type ChainedConnectionDTO = {
  id: string;
  name: string;
  purposeJa: string;
  purposeEn: string;
  items: PermissionItem[];
  since: string;
  stopRequestedAt: Date | null;
  /** Art. 5.2 (last sentence): the bank asked the provider to stop this chained connection. */
  bankStopRequestedAt: Date | null;
};

export type LinkItemDTO = {
  item: PermissionItem;
  granted: boolean;
  grantedAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

export type LinkSummaryDTO = {
  id: string;
  providerId: string;
  provider: ProviderDTO;
  status: LinkStatus;
  displayStatus: DisplayStatus;
  suspensionReason: number | null;
  /** Stopped while the bank had it suspended: a new consent is refused until the bank lifts the hold. */
  heldByBank: boolean;
  consentedAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  statusChangedAt: Date;
  /** Out of the customer's view since then: the record period after it ended is over (staff only see such links). */
  archivedAt: Date | null;
  items: LinkItemDTO[];
  chainedConnections: ChainedConnectionDTO[];
};

export type LinkAccountDTO = { id: string; type: AccountType; branchName: string; maskedNumber: string };
export type HistoryEntryDTO = {
  id: number;
  at: Date;
  actorType: 'customer' | 'provider' | 'bank' | 'system';
  event: string;
  item: PermissionItem | null;
  detail: Record<string, unknown>;
};

export type LinkDetailDTO = LinkSummaryDTO & {
  version: number;
  /** Access counts of the last 90 days (Asia/Tokyo days), oldest first. */
  usage: DailyUsage[];
  /** The same days per item, only days with calls, newest first (what was shared, when). */
  usageByItem: ItemDayUsage[];
  terms: { id: string; revisedOn: string; effectiveFrom: Date };
  accounts: LinkAccountDTO[];
  /** One page of the history, newest first (HISTORY_PAGE entries). */
  history: HistoryEntryDTO[];
  /** The cursor of the next, older page; null when this page holds the oldest entry. */
  historyNext: string | null;
  /** Whether this page starts below the newest entry (a cursor was given). */
  historyOlder: boolean;
};

/** Entries per page of a link's history (a link used daily has thousands: issue 13). */
export const HISTORY_PAGE = 20;

/**
 * A history cursor: the time and id of the last entry shown, as `<µs since the epoch>.<id>` —
 * microseconds, as the database keeps them, so no entry of the same millisecond is skipped.
 */
function historyCursor(entry: { micros: string; id: number }): string {
  return `${entry.micros}.${entry.id}`;
}

function parseHistoryCursor(cursor: string | null | undefined): { micros: string; id: number } | null {
  const match = /^(\d{1,17})\.(\d{1,15})$/.exec(cursor ?? '');
  return match ? { micros: match[1] as string, id: Number(match[2]) } : null;
}

const linkColumns = {
  id: links.id,
  status: links.status,
  suspensionReason: links.suspensionReason,
  suspendedVia: links.suspendedVia,
  consentedAt: links.consentedAt,
  lastUsedAt: links.lastUsedAt,
  expiresAt: links.expiresAt,
  version: links.version,
  statusChangedAt: links.statusChangedAt,
  archivedAt: links.archivedAt,
  recordFrom: links.recordFrom,
  termsVersionId: links.termsVersionId,
  providerId: links.providerId,
  provider: {
    nameJa: providers.nameJa,
    nameEn: providers.nameEn,
    legalNameJa: providers.legalNameJa,
    legalNameEn: providers.legalNameEn,
    registrationNumber: providers.registrationNumber,
    purposeJa: providers.purposeJa,
    purposeEn: providers.purposeEn,
    initiateLoginUri: providers.initiateLoginUri,
    permittedItems: providers.permittedItems,
    inactivityDays: providers.inactivityDays,
  },
};

function byItemOrder(a: { item: PermissionItem }, b: { item: PermissionItem }): number {
  return PERMISSION_ITEM_IDS.indexOf(a.item) - PERMISSION_ITEM_IDS.indexOf(b.item);
}

async function loadItemsAndConnections(db: Executor, rows: { id: string; providerId: string }[]) {
  const linkIds = rows.map((r) => r.id);
  const providerIds = [...new Set(rows.map((r) => r.providerId))];
  if (linkIds.length === 0) return { items: [], connections: [], stops: [] };
  const [items, connections, stops] = await Promise.all([
    db
      .select({
        linkId: linkItems.linkId,
        item: linkItems.item,
        granted: linkItems.granted,
        grantedAt: linkItems.grantedAt,
        revokedAt: linkItems.revokedAt,
        lastUsedAt: linkItems.lastUsedAt,
      })
      .from(linkItems)
      .where(inArray(linkItems.linkId, linkIds)),
    db
      .select({
        id: chainedConnections.id,
        providerId: chainedConnections.providerId,
        name: chainedConnections.name,
        purposeJa: chainedConnections.purposeJa,
        purposeEn: chainedConnections.purposeEn,
        items: chainedConnections.items,
        since: chainedConnections.since,
        bankStopRequestedAt: chainedConnections.bankStopRequestedAt,
      })
      .from(chainedConnections)
      .where(inArray(chainedConnections.providerId, providerIds))
      .orderBy(asc(chainedConnections.since), asc(chainedConnections.name)),
    db
      .select({
        linkId: chainedConnectionStops.linkId,
        chainedConnectionId: chainedConnectionStops.chainedConnectionId,
        requestedAt: chainedConnectionStops.requestedAt,
      })
      .from(chainedConnectionStops)
      .where(inArray(chainedConnectionStops.linkId, linkIds)),
  ]);
  return { items, connections, stops };
}

function assemble(
  row: Awaited<ReturnType<typeof selectLinks>>[number],
  loaded: Awaited<ReturnType<typeof loadItemsAndConnections>>,
  now: Date,
): LinkSummaryDTO {
  const items = loaded.items
    .filter((i) => i.linkId === row.id)
    .map(({ linkId: _linkId, ...rest }) => rest)
    .sort(byItemOrder);
  const chained = loaded.connections
    .filter((c) => c.providerId === row.providerId)
    .map(({ providerId: _providerId, ...c }) => ({
      ...c,
      stopRequestedAt: loaded.stops.find((s) => s.linkId === row.id && s.chainedConnectionId === c.id)?.requestedAt ?? null,
    }));
  return {
    id: row.id,
    providerId: row.providerId,
    provider: row.provider,
    status: row.status,
    displayStatus: displayStatus(row, now),
    suspensionReason: row.suspensionReason,
    heldByBank: row.status === 'revoked' && hasBankHold(row),
    consentedAt: row.consentedAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    statusChangedAt: row.statusChangedAt,
    archivedAt: row.archivedAt,
    items,
    chainedConnections: chained,
  };
}

/**
 * Who may read a customer's links: the customer, or bank staff through a look-up that has
 * already been recorded in the audit log (lib/staff/queries.ts is the only place that makes one).
 */
export type LinkReader = CustomerPrincipal | StaffLookup;

function selectLinks(db: Executor, principal: LinkReader, linkId?: string) {
  const owned = eq(links.customerId, principal.customerId);
  // A link archived after its record period (issue 14 §3) is the bank's record only: staff see it, the customer does not.
  const visible = principal.kind === 'customer' ? and(owned, isNull(links.archivedAt)) : owned;
  return db
    .select(linkColumns)
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(linkId ? and(visible, eq(links.id, linkId)) : visible)
    .orderBy(desc(links.consentedAt));
}

/** Every link of the acting customer, each with its items and the provider's chained connections. */
export async function listLinks(db: Executor, principal: LinkReader, now: Date = new Date()): Promise<LinkSummaryDTO[]> {
  const rows = await selectLinks(db, principal);
  const loaded = await loadItemsAndConnections(db, rows);
  return rows.map((row) => assemble(row, loaded, now));
}


/**
 * One link of the acting customer, or null: another customer's link is indistinguishable from none.
 * Its history comes a page at a time, newest first: `historyBefore` is the cursor of the page to
 * show (from `historyNext`); a malformed one shows the newest page.
 */
export async function getLink(
  db: Executor,
  principal: LinkReader,
  linkId: string,
  now: Date = new Date(),
  options: { historyBefore?: string | null } = {},
): Promise<LinkDetailDTO | null> {
  if (!isUuid(linkId)) return null;
  const [row] = await selectLinks(db, principal, linkId);
  if (!row) return null;
  const before = parseHistoryCursor(options.historyBefore);
  const [loaded, terms, accountRows, history, usage, itemUsage] = await Promise.all([
    loadItemsAndConnections(db, [row]),
    db
      .select({ id: termsVersions.id, revisedOn: termsVersions.revisedOn, effectiveFrom: termsVersions.effectiveFrom })
      .from(termsVersions)
      .where(eq(termsVersions.id, row.termsVersionId)),
    db
      .select({ id: accounts.id, type: accounts.type, branchName: accounts.branchName, accountNumber: accounts.accountNumber })
      .from(linkAccounts)
      .innerJoin(accounts, and(eq(accounts.id, linkAccounts.accountId), eq(accounts.customerId, principal.customerId)))
      .where(eq(linkAccounts.linkId, row.id))
      .orderBy(asc(accounts.type), asc(accounts.accountNumber)),
    db
      .select({
        id: linkHistory.id,
        at: linkHistory.at,
        actorType: linkHistory.actorType,
        event: linkHistory.event,
        item: linkHistory.item,
        detail: linkHistory.detail,
        micros: sql<string>`(extract(epoch from ${linkHistory.at}) * 1000000)::bigint::text`,
      })
      .from(linkHistory)
      .where(
        and(
          eq(linkHistory.linkId, row.id),
          // The customer's history of a link that came back after an archive starts with its new record.
          principal.kind === 'customer' && row.recordFrom ? gt(linkHistory.at, row.recordFrom) : undefined,
          before
            ? sql`(${linkHistory.at}, ${linkHistory.id}) < (timestamptz 'epoch' + ${before.micros}::bigint * interval '1 microsecond', ${before.id}::bigint)`
            : undefined,
        ),
      )
      .orderBy(desc(linkHistory.at), desc(linkHistory.id))
      .limit(HISTORY_PAGE + 1),
    dailyUsage(db, row.id, now),
    usageByItem(db, row.id, now),
  ]);
  const page = history.slice(0, HISTORY_PAGE).map(({ micros: _micros, ...entry }) => entry);
  const last = history[HISTORY_PAGE - 1];
  const termsRow = terms[0];
  if (!termsRow) throw new Error(`Link ${row.id} names unknown terms version ${row.termsVersionId}`);
  return {
    ...assemble(row, loaded, now),
    version: row.version,
    usage,
    usageByItem: itemUsage,
    terms: termsRow,
    accounts: accountRows.map(({ accountNumber, ...a }) => ({ ...a, maskedNumber: maskAccountNumber(accountNumber) })),
    history: page,
    historyNext: history.length > HISTORY_PAGE && last ? historyCursor(last) : null,
    historyOlder: before !== null,
  };
}
