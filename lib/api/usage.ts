import { and, asc, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db, Executor } from '@/lib/db/connect';
import { linkUsageDaily } from '@/lib/db/schema';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { log } from '@/lib/observability/logger';

// Access counts per link, item and day: counted in memory and written in batches, so a read of
// the provider API is never a write of its own (at most ~10 s of counts are lost if the process dies).
const FLUSH_EVERY_MS = 10_000;
type Key = `${string}|${PermissionItem}|${string}`;
type UsageState = { pending: Map<Key, number>; timer?: NodeJS.Timeout };
const globalForUsage = globalThis as typeof globalThis & { __renkeiUsage?: UsageState };
const state: UsageState = (globalForUsage.__renkeiUsage ??= { pending: new Map<Key, number>() });

const TOKYO_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

export function tokyoDay(date: Date): string {
  return TOKYO_DAY.format(date);
}

export function countAccess(db: Db, linkId: string, item: PermissionItem, at: Date = new Date()): void {
  const key: Key = `${linkId}|${item}|${tokyoDay(at)}`;
  state.pending.set(key, (state.pending.get(key) ?? 0) + 1);
  scheduleFlush(db);
}

function scheduleFlush(db: Db): void {
  if (state.timer) return;
  state.timer = setTimeout(() => {
    state.timer = undefined;
    void flushAccessCounts(db).catch((error: unknown) => {
      log('usage').error({ err: error }, 'usage count flush failed; kept for the next try');
      scheduleFlush(db);
    });
  }, FLUSH_EVERY_MS);
  state.timer.unref();
}

/** Rows per statement: 4 parameters each, well inside the driver's 65 534 (STACK-NOTES). */
const FLUSH_CHUNK = 5_000;

/** Writes the counts held in memory (every 10 s after a call, and at shutdown). */
export async function flushAccessCounts(db: Db): Promise<void> {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = undefined;
  }
  if (state.pending.size === 0) return;
  const batch = [...state.pending.entries()];
  state.pending.clear();
  const rows = batch.map(([key, count]) => {
    const [linkId, item, day] = key.split('|') as [string, PermissionItem, string];
    return { linkId, item, day, count };
  });
  let written = 0;
  try {
    for (let i = 0; i < rows.length; i += FLUSH_CHUNK) {
      await db
        .insert(linkUsageDaily)
        .values(rows.slice(i, i + FLUSH_CHUNK))
        .onConflictDoUpdate({ target: [linkUsageDaily.linkId, linkUsageDaily.item, linkUsageDaily.day], set: { count: sql`${linkUsageDaily.count} + excluded.count` } });
      written = Math.min(i + FLUSH_CHUNK, rows.length);
    }
  } catch (error) {
    // Not written: keep them for the next flush (a database restart loses no counts).
    for (const [key, count] of batch.slice(written)) state.pending.set(key, (state.pending.get(key) ?? 0) + count);
    throw error;
  }
}

export type DailyUsage = { day: string; count: number };
export type ItemDayUsage = { day: string; item: PermissionItem; count: number };

/**
 * What was shared, when (issue 14 §5; the CDR's "what was disclosed, when and to whom"): each day's
 * calls per item over the last `days` days, only days and items with calls, newest day first.
 */
export async function usageByItem(db: Executor, linkId: string, now: Date, days = 90): Promise<ItemDayUsage[]> {
  const start = new Date(now.getTime() - (days - 1) * 86_400_000);
  const rows = await db
    .select({ day: linkUsageDaily.day, item: linkUsageDaily.item, count: linkUsageDaily.count })
    .from(linkUsageDaily)
    .where(and(eq(linkUsageDaily.linkId, linkId), gte(linkUsageDaily.day, tokyoDay(start))))
    .orderBy(desc(linkUsageDaily.day), asc(linkUsageDaily.item));
  return rows.filter((r) => r.count > 0).map((r) => ({ day: r.day, item: r.item, count: Number(r.count) }));
}

/** The last `days` days of access counts of one link (all items), oldest first, zero-filled. */
export async function dailyUsage(db: Executor, linkId: string, now: Date, days = 90): Promise<DailyUsage[]> {
  const start = new Date(now.getTime() - (days - 1) * 86_400_000);
  const rows = await db
    .select({ day: linkUsageDaily.day, count: sql<number>`sum(${linkUsageDaily.count})::int` })
    .from(linkUsageDaily)
    .where(and(eq(linkUsageDaily.linkId, linkId), gte(linkUsageDaily.day, tokyoDay(start))))
    .groupBy(linkUsageDaily.day)
    .orderBy(asc(linkUsageDaily.day));
  const byDay = new Map(rows.map((r) => [r.day, Number(r.count)]));
  return Array.from({ length: days }, (_, i) => {
    const day = tokyoDay(new Date(start.getTime() + i * 86_400_000));
    return { day, count: byDay.get(day) ?? 0 };
  });
}
