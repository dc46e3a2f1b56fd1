import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onServer, openTestDatabase } from './db';

// postgres-js 3.4.9 can write a transaction's BEGIN without reserving its connection when BEGIN is
// the query that fills a connection's pipeline (porsager/postgres#823, #1189): the transaction's
// statements and other requests' queries then share one backend. The race test of the provider API
// (1 000 calls and a stop, lib/api/authorize.test.ts) met it as UNSAFE_TRANSACTION. The fix is
// patches/postgres+3.4.9.patch (applied on install by patch-package; decision 43); these tests
// drive the driver into exactly that corner and fail without it.

/** The driver's `max_pipeline` option (queries in flight per connection), missing from its types. */
const pipeline = (n: number) => ({ max_pipeline: n }) as unknown as Record<string, never>;

let url = '';
let close: () => Promise<void> = async () => {};
beforeAll(async () => {
  if (!onServer) return;
  const database = await openTestDatabase({ seed: false });
  url = database.url!;
  close = database.close;
});
afterAll(async () => close());

describe('the PostgreSQL driver under pipelining (patched postgres-js)', () => {
  it.runIf(onServer)('runs sql.begin() even when no query may be pipelined at all (max_pipeline: 0 refused every BEGIN)', async () => {
    const sql = postgres(url, { max: 4, onnotice: () => {}, ...pipeline(0) });
    try {
      for (let i = 0; i < 5; i++) {
        const [row] = await sql.begin((tx) => tx`select ${i}::int as i, pg_backend_pid() as pid, now() = statement_timestamp() as fresh`);
        expect(row?.i).toBe(i);
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  it.runIf(onServer)('keeps each transaction on its own connection when BEGIN fills a busy pipeline: no query of another request runs inside it', async () => {
    const sql = postgres(url, { max: 3, onnotice: () => {}, ...pipeline(2) });
    const failures: string[] = [];
    try {
      for (let round = 0; round < 20; round++) {
        // every connection busy with one query and one more in its pipeline, so that the next
        // query sent on it fills the pipeline: a BEGIN (then more ordinary queries, all at once)
        // (.execute() sends at once, in this order: sql.begin() sends its BEGIN at once as well)
        const outside = () => sql`select coalesce(current_setting('renkei.probe', true), '') as probe`.execute();
        const busy = Array.from({ length: 3 }, () => sql`select pg_sleep(0.05)`.execute());
        const before = Array.from({ length: 3 }, outside);
        const transactions = Array.from({ length: 5 }, (_, i) =>
          sql.begin(async (tx) => {
            await tx`select set_config('renkei.probe', ${`tx-${round}-${i}`}, true)`;
            const [first] = await tx`select pg_backend_pid() as pid`;
            await new Promise((resolve) => setTimeout(resolve, 5));
            const [again] = await tx`select pg_backend_pid() as pid, current_setting('renkei.probe', true) as probe`;
            if (first?.pid !== again?.pid || again?.probe !== `tx-${round}-${i}`) failures.push(`round ${round} transaction ${i} moved or lost its setting`);
          }),
        );
        // a query outside every transaction must never see a transaction's local setting
        const after = Array.from({ length: 6 }, outside);
        const results = await Promise.allSettled([...busy, ...before, ...transactions, ...after]);
        for (const r of results) if (r.status === 'rejected') failures.push(`round ${round}: ${(r.reason as Error).message}`);
        for (const r of [...results.slice(busy.length, busy.length + before.length), ...results.slice(busy.length + before.length + transactions.length)]) {
          const probe = r.status === 'fulfilled' ? String((r.value as unknown as Array<{ probe: string }>)[0]?.probe ?? '') : '';
          if (probe.startsWith('tx-')) failures.push(`round ${round}: a query outside ran inside ${probe}`);
        }
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
