import { sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { apiCallStats } from '@/lib/db/schema';
import { log } from '@/lib/observability/logger';

/**
 * Every provider API call, counted per minute, provider and outcome with its response time
 * (apiRoute), for the operator's service page and the daily report. Counted in memory and added to
 * `api_call_stats` every 10 s and at shutdown, like the usage counts: a call is never a write of
 * its own, and every instance's calls end up in the same rows.
 */
export type CallOutcome = 'ok' | 'refused' | 'rejected' | 'error' | 'unavailable';
type Bucket = { calls: number; totalMs: number; within1000: number; within1500: number };
type StatsState = { pending: Map<string, Bucket>; timer?: NodeJS.Timeout; db?: Db };

const FLUSH_EVERY_MS = 10_000;
/** 7 parameters a row, well inside the driver's 65 534 (STACK-NOTES). */
const FLUSH_CHUNK = 5_000;
const globalForStats = globalThis as typeof globalThis & { __renkeiCallStats?: StatsState };
const state: StatsState = (globalForStats.__renkeiCallStats ??= { pending: new Map() });

export function outcomeOf(status: number, code: string | undefined): CallOutcome {
  if (status === 429) return 'rejected';
  if (status === 503 && code === 'maintenance') return 'unavailable';
  if (status >= 500) return 'error';
  if (status >= 400) return 'refused';
  return 'ok';
}

export function recordCall(db: Db, call: { clientId: string; outcome: CallOutcome; ms: number; at?: Date }): void {
  const at = call.at ?? new Date();
  const minute = Math.floor(at.getTime() / 60_000) * 60_000;
  const key = `${minute}|${call.clientId}|${call.outcome}`;
  const bucket = state.pending.get(key) ?? { calls: 0, totalMs: 0, within1000: 0, within1500: 0 };
  bucket.calls += 1;
  bucket.totalMs += call.ms;
  if (call.ms <= 1000) bucket.within1000 += 1;
  if (call.ms <= 1500) bucket.within1500 += 1;
  state.pending.set(key, bucket);
  state.db = db;
  if (!state.timer) {
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void flushCallStats(db).catch((error: unknown) => log('call-stats').error({ err: error }, 'call figures flush failed; kept for the next try'));
    }, FLUSH_EVERY_MS);
    state.timer.unref();
  }
}

/** Adds what is held in memory to the table (every 10 s after a call, and at shutdown). */
export async function flushCallStats(db: Db | undefined = state.db): Promise<void> {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = undefined;
  }
  if (!db || state.pending.size === 0) return;
  const batch = [...state.pending.entries()];
  state.pending.clear();
  const rows = batch.map(([key, b]) => {
    const [minute, clientId, outcome] = key.split('|') as [string, string, string];
    return { minute: new Date(Number(minute)), clientId, outcome, calls: b.calls, totalMs: Math.round(b.totalMs), within1000: b.within1000, within1500: b.within1500 };
  });
  let written = 0;
  try {
    for (let i = 0; i < rows.length; i += FLUSH_CHUNK) {
      await db
        .insert(apiCallStats)
        .values(rows.slice(i, i + FLUSH_CHUNK))
        .onConflictDoUpdate({
          target: [apiCallStats.minute, apiCallStats.clientId, apiCallStats.outcome],
          set: {
            calls: sql`${apiCallStats.calls} + excluded.calls`,
            totalMs: sql`${apiCallStats.totalMs} + excluded.total_ms`,
            within1000: sql`${apiCallStats.within1000} + excluded.within_1000`,
            within1500: sql`${apiCallStats.within1500} + excluded.within_1500`,
          },
        });
      written = Math.min(i + FLUSH_CHUNK, rows.length);
    }
  } catch (error) {
    for (const [key, b] of batch.slice(written)) {
      const kept = state.pending.get(key);
      state.pending.set(key, kept ? { calls: kept.calls + b.calls, totalMs: kept.totalMs + b.totalMs, within1000: kept.within1000 + b.within1000, within1500: kept.within1500 + b.within1500 } : b);
    }
    throw error;
  }
}
