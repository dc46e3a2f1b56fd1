import { and, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { linkAccounts, linkHistory, linkItems, links, linkUsageDaily, providers } from '@/lib/db/schema';
import { transitionBlocker, type LinkEvent, type LinkTransitionKind } from '@/lib/domain/link-events';
import { DomainError } from '@/lib/domain/link-rules';
import { hasBankHold, type LinkStatus, type SuspensionReason } from '@/lib/domain/link-status';
import { PERMISSION_ITEM_IDS, type PermissionItem } from '@/lib/domain/permission-items';
import { enqueueProviderEvent, type ProviderEventType } from '@/lib/events/outbox';
import { revokeGrantRecords, setGrantScope } from '@/lib/oauth/adapter';
import { scopeFromItems } from '@/lib/oauth/scopes';
import { isReceiptEvent, writeReceipt } from '@/lib/receipts/write';

// The one place a link changes (SPEC §4). Every transition — consent and renewal, an item granted
// or revoked, a stop by the customer or the provider, expiry (Art. 4), the bank's suspension,
// resumption, lifted hold and termination (Art. 5.2), a chained-connection stop request, an
// instruction recorded — runs here, inside the caller's transaction, on a row locked FOR UPDATE:
// the domain says whether it may happen (`transitionBlocker`), then the status, the version, the
// OAuth grant, ONE typed history event (with the customer's receipt, where the change is one) and
// the provider's notification change together.
// Nothing else inserts into link_history or sets links.status (docs/architecture.md).

/** Who made the change, as the history records it. */
export type LinkActor =
  | { type: 'customer'; id: string }
  | { type: 'provider'; id: string | null }
  | { type: 'bank'; id: string }
  | { type: 'system' };

export const SYSTEM: LinkActor = { type: 'system' };

export type LockedLink = {
  id: string;
  customerId: string;
  providerId: string;
  status: LinkStatus;
  expiresAt: Date;
  version: number;
  suspendedVia: string | null;
  grantId: string | null;
  provider: { status: string; permittedItems: PermissionItem[]; nameJa: string; nameEn: string; inactivityDays: number };
};

export type InstructionEvent = Extract<LinkEvent, 'transfer_instructed' | 'direct_debit_applied' | 'direct_debit_transferred'>;

export type LinkTransition =
  | { kind: 'grant_item'; item: PermissionItem; stepUp: boolean }
  | { kind: 'revoke_item'; item: PermissionItem }
  | { kind: 'stop'; via: 'portal' | 'provider' }
  | { kind: 'expire' }
  | { kind: 'suspend'; reason: SuspensionReason; note: string; withProvider: boolean }
  | { kind: 'resume'; note: string }
  | { kind: 'lift_hold'; note: string }
  | { kind: 'terminate'; reason: 6; note: string }
  | { kind: 'chained_stop_requested'; connection: { id: string; name: string } }
  | { kind: 'bank_chained_stop_requested'; name: string }
  | { kind: 'instruction'; event: InstructionEvent; item: PermissionItem; detail: Record<string, unknown> };

const lockedColumns = {
  id: links.id,
  customerId: links.customerId,
  providerId: links.providerId,
  status: links.status,
  expiresAt: links.expiresAt,
  version: links.version,
  suspendedVia: links.suspendedVia,
  grantId: links.grantId,
  providerStatus: providers.status,
  permittedItems: providers.permittedItems,
  nameJa: providers.nameJa,
  nameEn: providers.nameEn,
  inactivityDays: providers.inactivityDays,
};

function toLocked(row: Omit<LockedLink, 'provider'> & { providerStatus: string; permittedItems: PermissionItem[]; nameJa: string; nameEn: string; inactivityDays: number }): LockedLink {
  const { providerStatus, permittedItems, nameJa, nameEn, inactivityDays, ...link } = row;
  return { ...link, provider: { status: providerStatus, permittedItems, nameJa, nameEn, inactivityDays } };
}

/**
 * Locks the links matching `where` for the rest of the transaction (SELECT … FOR UPDATE OF links),
 * so concurrent changes to one link run one after another and none is lost. `skipLocked` with a
 * `limit` takes a batch that another instance is not already working on (sweeps).
 */
export async function lockLinks(
  tx: Executor,
  where: SQL | undefined,
  options: { limit?: number; skipLocked?: boolean; byExpiry?: boolean; byStatusChange?: boolean } = {},
): Promise<LockedLink[]> {
  // Locks are taken in id order, so two transactions locking overlapping sets never deadlock. A
  // batch that skips locked rows never waits, so it may go in expiry (or status-change) order
  // instead: with a partial index on that column, a sweep reads only the links due (issue 13).
  const order = !options.skipLocked ? links.id : options.byExpiry ? links.expiresAt : options.byStatusChange ? links.statusChangedAt : links.id;
  const query = tx
    .select(lockedColumns)
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(where)
    .orderBy(order)
    .$dynamic();
  if (options.limit !== undefined) query.limit(options.limit);
  const rows = await (options.skipLocked ? query.for('update', { of: links, skipLocked: true }) : query.for('update', { of: links }));
  return rows.map(toLocked);
}

/**
 * Locks one link. With `customerId`, only that customer's link is found (authorisation in the
 * data layer); a form that saw another `expectedVersion` gets `stale`.
 */
export async function lockLink(tx: Executor, target: { linkId: string; customerId?: string; expectedVersion?: number }): Promise<LockedLink> {
  const [link] = await lockLinks(tx, and(eq(links.id, target.linkId), target.customerId ? eq(links.customerId, target.customerId) : undefined));
  if (!link) throw new DomainError('not_found');
  if (target.expectedVersion !== undefined && target.expectedVersion !== link.version) throw new DomainError('stale');
  return link;
}

/** The link behind an OAuth grant, locked; null when there is none or it has ended. */
export async function lockLinkByGrant(tx: Executor, grantId: string): Promise<LockedLink | null> {
  const [link] = await lockLinks(tx, and(eq(links.grantId, grantId), notInArray(links.status, ['revoked', 'terminated'])));
  return link ?? null;
}

type Plan = {
  event: LinkEvent;
  item?: PermissionItem;
  detail: Record<string, unknown>;
  set?: Partial<typeof links.$inferInsert>;
  endGrant?: boolean;
  bumpVersion?: boolean;
  notify?: { type: ProviderEventType; detail?: Record<string, unknown> };
};

function plan(link: LockedLink, t: LinkTransition, now: Date): Plan {
  switch (t.kind) {
    case 'grant_item':
    case 'revoke_item': {
      const grant = t.kind === 'grant_item';
      return { event: grant ? 'item_granted' : 'item_revoked', item: t.item, detail: grant && t.stepUp ? { stepUp: true } : {} };
    }
    case 'stop':
      return {
        event: 'link_revoked',
        detail: { previousStatus: link.status, via: t.via },
        set: { status: 'revoked', statusChangedAt: now },
        endGrant: true,
        notify: { type: 'link.revoked', detail: { initiator: t.via === 'portal' ? 'customer' : 'provider', via: t.via } },
      };
    case 'expire':
      return {
        event: 'link_expired',
        detail: { inactivityDays: link.provider.inactivityDays },
        set: { status: 'expired', statusChangedAt: now },
        endGrant: true,
        // The provider learns it must send the customer through authorization again (Art. 4).
        notify: { type: 'link.expired', detail: { inactivity_days: link.provider.inactivityDays } },
      };
    case 'suspend':
      return {
        event: 'link_suspended',
        detail: { reason: t.reason, note: t.note, ...(t.withProvider ? { withProvider: true } : {}) },
        set: { status: 'suspended', suspensionReason: t.reason, suspensionNote: t.note, suspendedVia: t.withProvider ? 'provider' : 'link', statusChangedAt: now },
        notify: { type: 'link.suspended', detail: { reason: t.reason } },
      };
    case 'resume':
      return {
        event: 'link_resumed',
        detail: { note: t.note },
        set: { status: 'active', suspensionReason: null, suspensionNote: null, suspendedVia: null, statusChangedAt: now },
        notify: { type: 'link.resumed' },
      };
    case 'lift_hold':
      // The link stays stopped; the customer may consent to the provider again.
      return { event: 'link_hold_lifted', detail: { note: t.note }, set: { suspensionReason: null, suspensionNote: null, suspendedVia: null } };
    case 'terminate':
      return {
        event: 'link_terminated',
        detail: { reason: t.reason, note: t.note },
        set: { status: 'terminated', suspensionReason: t.reason, suspensionNote: t.note, suspendedVia: 'provider', statusChangedAt: now },
        endGrant: true,
        notify: { type: 'link.terminated', detail: { reason: t.reason } },
      };
    case 'chained_stop_requested':
      return {
        event: 'chained_connection_stop_requested',
        detail: { chainedConnectionId: t.connection.id, name: t.connection.name },
        notify: { type: 'chained_connection.stop_requested', detail: { chained_connection: t.connection.name, chained_connection_id: t.connection.id, initiator: 'customer' } },
      };
    case 'bank_chained_stop_requested':
      // The provider is told once, provider-wide (lib/operations); each link shows the request.
      return { event: 'bank_chained_stop_requested', detail: { name: t.name } };
    case 'instruction':
      // An instruction is recorded on the link; it changes nothing a portal form could be stale on.
      return { event: t.event, item: t.item, detail: t.detail, bumpVersion: false };
  }
}

export type LinkChange = { version: number; grantedItems?: PermissionItem[] };

/**
 * Applies one transition to a link the caller locked in this transaction (`lockLink`,
 * `lockLinks`, `lockLinkByGrant`). Throws `DomainError` when the domain refuses it.
 */
export async function changeLink(tx: Executor, link: LockedLink, transition: LinkTransition, actor: LinkActor, now: Date = new Date()): Promise<LinkChange> {
  const blocker = transitionBlocker({ ...link, providerStatus: link.provider.status }, transition.kind satisfies LinkTransitionKind, now);
  if (blocker) throw new DomainError(blocker);
  const p = plan(link, transition, now);
  const change: LinkChange = { version: link.version };

  if (transition.kind === 'grant_item' || transition.kind === 'revoke_item') {
    const grant = transition.kind === 'grant_item';
    await tx
      .update(linkItems)
      .set(grant ? { granted: true, grantedAt: now } : { granted: false, revokedAt: now })
      .where(and(eq(linkItems.linkId, link.id), eq(linkItems.item, transition.item)));
    const granted = await tx.select({ item: linkItems.item }).from(linkItems).where(and(eq(linkItems.linkId, link.id), eq(linkItems.granted, true)));
    change.grantedItems = PERMISSION_ITEM_IDS.filter((id) => granted.some((g) => g.item === id));
    // The OAuth grant follows the link: a refresh yields exactly the items granted now.
    if (link.grantId) await setGrantScope(tx, link.grantId, scopeFromItems(change.grantedItems));
    p.notify = { type: 'link.items_changed', detail: { initiator: 'customer', item: transition.item, granted: grant, granted_items: change.grantedItems } };
  }
  // Tokens of a link that stops die with it, in the same transaction (no cache window).
  if (p.endGrant && link.grantId) await revokeGrantRecords(tx, link.grantId);
  const set = { ...p.set, ...(p.endGrant ? { grantId: null } : {}) };
  if (p.bumpVersion !== false) change.version = await writeLink(tx, link.id, set);
  const historyId = await writeHistory(tx, link.id, actor, p.event, p.item ?? null, p.detail, now);
  if (p.notify) await enqueueProviderEvent(tx, { providerId: link.providerId, linkId: link.id, type: p.notify.type, detail: p.notify.detail, txn: String(historyId), now });
  return change;
}

async function writeLink(tx: Executor, linkId: string, set: Partial<typeof links.$inferInsert>): Promise<number> {
  const [row] = await tx
    .update(links)
    .set({ ...set, version: sql`${links.version} + 1` })
    .where(eq(links.id, linkId))
    .returning({ version: links.version });
  if (!row) throw new DomainError('not_found');
  return row.version;
}

/**
 * Issue 14 §3: an ended link whose two-year record period is over leaves the customer's view. Its
 * customer-facing detail (the items, the accounts, the daily usage counts) is deleted; the row,
 * its append-only history and its receipts stay, as the bank's record (decision 48). One history
 * event says so. A later consent brings the link back with a new record (`establishLink`).
 */
export async function archiveLink(tx: Executor, link: LockedLink, recordDays: number, now: Date = new Date()): Promise<void> {
  if (link.status !== 'expired' && link.status !== 'revoked' && link.status !== 'terminated') throw new DomainError('link_not_active');
  await tx.delete(linkItems).where(eq(linkItems.linkId, link.id));
  await tx.delete(linkAccounts).where(eq(linkAccounts.linkId, link.id));
  await tx.delete(linkUsageDaily).where(eq(linkUsageDaily.linkId, link.id));
  await writeLink(tx, link.id, { archivedAt: now, recordFrom: now });
  await writeHistory(tx, link.id, SYSTEM, 'link_record_archived', null, { recordDays }, now);
}

/** The history row of a change, and its receipt when it is one the customer gets (issue 14 §2). */
async function writeHistory(tx: Executor, linkId: string, actor: LinkActor, event: LinkEvent, item: PermissionItem | null, detail: Record<string, unknown>, now: Date): Promise<number> {
  // A change's time is taken when its request starts, before it waits for the link's lock; two
  // changes of one link may take the lock in the other order. The history is read by time (then
  // id), so a row is never dated before the row it follows: under the lock the link's latest row
  // is the one just before it (lib/links/links.test.ts, 50 concurrent toggles).
  const [row] = await tx
    .insert(linkHistory)
    .values({
      linkId,
      at: sql`greatest(${now.toISOString()}::timestamptz, (select max(h.at) from ${linkHistory} h where h.link_id = ${linkId}))`,
      actorType: actor.type,
      actorId: actor.type === 'system' ? null : actor.id,
      event,
      item,
      detail,
    })
    .returning({ id: linkHistory.id, at: linkHistory.at });
  if (isReceiptEvent(event)) await writeReceipt(tx, { linkId, historyId: row!.id, event, actorType: actor.type, item, detail, now: row!.at });
  return row!.id;
}

/**
 * Art. 3.2: an instruction the provider relayed is recorded on its link, in the instruction's own
 * transaction. The link is locked and checked again here, so a link stopped while the instruction
 * ran refuses it (`link_not_active`) and the whole instruction rolls back.
 */
export async function recordInstruction(
  tx: Executor,
  linkId: string,
  instruction: Omit<Extract<LinkTransition, { kind: 'instruction' }>, 'kind'>,
  actor: LinkActor,
  now: Date = new Date(),
): Promise<void> {
  const link = await lockLink(tx, { linkId });
  await changeLink(tx, link, { kind: 'instruction', ...instruction }, actor, now);
}

export type Establishment = {
  customerId: string;
  providerId: string;
  termsVersionId: string;
  expiresAt: Date;
  /** The new OAuth grant the provider's tokens will carry. */
  grantId: string;
  /** What the consent screen offered, and of those what the customer granted. */
  offeredItems: PermissionItem[];
  grantedItems: PermissionItem[];
  accountIds: string[];
  /** Grant Management: the provider's update or replace of the grant it holds (same grant id). */
  grantChange?: { action: 'update' | 'replace'; before: PermissionItem[] };
};

/**
 * Art. 2.1: the customer consented. Creates the customer × provider link, or renews the same one
 * (history kept; the earlier grant and its tokens revoked). Refused while the bank holds it (Art. 5.2).
 */
export async function establishLink(tx: Executor, input: Establishment, actor: LinkActor, now: Date = new Date()): Promise<{ linkId: string; renewed: boolean }> {
  const [existing] = await lockLinks(tx, and(eq(links.customerId, input.customerId), eq(links.providerId, input.providerId)));
  const row = {
    status: 'active' as const,
    suspensionReason: null,
    suspensionNote: null,
    suspendedVia: null,
    termsVersionId: input.termsVersionId,
    consentedAt: now,
    lastUsedAt: null,
    expiresAt: input.expiresAt,
    statusChangedAt: now,
    grantId: input.grantId,
    archivedAt: null,
  };
  let linkId: string;
  if (existing) {
    if (hasBankHold(existing)) throw new DomainError('link_not_active', 'link_suspended');
    if (existing.grantId && existing.grantId !== input.grantId) await revokeGrantRecords(tx, existing.grantId);
    await writeLink(tx, existing.id, row);
    linkId = existing.id;
  } else {
    const [created] = await tx
      .insert(links)
      .values({ customerId: input.customerId, providerId: input.providerId, ...row })
      .returning({ id: links.id });
    if (!created) throw new Error('link insert failed');
    linkId = created.id;
  }
  // The items of this consent: what was offered, granted as the customer chose.
  await tx.delete(linkItems).where(and(eq(linkItems.linkId, linkId), notInArray(linkItems.item, input.offeredItems)));
  for (const item of input.offeredItems) {
    const granted = input.grantedItems.includes(item);
    await tx
      .insert(linkItems)
      .values({ linkId, item, granted, grantedAt: granted ? now : null, revokedAt: null })
      .onConflictDoUpdate({ target: [linkItems.linkId, linkItems.item], set: { granted, grantedAt: granted ? now : null, revokedAt: granted ? null : now } });
  }
  await tx.delete(linkAccounts).where(eq(linkAccounts.linkId, linkId));
  await tx.insert(linkAccounts).values(input.accountIds.map((accountId) => ({ linkId, accountId })));
  const change = existing ? input.grantChange : undefined;
  await writeHistory(
    tx,
    linkId,
    actor,
    change ? 'consent_updated' : existing ? 'consent_renewed' : 'consent_given',
    null,
    {
      items: input.grantedItems,
      declined: input.offeredItems.filter((i) => !input.grantedItems.includes(i)),
      accounts: input.accountIds.length,
      termsVersion: input.termsVersionId,
      ...(change
        ? {
            grantAction: change.action,
            added: input.grantedItems.filter((i) => !change.before.includes(i)),
            removed: change.before.filter((i) => !input.grantedItems.includes(i)),
          }
        : {}),
    },
    now,
  );
  return { linkId, renewed: Boolean(existing) };
}

/** Links of one provider in the given statuses, locked (the bank's provider-wide actions). */
export function providerLinks(providerId: string, statuses: { in?: LinkStatus[]; notIn?: LinkStatus[] }, extra?: SQL): SQL | undefined {
  return and(
    eq(links.providerId, providerId),
    statuses.in ? inArray(links.status, statuses.in) : undefined,
    statuses.notIn ? notInArray(links.status, statuses.notIn) : undefined,
    extra,
  );
}
