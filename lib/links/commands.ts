import { and, eq } from 'drizzle-orm';
import { consumeOtp } from '@/lib/auth/sign-in';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Db, Executor } from '@/lib/db/connect';
import { chainedConnectionStops, chainedConnections, linkItems } from '@/lib/db/schema';
import { DomainError, regrantBlocker, requiresStepUp, revokeBlocker } from '@/lib/domain/link-rules';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { changeLink, lockLink, type LinkActor } from './lifecycle';

// The customer's own changes to a link, from the portal. Each runs through the lifecycle module
// on the customer's own link only (lockLink with the principal's customer id).

const customerActor = (principal: CustomerPrincipal): LinkActor => ({ type: 'customer', id: principal.customerId });

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
    const transition = change.grant ? { kind: 'grant_item' as const, item: change.item, stepUp } : { kind: 'revoke_item' as const, item: change.item };
    const { version } = await changeLink(tx, link, transition, customerActor(principal), now);
    return { changed: true, version };
  });
}

class NoChange extends Error {}

async function checkItemChange(tx: Executor, principal: CustomerPrincipal, change: ItemChange, now: Date) {
  const link = await lockLink(tx, { linkId: change.linkId, customerId: principal.customerId, expectedVersion: change.expectedVersion });
  const requested = await tx.select({ item: linkItems.item, granted: linkItems.granted }).from(linkItems).where(eq(linkItems.linkId, link.id));
  const blocker = change.grant ? regrantBlocker(link, requested, link.provider.permittedItems, change.item, now) : revokeBlocker(link, requested, change.item);
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
    const link = await lockLink(tx, { linkId: input.linkId, customerId: principal.customerId, expectedVersion: input.expectedVersion });
    const { version } = await changeLink(tx, link, { kind: 'stop', via: 'portal' }, customerActor(principal), now);
    return { version, provider: { nameJa: link.provider.nameJa, nameEn: link.provider.nameEn } };
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
    const link = await lockLink(tx, { linkId: input.linkId, customerId: principal.customerId });
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
    const { version } = await changeLink(tx, link, { kind: 'chained_stop_requested', connection }, customerActor(principal), now);
    return { version, name: connection.name };
  });
}
