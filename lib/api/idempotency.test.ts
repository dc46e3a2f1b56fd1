import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { onServer, openSecondInstance, openTestDatabase } from '@/test/db';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey, requestHash } from './idempotency';

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
    await completeIdempotencyKey(database.db, 'client-a', 'key-1', 201, '{"id":"x"}');
    expect(await claimIdempotencyKey(database.db, 'client-a', 'key-1', hash)).toEqual({ kind: 'replay', status: 201, body: '{"id":"x"}' });
  });

  it(`gives one effect for one key sent to two instances at once${onServer ? ' (two pools)' : ''}: one claim runs, the rest wait or replay its response`, async () => {
    const second = await openSecondInstance(database);
    try {
      const instances = [database.db, second.db];
      const hash = requestHash('POST', '/api/v1/transfers', '{"amount":7}');
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => claimIdempotencyKey(instances[i % 2]!, 'client-a', 'key-7', hash)));
      expect(claims.filter((c) => c.kind === 'new')).toHaveLength(1);
      await completeIdempotencyKey(instances[claims.findIndex((c) => c.kind === 'new') % 2]!, 'client-a', 'key-7', 201, '{"id":"y"}');
      for (const instance of instances) expect(await claimIdempotencyKey(instance, 'client-a', 'key-7', hash)).toEqual({ kind: 'replay', status: 201, body: '{"id":"y"}' });
    } finally {
      await second.close();
    }
  });

  it('replays the stored response byte for byte (issue 12, defect 4: jsonb reordered its keys)', async () => {
    const hash = requestHash('POST', '/api/v1/transfers', '{"amount":3}');
    expect((await claimIdempotencyKey(database.db, 'client-a', 'key-3', hash)).kind).toBe('new');
    // jsonb would store this as {"id": …, "status": …, "balance_after": …, "created_at": …}: sorted, with spaces.
    const sent = JSON.stringify({ status: 'completed', id: '9a8b', created_at: '2026-04-01T00:30:00.000Z', balance_after: 1_222_222, memo: '4月分 家賃' });
    await completeIdempotencyKey(database.db, 'client-a', 'key-3', 201, sent);
    const replay = await claimIdempotencyKey(database.db, 'client-a', 'key-3', hash);
    expect(replay.kind === 'replay' && replay.body).toBe(sent);
  });

  it('refuses the same key with another body, and keeps keys apart per provider', async () => {
    const a = requestHash('POST', '/api/v1/transfers', '{"amount":1}');
    const b = requestHash('POST', '/api/v1/transfers', '{"amount":2}');
    expect((await claimIdempotencyKey(database.db, 'client-a', 'key-2', a)).kind).toBe('new');
    expect((await claimIdempotencyKey(database.db, 'client-a', 'key-2', b)).kind).toBe('conflict');
    expect((await claimIdempotencyKey(database.db, 'client-b', 'key-2', b)).kind).toBe('new');
    await releaseIdempotencyKey(database.db, 'client-a', 'key-2');
    expect((await claimIdempotencyKey(database.db, 'client-a', 'key-2', b)).kind).toBe('new');
  });
});
