import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { links } from '@/lib/db/schema';
import { onServer, openTestDatabase } from '@/test/db';
import { countAccess, dailyUsage, flushAccessCounts, tokyoDay } from './usage';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe(`daily access counts (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('counts every access per Tokyo day in batches and reports 90 zero-filled days', async () => {
    const [link] = await database.db.select({ id: links.id }).from(links).limit(1);
    const now = new Date('2026-11-26T14:59:00Z'); // 23:59 in Tokyo
    for (let i = 0; i < 5; i++) countAccess(database.db, link!.id, 'balances', now);
    countAccess(database.db, link!.id, 'statements', now);
    countAccess(database.db, link!.id, 'balances', new Date('2026-11-26T15:01:00Z')); // already the 27th in Tokyo
    await flushAccessCounts(database.db);
    countAccess(database.db, link!.id, 'balances', now);
    await flushAccessCounts(database.db);
    const usage = await dailyUsage(database.db, link!.id, new Date('2026-11-27T03:00:00Z'));
    expect(usage).toHaveLength(90);
    expect(usage.at(-1)).toEqual({ day: '2026-11-27', count: 1 });
    expect(usage.at(-2)).toEqual({ day: '2026-11-26', count: 7 });
    expect(usage.slice(0, -2).every((d) => d.count === 0)).toBe(true);
    expect(tokyoDay(now)).toBe('2026-11-26');
  });
});
