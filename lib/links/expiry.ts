import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { linkHistory, links, providers } from '@/lib/db/schema';
import { enqueueProviderEvent } from '@/lib/events/outbox';
import { revokeGrantRecords } from '@/lib/oauth/adapter';

/**
 * Art. 4: records as expired every active link unused past its inactivity period, with a history
 * row each, and ends its tokens (the customer re-authenticates through the provider). The API
 * and the portal already treat such a link as expired at request time; this makes it durable.
 */
export async function expireInactiveLinks(db: Db, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: links.id, providerId: links.providerId, grantId: links.grantId, inactivityDays: providers.inactivityDays })
      .from(links)
      .innerJoin(providers, eq(providers.id, links.providerId))
      .where(and(eq(links.status, 'active'), lte(links.expiresAt, now)))
      .for('update', { of: links });
    if (due.length === 0) return 0;
    await tx
      .update(links)
      .set({ status: 'expired', statusChangedAt: now, grantId: null, version: sql`${links.version} + 1` })
      .where(inArray(
        links.id,
        due.map((l) => l.id),
      ));
    for (const link of due) if (link.grantId) await revokeGrantRecords(tx, link.grantId);
    await tx.insert(linkHistory).values(due.map((l) => ({ linkId: l.id, at: now, actorType: 'system' as const, event: 'link_expired', detail: { inactivityDays: l.inactivityDays } })));
    // The provider learns it must send the customer through authorization again (Art. 4).
    for (const l of due) await enqueueProviderEvent(tx, { providerId: l.providerId, linkId: l.id, type: 'link.expired', detail: { inactivity_days: l.inactivityDays }, now });
    return due.length;
  });
}
