import { eq, lt, or } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { jobLeases } from '@/lib/db/schema';

/**
 * A lease on a periodic job, on the database every instance shares (issue 13: the sweeps ran on
 * every instance at once). One statement takes it: free, expired, or already this holder's; it
 * lasts `ttlMs` (the housekeeping keeps it for its interval, so one instance runs each interval).
 */
export async function takeLease(db: Executor, name: string, holder: string, ttlMs: number, now: Date = new Date()): Promise<boolean> {
  const until = new Date(now.getTime() + ttlMs);
  const [row] = await db
    .insert(jobLeases)
    .values({ name, holder, until })
    .onConflictDoUpdate({
      target: jobLeases.name,
      set: { holder, until },
      setWhere: or(lt(jobLeases.until, now), eq(jobLeases.holder, holder)),
    })
    .returning({ holder: jobLeases.holder });
  return row?.holder === holder;
}
