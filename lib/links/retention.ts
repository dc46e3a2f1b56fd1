import { and, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { links } from '@/lib/db/schema';
import { archiveLink, lockLinks } from './lifecycle';

/** How many links one purge transaction archives: bounded locks and statements. */
export const RECORD_PURGE_BATCH = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Issue 14 §3 (EU FiDA Art. 8): an expired, stopped or ended link stays in the customer's "past
 * links" for `recordDays` after it ended (its expiry, or its status change), then housekeeping
 * takes it out of the customer's view (`archiveLink`: items, accounts and usage counts deleted;
 * the history and receipts kept as the bank's record; decision 48). Bounded batches, each its own
 * transaction, rows another instance holds skipped; each pass reads one partial index.
 */
export async function purgePastLinkRecords(db: Db, recordDays: number, now: Date = new Date(), batchSize: number = RECORD_PURGE_BATCH): Promise<number> {
  const cutoff = new Date(now.getTime() - recordDays * DAY_MS);
  const passes = [
    { where: and(eq(links.status, 'expired'), isNull(links.archivedAt), lt(links.expiresAt, cutoff)), order: { byExpiry: true } },
    { where: and(inArray(links.status, ['revoked', 'terminated']), isNull(links.archivedAt), lt(links.statusChangedAt, cutoff)), order: { byStatusChange: true } },
  ];
  let total = 0;
  for (const pass of passes) {
    for (;;) {
      const done = await db.transaction(async (tx) => {
        const due = await lockLinks(tx, pass.where, { limit: batchSize, skipLocked: true, ...pass.order });
        for (const link of due) await archiveLink(tx, link, recordDays, now);
        return due.length;
      });
      total += done;
      if (done < batchSize) break;
    }
  }
  return total;
}
