import { and, gt, isNull, lt, sql } from 'drizzle-orm';
import type { OperatorPrincipal } from '@/lib/auth/types';
import type { Executor } from '@/lib/db/connect';
import { rowsOf } from '@/lib/db/connect';
import { maintenanceWindows } from '@/lib/db/schema';

/**
 * The service figures a bank's service desk needs (the operator's service page and
 * GET /api/operations/report): provider API calls of the last hour per provider, and a daily
 * report in the spirit of Australia's CDR "Get Metrics" (availability, performance within 1000 and
 * 1500 ms, invocations, average response, errors, rejections, average and peak rate), per
 * Asia/Tokyo day. Read from `api_call_stats`, which every instance adds to (lib/api/call-stats.ts).
 * Only an operator, or the bank's monitoring with the metrics token, may read them.
 */
export type ServiceReader = OperatorPrincipal | { kind: 'monitoring' };

export class NotAllowedToReadServiceFigures extends Error {}

function check(reader: ServiceReader): void {
  if (reader.kind === 'monitoring') return;
  if (reader.kind !== 'staff' || reader.role !== 'operator') throw new NotAllowedToReadServiceFigures('only operators read the service figures');
}

export type ProviderHour = {
  clientId: string;
  nameJa: string | null;
  nameEn: string | null;
  calls: number;
  ok: number;
  refused: number;
  rejected: number;
  errors: number;
  unavailable: number;
  averageMs: number;
  within1000Share: number;
};

const n = (value: unknown) => Number(value ?? 0);

/** The last 60 minutes, one row per provider ('' = calls that never authenticated), busiest first. */
export async function lastHourByProvider(db: Executor, reader: ServiceReader, now: Date = new Date()): Promise<ProviderHour[]> {
  check(reader);
  const since = new Date(now.getTime() - 60 * 60_000);
  const result = await db.execute(sql`
    select s.client_id, p.name_ja, p.name_en,
      sum(s.calls) as calls,
      coalesce(sum(s.calls) filter (where s.outcome = 'ok'), 0) as ok,
      coalesce(sum(s.calls) filter (where s.outcome = 'refused'), 0) as refused,
      coalesce(sum(s.calls) filter (where s.outcome = 'rejected'), 0) as rejected,
      coalesce(sum(s.calls) filter (where s.outcome = 'error'), 0) as errors,
      coalesce(sum(s.calls) filter (where s.outcome = 'unavailable'), 0) as unavailable,
      sum(s.total_ms) as total_ms, sum(s.within_1000) as within_1000
    from api_call_stats s
    left join providers p on p.client_id = s.client_id
    where s.minute >= ${since.toISOString()}::timestamptz and s.minute <= ${now.toISOString()}::timestamptz
    group by s.client_id, p.name_ja, p.name_en
    order by sum(s.calls) desc, s.client_id`);
  return rowsOf<Record<string, unknown>>(result).map((r) => {
    const calls = n(r.calls);
    return {
      clientId: String(r.client_id),
      nameJa: (r.name_ja as string | null) ?? null,
      nameEn: (r.name_en as string | null) ?? null,
      calls,
      ok: n(r.ok),
      refused: n(r.refused),
      rejected: n(r.rejected),
      errors: n(r.errors),
      unavailable: n(r.unavailable),
      averageMs: calls > 0 ? Math.round((n(r.total_ms) / calls) * 10) / 10 : 0,
      within1000Share: calls > 0 ? n(r.within_1000) / calls : 1,
    };
  });
}

export type ServiceDay = {
  /** YYYY-MM-DD, Asia/Tokyo. */
  date: string;
  /** Share of the day (so far, for today) outside maintenance windows. */
  availability: number;
  plannedOutageMinutes: number;
  invocations: { authenticated: number; unauthenticated: number; total: number };
  averageResponseMs: number;
  /** Share of calls answered within 1000 ms and within 1500 ms (CDR thresholds). */
  performance: { within1000Ms: number; within1500Ms: number };
  /** 5xx answers other than maintenance. */
  errors: number;
  /** 429 answers (traffic limits). */
  rejections: number;
  /** 503 answers during maintenance windows. */
  unavailable: number;
  averageTps: number;
  /** The busiest minute's calls a second. */
  peakTps: number;
};

