import { execFileSync } from 'node:child_process';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { customers, linkHistory, links, providerEvents, providers } from '@/lib/db/schema';
import { DomainError } from '@/lib/domain/link-rules';
import { LINK_EVENTS } from '@/lib/domain/link-events';
import { openTestDatabase, onServer } from '@/test/db';
import { expireInactiveLinks } from './expiry';
import { changeLink, lockLink, recordInstruction } from './lifecycle';

let database: Database;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

/** Files under the given folders whose source contains `needle` (git grep: what is committed or staged plus the working tree). */
function filesContaining(needle: string, folders: string[]): string[] {
  try {
    return execFileSync('git', ['grep', '-l', '--untracked', '-F', needle, '--', ...folders], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).sort();
  } catch {
    return []; // git grep exits 1 when nothing matches
  }
}

describe('one link lifecycle (structure)', () => {
  it('is the only module in lib/ and app/ that writes link history or a link row', () => {
    const sources = (needle: string) => filesContaining(needle, ['lib', 'app', 'pages', 'components']).filter((f) => !f.endsWith('.test.ts'));
    expect(sources('insert(linkHistory)')).toEqual(['lib/links/lifecycle.ts']);
    // authorize.ts moves a link's last use and expiry forward on each call (Art. 4); no status.
    expect(sources('update(links)')).toEqual(['lib/api/authorize.ts', 'lib/links/lifecycle.ts']);
  });
});

async function demoLinks() {
  return database.db
    .select({ id: links.id, status: links.status, expiresAt: links.expiresAt, clientId: providers.clientId, customerId: links.customerId })
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .innerJoin(customers, eq(customers.id, links.customerId));
}

describe(`one link lifecycle (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('writes exactly one typed history event, bumps the version and notifies the provider, in one step', async () => {
    const [active] = (await demoLinks()).filter((l) => l.status === 'active');
    if (!active) throw new Error('seed has no active link');
    const before = await database.db.select({ version: links.version }).from(links).where(eq(links.id, active.id));
    const change = await database.db.transaction(async (tx) => {
      const link = await lockLink(tx, { linkId: active.id });
      return changeLink(tx, link, { kind: 'suspend', reason: 2, note: 'test', withProvider: false }, { type: 'bank', id: 'cli:test' });
    });
    expect(change.version).toBe(before[0]!.version + 1);
    const history = await database.db.select().from(linkHistory).where(eq(linkHistory.linkId, active.id));
    const last = history.at(-1)!;
    expect(LINK_EVENTS).toContain(last.event);
    expect(last).toMatchObject({ event: 'link_suspended', actorType: 'bank', actorId: 'cli:test', detail: { reason: 2, note: 'test' } });
    const events = await database.db.select({ type: providerEvents.eventType }).from(providerEvents).where(eq(providerEvents.linkId, active.id));
    expect(events.map((e) => e.type)).toContain('link.suspended');
    // The domain refuses what SPEC §4 does not allow, and nothing is written.
    await expect(
      database.db.transaction(async (tx) => changeLink(tx, await lockLink(tx, { linkId: active.id }), { kind: 'suspend', reason: 2, note: 'again', withProvider: false }, { type: 'system' })),
    ).rejects.toSatisfy((e: unknown) => e instanceof DomainError && e.code === 'link_not_active');
    const after = await database.db.select({ id: linkHistory.id }).from(linkHistory).where(eq(linkHistory.linkId, active.id));
    expect(after).toHaveLength(history.length);
  });

  it('refuses an instruction on a link that stopped while it ran, so the instruction rolls back', async () => {
    const [revoked] = (await demoLinks()).filter((l) => l.status === 'revoked');
    if (!revoked) throw new Error('seed has no revoked link');
    await expect(
      database.db.transaction(async (tx) =>
        recordInstruction(tx, revoked.id, { event: 'transfer_instructed', item: 'transfers', detail: { amount: 1 } }, { type: 'provider', id: revoked.clientId }),
      ),
    ).rejects.toSatisfy((e: unknown) => e instanceof DomainError && e.code === 'link_not_active');
  });

  it('expires due links in bounded batches; two sweeps at once share the work and expire each link once', async () => {
    const later = new Date(Date.now() + 400 * DAY); // past every provider's inactivity period
    const due = (await demoLinks()).filter((l) => l.status === 'active' && l.expiresAt.getTime() <= later.getTime());
    expect(due.length).toBeGreaterThanOrEqual(2);
    const [a, b] = await Promise.all([expireInactiveLinks(database.db, later, 1), expireInactiveLinks(database.db, later, 1)]);
    expect(a + b).toBe(due.length);
    for (const link of due) {
      const rows = await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(linkHistory)
        .where(and(eq(linkHistory.linkId, link.id), eq(linkHistory.event, 'link_expired')));
      expect(rows[0]?.n, link.clientId).toBe(1);
    }
    const now = await demoLinks();
    expect(due.map((l) => now.find((n) => n.id === l.id)?.status)).toEqual(due.map(() => 'expired'));
    expect(await expireInactiveLinks(database.db, later, 1)).toBe(0);
  });
});
