import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { onServer, openTestDatabase } from '@/test/db';
import { takeLease } from './lease';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
});
afterAll(async () => {
  await database?.close();
});

const T = new Date('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(T.getTime() + ms);

describe(`job leases (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('goes to one instance at a time, even when all ask at once', async () => {
    const holders = Array.from({ length: 8 }, (_, i) => `instance-${i}`);
    const taken = await Promise.all(holders.map((h) => takeLease(database.db, 'sweep', h, 60_000, T)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    const winner = holders[taken.indexOf(true)]!;
    // the holder may renew; the others still may not
    expect(await takeLease(database.db, 'sweep', winner, 60_000, at(30_000))).toBe(true);
    expect(await takeLease(database.db, 'sweep', 'instance-x', 60_000, at(30_000))).toBe(false);
    // when its time is up (renewed at 30 s, so at 90 s), and not before, the next asker gets it
    expect(await takeLease(database.db, 'sweep', 'instance-y', 60_000, at(90_000))).toBe(false);
    expect(await takeLease(database.db, 'sweep', 'instance-y', 60_000, at(90_001))).toBe(true);
    expect(await takeLease(database.db, 'sweep', winner, 60_000, at(90_002))).toBe(false);
    // another job is another lease
    expect(await takeLease(database.db, 'purge', 'instance-x', 60_000, at(90_002))).toBe(true);
  });
});
