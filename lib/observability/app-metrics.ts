import { count, eq, min } from 'drizzle-orm';
import { getDb, openDatabase } from '@/lib/db';
import { providerEvents } from '@/lib/db/schema';
import { gauge } from './metrics';

/**
 * The gauges read from the database when /metrics is scraped: the provider-event outbox (shared
 * by every instance, so each reports the same figure) and this process's connections.
 */
export function registerAppMetrics(): void {
  gauge('renkei_outbox_pending_events', 'Security Event Tokens waiting to be pushed to providers (all instances).', [], async function () {
    this.set(Number((await outboxBacklog()).pending));
  });
  gauge('renkei_outbox_oldest_pending_age_seconds', 'Age of the oldest event still waiting to be pushed (0 when none).', [], async function () {
    const { oldest } = await outboxBacklog();
    this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
  });
  gauge('renkei_db_connections', "This process's database connections by state (in_use, idle) and the pool's size (max).", ['state'], async function () {
    const database = await openDatabase();
    if (!database) return;
    const pool = await database.pool();
    this.set({ state: 'max' }, pool.max);
    this.set({ state: 'in_use' }, pool.inUse);
    this.set({ state: 'idle' }, pool.idle);
  });
}

// Both outbox gauges are read in one scrape: one statement, shared for a second.
let cached: { at: number; value: Promise<{ pending: number; oldest: Date | null }> } | null = null;

export function outboxBacklog(): Promise<{ pending: number; oldest: Date | null }> {
  if (cached && Date.now() - cached.at < 1000) return cached.value;
  const value = (async () => {
    const db = await getDb();
    const [row] = await db
      .select({ pending: count(), oldest: min(providerEvents.createdAt) })
      .from(providerEvents)
      .where(eq(providerEvents.state, 'pending'));
    return { pending: Number(row?.pending ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
  })();
  cached = { at: Date.now(), value };
  value.catch(() => (cached = null));
  return value;
}
