import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushCallStats, outcomeOf, recordCall } from '@/lib/api/call-stats';
import type { OperatorPrincipal, StaffPrincipal } from '@/lib/auth/types';
import type { Database } from '@/lib/db/connect';
import { maintenanceWindows } from '@/lib/db/schema';
import { onServer, openTestDatabase } from '@/test/db';
import { dailyServiceReport, lastHourByProvider, NotAllowedToReadServiceFigures, tokyoDayStart } from './service-report';

const operator: OperatorPrincipal = { kind: 'staff', staffUserId: '00000000-0000-4000-8000-000000000001', role: 'operator', name: 'op', sessionId: 's' };
const readOnly: StaffPrincipal = { ...operator, role: 'staff' };

describe(`service figures (${onServer ? 'PostgreSQL' : 'PGlite'})`, () => {
  let database: Database;
  // 2026-12-01 10:30 in Tokyo.
  const now = new Date('2026-12-01T01:30:00Z');
  beforeAll(async () => {
    database = await openTestDatabase({ now });
  });
  afterAll(async () => {
    await database.close();
  });

  it('classifies answers: 2xx ok, 4xx refused, 429 rejected, maintenance 503 unavailable, other 5xx error', () => {
    expect([outcomeOf(200, undefined), outcomeOf(201, undefined), outcomeOf(403, 'insufficient-scope'), outcomeOf(429, 'rate-limited'), outcomeOf(503, 'maintenance'), outcomeOf(500, 'internal-error')]).toEqual([
      'ok',
      'ok',
      'refused',
      'rejected',
      'unavailable',
      'error',
    ]);
  });

  it('adds every call to the minute’s row (two flushes, as from two instances) and reports the last hour per provider and the day', async () => {
    const db = database.db;
    const minuteAgo = new Date(now.getTime() - 60_000);
    for (let i = 0; i < 8; i += 1) recordCall(db, { clientId: 'demo-provider', outcome: 'ok', ms: 100, at: minuteAgo });
    recordCall(db, { clientId: 'demo-provider', outcome: 'ok', ms: 1200, at: minuteAgo });
    recordCall(db, { clientId: 'demo-provider', outcome: 'error', ms: 1600, at: minuteAgo });
    await flushCallStats(db);
    recordCall(db, { clientId: 'demo-provider', outcome: 'rejected', ms: 2, at: minuteAgo });
    recordCall(db, { clientId: '', outcome: 'refused', ms: 2, at: new Date(now.getTime() - 2 * 60_000) });
    // Two hours ago: in the day, not in the last hour.
    recordCall(db, { clientId: 'demo-provider', outcome: 'ok', ms: 50, at: new Date(now.getTime() - 2 * 3600_000) });
    // Yesterday in Tokyo (2026-11-30 23:59 JST).
    recordCall(db, { clientId: 'demo-provider', outcome: 'ok', ms: 10, at: new Date('2026-11-30T14:59:00Z') });
    await flushCallStats(db);

    const hour = await lastHourByProvider(db, operator, now);
    expect(hour.map((r) => [r.clientId, r.calls])).toEqual([
      ['demo-provider', 11],
      ['', 1],
    ]);
    const demo = hour[0]!;
    expect(demo).toMatchObject({ ok: 9, errors: 1, rejected: 1, refused: 0, nameEn: expect.any(String) });
    expect(demo.averageMs).toBeCloseTo((8 * 100 + 1200 + 1600 + 2) / 11, 0);
    expect(demo.within1000Share).toBeCloseTo(9 / 11);

    const [today, yesterday] = await dailyServiceReport(db, operator, now);
    expect(today).toMatchObject({ date: '2026-12-01', invocations: { authenticated: 12, unauthenticated: 1, total: 13 }, errors: 1, rejections: 1, availability: 1 });
    expect(today!.performance.within1000Ms).toBeCloseTo(11 / 13);
    expect(today!.performance.within1500Ms).toBeCloseTo(12 / 13);
    // The busiest minute had 11 calls.
    expect(today!.peakTps).toBeCloseTo(11 / 60, 3);
    expect(yesterday).toMatchObject({ date: '2026-11-30', invocations: { total: 1 } });
  });

  it('counts maintenance windows against the day’s availability', async () => {
    const db = database.db;
    const dayStart = tokyoDayStart(now);
    await db.insert(maintenanceWindows).values({ startsAt: new Date(dayStart.getTime() + 60 * 60_000), endsAt: new Date(dayStart.getTime() + 2 * 60 * 60_000), noteJa: 'テスト', noteEn: 'test', createdBy: 'test' });
    const [today] = await dailyServiceReport(db, operator, now);
    // 60 of the 630 minutes so far (00:00–10:30 JST).
    expect(today!.plannedOutageMinutes).toBe(60);
    expect(today!.availability).toBeCloseTo(1 - 60 / 630, 4);
  });

  it('is for operators and the monitoring token only', async () => {
    await expect(lastHourByProvider(database.db, readOnly as unknown as OperatorPrincipal, now)).rejects.toThrow(NotAllowedToReadServiceFigures);
    await expect(dailyServiceReport(database.db, readOnly as unknown as OperatorPrincipal, now)).rejects.toThrow(NotAllowedToReadServiceFigures);
    expect((await lastHourByProvider(database.db, { kind: 'monitoring' }, now)).length).toBe(2);
  });
});
