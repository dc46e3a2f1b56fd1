import { and, eq, sql } from 'drizzle-orm';
import { consumeOtp } from '@/lib/auth/sign-in';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Db, Executor } from '@/lib/db/connect';
import { chainedConnectionStops, chainedConnections, linkHistory, linkItems, links, providers } from '@/lib/db/schema';
import { DomainError, regrantBlocker, requiresStepUp, revokeBlocker, stopBlocker } from '@/lib/domain/link-rules';
import type { LinkStatus } from '@/lib/domain/link-status';
import { PERMISSION_ITEM_IDS, type PermissionItem } from '@/lib/domain/permission-items';
import { enqueueProviderEvent } from '@/lib/events/outbox';
import { revokeGrantRecords, setGrantScope } from '@/lib/oauth/adapter';
import { scopeFromItems } from '@/lib/oauth/scopes';

type LockedLink = {
  id: string;
  providerId: string;
  status: LinkStatus;
  expiresAt: Date;
  version: number;
  permittedItems: PermissionItem[];
  providerNameJa: string;
  providerNameEn: string;
  grantId: string | null;
};

/**
 * Locks the acting customer's link for the rest of the transaction (SELECT … FOR UPDATE), so
 * concurrent changes to one link run one after another and none is lost. Another customer's
 * link is not found. A form that saw an older version gets `stale`.
 */
async function lockOwnedLink(tx: Executor, principal: CustomerPrincipal, linkId: string, expectedVersion?: number): Promise<LockedLink> {
  const [link] = await tx
    .select({
      id: links.id,
      providerId: links.providerId,
      status: links.status,
      expiresAt: links.expiresAt,
      version: links.version,
      permittedItems: providers.permittedItems,
      providerNameJa: providers.nameJa,
      providerNameEn: providers.nameEn,
      grantId: links.grantId,
    })
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(and(eq(links.id, linkId), eq(links.customerId, principal.customerId)))
    .for('update', { of: links });
  if (!link) throw new DomainError('not_found');
  if (expectedVersion !== undefined && expectedVersion !== link.version) throw new DomainError('stale');
  return link;
}

async function bumpVersion(tx: Executor, linkId: string, set: Partial<typeof links.$inferInsert> = {}): Promise<number> {
  const [row] = await tx
    .update(links)
    .set({ ...set, version: sql`${links.version} + 1` })
    .where(eq(links.id, linkId))
    .returning({ version: links.version });
  if (!row) throw new DomainError('not_found');
  return row.version;
}

export type ItemChange = {
  linkId: string;
  item: PermissionItem;
  grant: boolean;
  expectedVersion?: number;
  /** One-time password, required to grant a transaction item (step-up). */
  otp?: string;
};

export type ItemChangeResult = { changed: boolean; version: number };

/**
 * Grants or revokes one permission item of the acting customer's link, in one transaction with
 * its history row. A revoke is committed before this returns: the next API call is denied.
 */
export async function setItemGranted(db: Db, principal: CustomerPrincipal, change: ItemChange, now: Date = new Date()): Promise<ItemChangeResult> {
  const stepUp = change.grant && requiresStepUp(change.item, 'grant');
  if (stepUp) {
    // Check the rules first so a code is not spent on a change that cannot happen, then verify the
    // one-time password outside the change's transaction: a failed attempt must stay counted.
    await db.transaction(async (tx) => {
      const { blocker, current } = await checkItemChange(tx, principal, change, now);
      if (blocker) throw new DomainError(blocker);
      if (current === change.grant) throw new NoChange();
    }).catch((error: unknown) => {
      if (!(error instanceof NoChange)) throw error;
    });
    if (!change.otp) throw new DomainError('step_up_required');
    if (!(await consumeOtp(db, principal.customerId, change.otp, now))) throw new DomainError('step_up_failed');
  }
  return db.transaction(async (tx) => {
    const { link, blocker, current } = await checkItemChange(tx, principal, change, now);
    if (blocker) throw new DomainError(blocker);
    if (current === change.grant) return { changed: false, version: link.version };
    await tx
      .update(linkItems)
      .set(change.grant ? { granted: true, grantedAt: now } : { granted: false, revokedAt: now })
      .where(and(eq(linkItems.linkId, link.id), eq(linkItems.item, change.item)));
    const version = await bumpVersion(tx, link.id);
    const granted = await tx.select({ item: linkItems.item }).from(linkItems).where(and(eq(linkItems.linkId, link.id), eq(linkItems.granted, true)));
    const grantedItems = PERMISSION_ITEM_IDS.filter((id) => granted.some((g) => g.item === id));
    // The OAuth grant follows the link: a refresh yields exactly the items granted now.
    if (link.grantId) await setGrantScope(tx, link.grantId, scopeFromItems(grantedItems));
    await tx.insert(linkHistory).values({
      linkId: link.id,
      at: now,
      actorType: 'customer',
      actorId: principal.customerId,
      event: change.grant ? 'item_granted' : 'item_revoked',
      item: change.item,
      detail: stepUp ? { stepUp: true } : {},
    });
    await enqueueProviderEvent(tx, {
      providerId: link.providerId,
      linkId: link.id,
      type: 'link.items_changed',
      detail: { initiator: 'customer', item: change.item, granted: change.grant, granted_items: grantedItems },
      now,
    });
    return { changed: true, version };
  });
}

