import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { onServer, openSecondInstance, openTestDatabase } from '@/test/db';
import { sql } from 'drizzle-orm';
import { idempotencyKeys } from '@/lib/db/schema';
import { claimIdempotencyKey, completeIdempotencyKey, IdempotencyClaimLost, IN_FLIGHT_TAKEOVER_S, releaseIdempotencyKey, requestHash, type HeldKey, type IdempotencyClaim } from './idempotency';

/** The key a claim holds; fails the test when it holds none. */
function held(claim: IdempotencyClaim | undefined): HeldKey {
  if (claim?.kind !== 'new') throw new Error(`expected a new claim, got ${claim?.kind}`);
  return claim.held;
}

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase({ seed: false });
});
afterAll(async () => {
  await database?.close();
});

describe(`idempotency keys (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('lets one of many concurrent claims run; the others see it in flight, then its response', async () => {
    const hash = requestHash('POST', '/api/v1/transfers', '{"amount":1}');
    const claims = await Promise.all(Array.from({ length: 12 }, () => claimIdempotencyKey(database.db, 'client-a', 'key-1', hash)));
    expect(claims.filter((c) => c.kind === 'new')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'in_flight')).toHaveLength(11);
    await completeIdempotencyKey(database.db, 'client-a', held(claims.find((c) => c.kind === 'new')), 201, '{"id":"x"}');
    expect(await claimIdempotencyKey(database.db, 'client-a', 'key-1', hash)).toEqual({ kind: 'replay', status: 201, body: '{"id":"x"}' });
  });

  it(`gives one effect for one key sent to two instances at once${onServer ? ' (two pools)' : ''}: one claim runs, the rest wait or replay its response`, async () => {
    const second = await openSecondInstance(database);
    try {
      const instances = [database.db, second.db];
      const hash = requestHash('POST', '/api/v1/transfers', '{"amount":7}');
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => claimIdempotencyKey(instances[i % 2]!, 'client-a', 'key-7', hash)));
      expect(claims.filter((c) => c.kind === 'new')).toHaveLength(1);
      await completeIdempotencyKey(instances[claims.findIndex((c) => c.kind === 'new') % 2]!, 'client-a', held(claims.find((c) => c.kind === 'new')), 201, '{"id":"y"}');
      for (const instance of instances) expect(await claimIdempotencyKey(instance, 'client-a', 'key-7', hash)).toEqual({ kind: 'replay', status: 201, body: '{"id":"y"}' });
    } finally {
      await second.close();
    }
  });

  it('replays the stored response byte for byte (issue 12, defect 4: jsonb reordered its keys)', async () => {
    const hash = requestHash('POST', '/api/v1/transfers', '{"amount":3}');
    const claim = await claimIdempotencyKey(database.db, 'client-a', 'key-3', hash);
    // jsonb would store this as {"id": …, "status": …, "balance_after": …, "created_at": …}: sorted, with spaces.
    const sent = JSON.stringify({ status: 'completed', id: '9a8b', created_at: '2026-04-01T00:30:00.000Z', balance_after: 1_222_222, memo: '4月分 家賃' });
    await completeIdempotencyKey(database.db, 'client-a', held(claim), 201, sent);
    const replay = await claimIdempotencyKey(database.db, 'client-a', 'key-3', hash);
    expect(replay.kind === 'replay' && replay.body).toBe(sent);
  });

  it('refuses the same key with another body, and keeps keys apart per provider', async () => {
    const a = requestHash('POST', '/api/v1/transfers', '{"amount":1}');
    const b = requestHash('POST', '/api/v1/transfers', '{"amount":2}');
    const first = await claimIdempotencyKey(database.db, 'client-a', 'key-2', a);
    expect((await claimIdempotencyKey(database.db, 'client-a', 'key-2', b)).kind).toBe('conflict');
    expect((await claimIdempotencyKey(database.db, 'client-b', 'key-2', b)).kind).toBe('new');
    await releaseIdempotencyKey(database.db, 'client-a', held(first));
    expect((await claimIdempotencyKey(database.db, 'client-a', 'key-2', b)).kind).toBe('new');
  });

  it(`frees a key whose claim was lost midway (the instance died) after ${IN_FLIGHT_TAKEOVER_S} s, and lets only one of the two claims commit`, async () => {
    const hash = requestHash('POST', '/api/v1/transfers', '{"amount":9}');
    const dead = held(await claimIdempotencyKey(database.db, 'client-a', 'key-9', hash));
    // Moments later the key is still in flight; another body is still refused.
    expect((await claimIdempotencyKey(database.db, 'client-a', 'key-9', hash)).kind).toBe('in_flight');
    expect((await claimIdempotencyKey(database.db, 'client-a', 'key-9', requestHash('POST', '/api/v1/transfers', '{"amount":8}'))).kind).toBe('conflict');
    // The claim is older than the takeover time: the next request with the same body takes it.
    await database.db.execute(sql`update idempotency_keys set created_at = now() - make_interval(secs => ${IN_FLIGHT_TAKEOVER_S + 1}) where key = 'key-9'`);
    const claims = await Promise.all(Array.from({ length: 6 }, () => claimIdempotencyKey(database.db, 'client-a', 'key-9', hash)));
    expect(claims.filter((c) => c.kind === 'new')).toHaveLength(1);
    const taker = held(claims.find((c) => c.kind === 'new'));
    expect(taker.claimId).not.toBe(dead.claimId);
    // The first request, had it only been slow, cannot complete now: its transaction rolls back with its effect.
    // (Its "effect" here is a row it writes in the same transaction.)
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(idempotencyKeys).values({ clientId: 'client-a', key: 'effect-of-9', requestHash: hash, state: 'done' });
        await completeIdempotencyKey(tx, 'client-a', dead, 201, '{"id":"first"}');
      }),
    ).rejects.toBeInstanceOf(IdempotencyClaimLost);
    expect((await claimIdempotencyKey(database.db, 'client-a', 'effect-of-9', hash)).kind).toBe('new');
    // Nor can it release the key the second holds.
    await releaseIdempotencyKey(database.db, 'client-a', dead);
    expect((await claimIdempotencyKey(database.db, 'client-a', 'key-9', hash)).kind).toBe('in_flight');
    await completeIdempotencyKey(database.db, 'client-a', taker, 201, '{"id":"second"}');
    expect(await claimIdempotencyKey(database.db, 'client-a', 'key-9', hash)).toEqual({ kind: 'replay', status: 201, body: '{"id":"second"}' });
    // A completed key is never taken over, however old.
    await database.db.execute(sql`update idempotency_keys set created_at = now() - interval '1 day' where key = 'key-9'`);
    expect(await claimIdempotencyKey(database.db, 'client-a', 'key-9', hash)).toEqual({ kind: 'replay', status: 201, body: '{"id":"second"}' });
  });
});
