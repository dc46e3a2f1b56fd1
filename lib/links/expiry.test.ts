import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { linkHistory, links, providers } from '@/lib/db/schema';
import { onServer, openTestDatabase } from '@/test/db';
import { expireInactiveLinks } from './expiry';

let database: Database;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function statusOf(clientId: string) {
  const rows = await database.db
    .select({ id: links.id, status: links.status })
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(eq(providers.clientId, clientId));
  return rows;
}

describe(`expiry sweep, Art. 4 (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('expires only active links past their date, once, with a history row each', async () => {
    expect(await expireInactiveLinks(database.db)).toBe(0); // nothing due today
    const later = new Date(Date.now() + 11 * DAY); // かけいぼプラス had 10 days left
    const swept = await expireInactiveLinks(database.db, later);
    expect(swept).toBeGreaterThanOrEqual(1);
    const kakeibo = await statusOf('kakeibo-plus');
    expect(kakeibo.map((l) => l.status)).toContain('expired');
    const ledgerly = await statusOf('ledgerly'); // 180-day provider, used today
    expect(ledgerly.every((l) => l.status !== 'expired')).toBe(true);
    const expiredLink = kakeibo.find((l) => l.status === 'expired')!;
    const history = await database.db
      .select({ event: linkHistory.event, actor: linkHistory.actorType })
      .from(linkHistory)
      .where(and(eq(linkHistory.linkId, expiredLink.id), eq(linkHistory.event, 'link_expired')));
    expect(history).toEqual([{ event: 'link_expired', actor: 'system' }]);
    expect(await expireInactiveLinks(database.db, later)).toBe(0); // idempotent
  });
});