const DAY_MS = 86_400_000;
const TOKYO_OFFSET_MS = 9 * 60 * 60_000; // Asia/Tokyo has no daylight saving time

/** The start (UTC instant) of the Tokyo day that contains `at`. */
export function tokyoDayStart(at: Date): Date {
  return new Date(Math.floor((at.getTime() + TOKYO_OFFSET_MS) / DAY_MS) * DAY_MS - TOKYO_OFFSET_MS);
}

function tokyoDate(start: Date): string {
  return new Date(start.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today (so far) and the `days - 1` days before it, newest first. */
export async function dailyServiceReport(db: Executor, reader: ServiceReader, now: Date = new Date(), days = 8): Promise<ServiceDay[]> {
  check(reader);
  const todayStart = tokyoDayStart(now);
  const from = new Date(todayStart.getTime() - (days - 1) * DAY_MS);
  const dayExpr = sql`(((s.minute at time zone 'UTC') + interval '9 hours')::date)::text`;
  const [totals, peaks, windows] = await Promise.all([
    db.execute(sql`
      select ${dayExpr} as day,
        coalesce(sum(s.calls) filter (where s.client_id <> ''), 0) as authenticated,
        coalesce(sum(s.calls) filter (where s.client_id = ''), 0) as unauthenticated,
        sum(s.total_ms) as total_ms, sum(s.within_1000) as within_1000, sum(s.within_1500) as within_1500,
        coalesce(sum(s.calls) filter (where s.outcome = 'error'), 0) as errors,
        coalesce(sum(s.calls) filter (where s.outcome = 'rejected'), 0) as rejections,
        coalesce(sum(s.calls) filter (where s.outcome = 'unavailable'), 0) as unavailable
      from api_call_stats s
      where s.minute >= ${from.toISOString()}::timestamptz and s.minute < ${now.toISOString()}::timestamptz
      group by 1`),
    db.execute(sql`
      select day, max(per_minute) as peak from (
        select ${dayExpr} as day, s.minute, sum(s.calls) as per_minute
        from api_call_stats s
        where s.minute >= ${from.toISOString()}::timestamptz and s.minute < ${now.toISOString()}::timestamptz
        group by 1, 2) m
      group by day`),
    db
      .select({ startsAt: maintenanceWindows.startsAt, endsAt: maintenanceWindows.endsAt })
      .from(maintenanceWindows)
      .where(and(isNull(maintenanceWindows.cancelledAt), lt(maintenanceWindows.startsAt, now), gt(maintenanceWindows.endsAt, from))),
  ]);
  const byDay = new Map(rowsOf<Record<string, unknown>>(totals).map((r) => [String(r.day), r]));
  const peakByDay = new Map(rowsOf<Record<string, unknown>>(peaks).map((r) => [String(r.day), n(r.peak)]));
  return Array.from({ length: days }, (_, i) => {
    const start = new Date(todayStart.getTime() - i * DAY_MS);
    const end = new Date(Math.min(start.getTime() + DAY_MS, now.getTime()));
    const spanMs = Math.max(1, end.getTime() - start.getTime());
    const outageMs = windows.reduce((sum, w) => sum + Math.max(0, Math.min(w.endsAt.getTime(), end.getTime()) - Math.max(w.startsAt.getTime(), start.getTime())), 0);
    const date = tokyoDate(start);
    const r = byDay.get(date);
    const authenticated = n(r?.authenticated);
    const unauthenticated = n(r?.unauthenticated);
    const total = authenticated + unauthenticated;
    return {
      date,
      availability: 1 - Math.min(outageMs, spanMs) / spanMs,
      plannedOutageMinutes: Math.round(outageMs / 60_000),
      invocations: { authenticated, unauthenticated, total },
      averageResponseMs: total > 0 ? Math.round((n(r?.total_ms) / total) * 10) / 10 : 0,
      performance: { within1000Ms: total > 0 ? n(r?.within_1000) / total : 1, within1500Ms: total > 0 ? n(r?.within_1500) / total : 1 },
      errors: n(r?.errors),
      rejections: n(r?.rejections),
      unavailable: n(r?.unavailable),
      averageTps: Math.round((total / (spanMs / 1000)) * 1000) / 1000,
      peakTps: Math.round(((peakByDay.get(date) ?? 0) / 60) * 1000) / 1000,
    };
  });
}

