import { and, asc, gt, isNull, lte } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { maintenanceWindows } from '@/lib/db/schema';

export type MaintenanceWindowDTO = { id: string; startsAt: Date; endsAt: Date; noteJa: string; noteEn: string };

/** How far ahead the portal announces a window (Art. 6.1: customers are told before). */
export const ANNOUNCE_DAYS = 14;

const columns = {
  id: maintenanceWindows.id,
  startsAt: maintenanceWindows.startsAt,
  endsAt: maintenanceWindows.endsAt,
  noteJa: maintenanceWindows.noteJa,
  noteEn: maintenanceWindows.noteEn,
};

/** The window in force at `now`, if any (the latest-ending one when windows overlap). */
export async function maintenanceInForce(db: Executor, now: Date = new Date()): Promise<MaintenanceWindowDTO | null> {
  const rows = await db
    .select(columns)
    .from(maintenanceWindows)
    .where(and(isNull(maintenanceWindows.cancelledAt), lte(maintenanceWindows.startsAt, now), gt(maintenanceWindows.endsAt, now)))
    .orderBy(asc(maintenanceWindows.endsAt));
  return rows.at(-1) ?? null;
}

/** Windows not yet over, soonest first: in force, then announced (within ANNOUNCE_DAYS, or all with `all`). */
export async function upcomingMaintenance(db: Executor, now: Date = new Date(), options: { all?: boolean } = {}): Promise<MaintenanceWindowDTO[]> {
  const horizon = new Date(now.getTime() + ANNOUNCE_DAYS * 86_400_000);
  return db
    .select(columns)
    .from(maintenanceWindows)
    .where(
      and(
        isNull(maintenanceWindows.cancelledAt),
        gt(maintenanceWindows.endsAt, now),
        options.all ? undefined : lte(maintenanceWindows.startsAt, horizon),
      ),
    )
    .orderBy(asc(maintenanceWindows.startsAt));
}

/** Seconds until the window ends, for Retry-After (at least 1). */
export function retryAfterSeconds(window: { endsAt: Date }, now: Date): number {
  return Math.max(1, Math.ceil((window.endsAt.getTime() - now.getTime()) / 1000));
}
