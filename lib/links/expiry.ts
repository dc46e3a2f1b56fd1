import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { links } from '@/lib/db/schema';
import { changeLink, lockLinks, SYSTEM } from './lifecycle';

/** How many links one sweep transaction expires: bounded locks and statements, whatever is due. */
export const EXPIRY_BATCH = 500;

/**
 * Art. 4: records as expired every active link unused past its inactivity period, with a history
 * row each, and ends its tokens (the customer re-authenticates through the provider). The API
 * and the portal already treat such a link as expired at request time; this makes it durable.
 * Runs in batches of `batchSize` links, each its own transaction, taking only rows no other
 * instance has locked (SKIP LOCKED): two instances sweeping at once share the work.
 */
export async function expireInactiveLinks(db: Db, now: Date = new Date(), batchSize: number = EXPIRY_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const due = await lockLinks(tx, and(eq(links.status, 'active'), lte(links.expiresAt, now)), { limit: batchSize, skipLocked: true, byExpiry: true });
      for (const link of due) await changeLink(tx, link, { kind: 'expire' }, SYSTEM, now);
      return due.length;
    });
    total += done;
    if (done < batchSize) return total;
  }
}
