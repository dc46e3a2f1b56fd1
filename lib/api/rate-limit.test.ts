import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '@/lib/db/connect';
import { metrics } from '@/lib/observability/metrics';
import { openTestDatabase, onServer } from '@/test/db';
import { closeRedisClients, consumeLimits, limitersFor } from './rate-limit';

async function rateLimitedCount(limit: string): Promise<number> {
  const { values } = await metrics.rateLimited.get();
  return values.find((v) => v.labels.limit === limit)?.value ?? 0;
}

describe(`traffic limits on the database (${onServer ? 'PostgreSQL' : 'PGlite'})`, () => {
  let database: Database & { url?: string };
  // A second instance: on PostgreSQL its own connection pool to the same database; on PGlite
  // (one process by construction) limiter objects of their own over the same database.
  let second: Database;

  beforeAll(async () => {
    database = await openTestDatabase({ seed: false });
    second = database.url ? await openPostgres(database.url, { max: 2 }) : database;
  });
  afterAll(async () => {
    if (second !== database) await second.close();
    await database.close();
  });

  it('holds one limit across two instances: the 4th call of a window is refused with Retry-After and RateLimit headers', async () => {
    const a = await limitersFor(database.db, 'database', { points: { link: 3, provider: 100 } });
    const b = await limitersFor(second.db, 'database', { points: { link: 3, provider: 100 } });
    const keys = [
      { name: 'provider' as const, key: 'client-x' },
      { name: 'link' as const, key: 'link-1' },
    ];
    const fail = (error: unknown) => {
      throw error;
    };
    const before = await rateLimitedCount('link');
    const decisions = [];
    // Alternate instances inside one window (all four calls within a few milliseconds).
    for (const store of [a, b, a, b]) decisions.push(await consumeLimits(store, keys, fail));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    const refused = decisions[3]!;
    expect(refused.limit).toBe('link');
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['RateLimit-Policy']).toBe('"provider";q=100;w=1, "link";q=3;w=1');
    expect(refused.headers.RateLimit).toMatch(/^"provider";r=96;t=1, "link";r=0;t=1$/);
    expect(decisions[0]!.headers.RateLimit).toMatch(/"link";r=2;t=1$/);
    expect(await rateLimitedCount('link')).toBe(before + 1);
    // Another link of the same provider has its own allowance.
    expect((await consumeLimits(b, [{ name: 'link', key: 'link-2' }], fail)).allowed).toBe(true);
  });

  it('opens a new window once the second is over', async () => {
    const store = await limitersFor(database.db, 'database', { points: { token: 1 } });
    const fail = (error: unknown) => {
      throw error;
    };
    expect((await consumeLimits(store, [{ name: 'token', key: 'client-y' }], fail)).allowed).toBe(true);
    expect((await consumeLimits(store, [{ name: 'token', key: 'client-y' }], fail)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await consumeLimits(store, [{ name: 'token', key: 'client-y' }], fail)).allowed).toBe(true);
  });

  it('lets a call through, and says so, when the counter store fails', async () => {
    const broken = await openTestDatabase({ seed: false });
    const store = await limitersFor(broken.db, 'database', { points: { link: 1 } });
    await broken.close();
    const failures: unknown[] = [];
    const decision = await consumeLimits(store, [{ name: 'link', key: 'link-3' }], (error) => failures.push(error));
    expect(decision.allowed).toBe(true);
    expect(failures).toHaveLength(1);
  });
});

describe('traffic-limit windows', () => {
  it('are purged once they ended more than a minute ago', async () => {
    const database = await openTestDatabase({ seed: false });
    try {
      const { purgeRateLimitWindows } = await import('./rate-limit');
      const { rateLimits } = await import('@/lib/db/schema');
      const now = new Date('2026-12-01T10:00:00Z');
      await database.db.insert(rateLimits).values([
        { key: 'link:old', points: 3, expire: new Date(now.getTime() - 61_000) },
        { key: 'link:recent', points: 3, expire: new Date(now.getTime() - 30_000) },
      ]);
      await purgeRateLimitWindows(database.db, now);
      expect((await database.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key)).toEqual(['link:recent']);
    } finally {
      await database.close();
    }
  });
});

// .ci/run points this at the machine's Redis (REDIS_URL deployments keep the counters there).
const redisUrl = process.env.TEST_REDIS_URL;
describe.runIf(redisUrl)('traffic limits in Redis', () => {
  afterAll(async () => {
    await closeRedisClients();
  });
  it('holds one limit across two instances', async () => {
    const database = await openTestDatabase({ seed: false });
    try {
      const a = await limitersFor(database.db, 'redis', { points: { link: 2 }, redisUrl });
      const b = await limitersFor(database.db, 'redis', { points: { link: 2 }, redisUrl });
      const key = [{ name: 'link' as const, key: `redis-${Date.now()}-${Math.random()}` }];
      const fail = (error: unknown) => {
        throw error;
      };
      const decisions = [await consumeLimits(a, key, fail), await consumeLimits(b, key, fail), await consumeLimits(a, key, fail)];
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
      expect(Number(decisions[2]!.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    } finally {
      await database.close();
    }
  });
});