class NoChange extends Error {}

async function checkItemChange(tx: Executor, principal: CustomerPrincipal, change: ItemChange, now: Date) {
  const link = await lockOwnedLink(tx, principal, change.linkId, change.expectedVersion);
  const requested = await tx.select({ item: linkItems.item, granted: linkItems.granted }).from(linkItems).where(eq(linkItems.linkId, link.id));
  const blocker = change.grant ? regrantBlocker(link, requested, link.permittedItems, change.item, now) : revokeBlocker(link, requested, change.item);
  return { link, blocker, current: requested.find((r) => r.item === change.item)?.granted };
}

/** Art. 5.1: the customer stops a link. Final; history is kept. */
export async function stopLink(
  db: Db,
  principal: CustomerPrincipal,
  input: { linkId: string; expectedVersion?: number },
  now: Date = new Date(),
): Promise<{ version: number; provider: { nameJa: string; nameEn: string } }> {
  return db.transaction(async (tx) => {
    const link = await lockOwnedLink(tx, principal, input.linkId, input.expectedVersion);
    const blocker = stopBlocker(link);
    if (blocker) throw new DomainError(blocker);
    // Tokens of a stopped link die with it, in the same transaction (no cache window).
    if (link.grantId) await revokeGrantRecords(tx, link.grantId);
    const version = await bumpVersion(tx, link.id, { status: 'revoked', statusChangedAt: now, grantId: null });
    await tx.insert(linkHistory).values({
      linkId: link.id,
      at: now,
      actorType: 'customer',
      actorId: principal.customerId,
      event: 'link_revoked',
      detail: { previousStatus: link.status, via: 'portal' },
    });
    await enqueueProviderEvent(tx, { providerId: link.providerId, linkId: link.id, type: 'link.revoked', detail: { initiator: 'customer', via: 'portal' }, now });
    return { version, provider: { nameJa: link.providerNameJa, nameEn: link.providerNameEn } };
  });
}

/** SPEC §4: the customer asks the provider to stop passing data to a chained connection. */
export async function requestChainedConnectionStop(
  db: Db,
  principal: CustomerPrincipal,
  input: { linkId: string; chainedConnectionId: string },
  now: Date = new Date(),
): Promise<{ version: number; name: string }> {
  return db.transaction(async (tx) => {
    const link = await lockOwnedLink(tx, principal, input.linkId);
    const [connection] = await tx
      .select({ id: chainedConnections.id, name: chainedConnections.name })
      .from(chainedConnections)
      .where(and(eq(chainedConnections.id, input.chainedConnectionId), eq(chainedConnections.providerId, link.providerId)));
    if (!connection) throw new DomainError('not_found');
    const inserted = await tx
      .insert(chainedConnectionStops)
      .values({ linkId: link.id, chainedConnectionId: connection.id, requestedAt: now })
      .onConflictDoNothing()
      .returning({ id: chainedConnectionStops.id });
    if (inserted.length === 0) throw new DomainError('already_requested');
    const version = await bumpVersion(tx, link.id);
    await tx.insert(linkHistory).values({
      linkId: link.id,
      at: now,
      actorType: 'customer',
      actorId: principal.customerId,
      event: 'chained_connection_stop_requested',
      detail: { chainedConnectionId: connection.id, name: connection.name },
    });
    await enqueueProviderEvent(tx, {
      providerId: link.providerId,
      linkId: link.id,
      type: 'chained_connection.stop_requested',
      detail: { chained_connection: connection.name, chained_connection_id: connection.id, initiator: 'customer' },
      now,
    });
    return { version, name: connection.name };
  });
}
