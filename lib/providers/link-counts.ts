import { and, eq, lte, sql } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { rowsOf } from '@/lib/db/connect';
import { links, providerLinkCountChanges, providerLinkCounts } from '@/lib/db/schema';
import type { LinkStatus } from '@/lib/domain/link-status';

export type LinkCounts = Record<LinkStatus, number>;

const empty = (): LinkCounts => ({ active: 0, expired: 0, suspended: 0, revoked: 0, terminated: 0 });

/**
 * Each provider's links per effective status (issue 13), without reading the links: the folded
 * totals plus the changes the triggers appended since (migration 0016), then Art. 4 at read time —
 * an active link already past its expiry but not yet swept counts as expired, as effectiveStatus()
 * does; those are read through the partial expiry index, so only the due ones.
 */
export async function providerLinkCountsAt(db: Executor, now: Date, providerId?: string): Promise<Map<string, LinkCounts>> {
  const [totals, changes, due] = await Promise.all([
    db
      .select({ providerId: providerLinkCounts.providerId, status: providerLinkCounts.status, n: providerLinkCounts.n })
      .from(providerLinkCounts)
      .where(providerId ? eq(providerLinkCounts.providerId, providerId) : undefined),
    db
      .select({ providerId: providerLinkCountChanges.providerId, status: providerLinkCountChanges.status, n: sql<number>`sum(${providerLinkCountChanges.n})::int` })
      .from(providerLinkCountChanges)
      .where(providerId ? eq(providerLinkCountChanges.providerId, providerId) : undefined)
      .groupBy(providerLinkCountChanges.providerId, providerLinkCountChanges.status),
    // The planner multiplies the selectivities of `status = 'active'` and `expires_at <= now` (every
    // expired link has an old expiry too) and expects a hundred thousand of 3 M links where the
    // sweep leaves next to none: it then starts parallel workers, 6 ms of start-up for a scan that
    // returns nothing (issue 13: 1.4 → 7.4 ms from 10 k to 1 M customers). In one process it is
    // the partial index's few entries.
    db.transaction(async (tx) => {
      await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
      return tx
        .select({ providerId: links.providerId, n: sql<number>`count(*)::int` })
        .from(links)
        .where(and(eq(links.status, 'active'), lte(links.expiresAt, now), providerId ? eq(links.providerId, providerId) : undefined))
        .groupBy(links.providerId);
    }),
  ]);
  const counts = new Map<string, LinkCounts>();
  const of = (id: string) => counts.get(id) ?? counts.set(id, empty()).get(id)!;
  for (const row of [...totals, ...changes]) of(row.providerId)[row.status] += Number(row.n);
  for (const row of due) {
    const c = of(row.providerId);
    c.active -= row.n;
    c.expired += row.n;
  }
  return counts;
}

/**
 * Housekeeping: folds the appended changes into the totals, in one transaction. Rows appended
 * meanwhile by other transactions are not in this one's snapshot: they stay for the next fold, and a
 * reader sees either the totals before and every change, or the totals after and what remains.
 */
export async function foldProviderLinkCounts(db: Executor): Promise<number> {
  return db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      with moved as (delete from provider_link_count_changes returning provider_id, status, n),
      summed as (select provider_id, status, sum(n)::bigint as n from moved where provider_id in (select id from providers) group by 1, 2),
      folded as (
        insert into provider_link_counts (provider_id, status, n)
        select provider_id, status, n from summed order by 1, 2
        on conflict (provider_id, status) do update set n = provider_link_counts.n + excluded.n
        returning 1
      )
      select (select count(*) from moved)::int as moved, (select count(*) from folded)::int as folded`);
    return rowsOf<{ moved: number }>(result)[0]?.moved ?? 0;
  });
}
