import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { linkHistory, links } from '@/lib/db/schema';
import { enqueueProviderEvent } from '@/lib/events/outbox';

/**
 * The provider revoked a token at /revoke (RFC 7009), or the authorization server revoked the
 * grant (e.g. a reused authorization code): the link stops (Art. 5.1) and says so in its history.
 */
export async function onGrantRevoked(grantId: string, clientId: string | null): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [link] = await tx
      .select({ id: links.id, providerId: links.providerId, status: links.status })
      .from(links)
      .where(and(eq(links.grantId, grantId), inArray(links.status, ['active', 'expired', 'suspended'])))
      .for('update');
    if (!link) return;
    const now = new Date();
    await tx
      .update(links)
      .set({ status: 'revoked', statusChangedAt: now, grantId: null, version: sql`${links.version} + 1` })
      .where(eq(links.id, link.id));
    await tx.insert(linkHistory).values({
      linkId: link.id,
      at: now,
      actorType: 'provider',
      actorId: clientId,
      event: 'link_revoked',
      detail: { previousStatus: link.status, via: 'provider' },
    });
    await enqueueProviderEvent(tx, { providerId: link.providerId, linkId: link.id, type: 'link.revoked', detail: { initiator: 'provider', via: 'provider' }, now });
  });
}
