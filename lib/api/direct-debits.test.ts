import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { accounts, customers, linkAccounts, links } from '@/lib/db/schema';
import { onServer, openTestDatabase } from '@/test/db';
import type { ApiCaller } from './authorize';
import { applyForDirectDebit, executeDirectDebitTransfer } from './direct-debits';
import { claimIdempotencyKey, requestHash, type HeldKey } from './idempotency';

// Direct debits below the HTTP layer: two links of one customer (two providers) that share an account.

let database: Database;
let first: ApiCaller;
let second: ApiCaller;
let ordinary: string;

beforeAll(async () => {
  database = await openTestDatabase();
  const db = database.db;
  const [demo] = await db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, 'demo'));
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.customerId, demo!.id), eq(accounts.type, 'ordinary')));
  ordinary = account!.id;
  const own = await db.select({ id: links.id }).from(links).where(eq(links.customerId, demo!.id)).limit(2);
  expect(own).toHaveLength(2);
  for (const link of own) await db.insert(linkAccounts).values({ linkId: link.id, accountId: ordinary }).onConflictDoNothing();
  const caller = (linkId: string, clientId: string): ApiCaller => ({ db, linkId, customerId: demo!.id, clientId, item: 'direct_debit_transfers', account: null });
  first = caller(own[0]!.id, 'provider-first');
  second = caller(own[1]!.id, 'provider-second');
});
afterAll(async () => {
  await database?.close();
});

/** Claims a fresh Idempotency-Key as the route does before running the instruction. */
async function key(caller: ApiCaller): Promise<HeldKey> {
  const k = randomUUID();
  const claim = await claimIdempotencyKey(caller.db, caller.clientId, k, requestHash('POST', '/x', k));
  if (claim.kind !== 'new') throw new Error(`key not claimed: ${claim.kind}`);
  return claim.held;
}

describe(`direct debits (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('draws only on agreements applied for through the same link: another link of the same customer gets 422', async () => {
    const applied = await applyForDirectDebit(first, { account_id: ordinary, biller_name: '東京電力', biller_code: 'TEPCO-01', customer_reference: 'A-1' }, await key(first));
    expect(applied.status).toBe(201);
    const agreementId = (applied.body as { id: string }).id;
    const [before] = await database.db.select({ balance: accounts.balance }).from(accounts).where(eq(accounts.id, ordinary));

    const elsewhere = await executeDirectDebitTransfer(second, { agreement_id: agreementId, amount: 1_000 }, await key(second));
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toMatchObject({ type: 'https://renkei.example/problems/unknown-agreement' });
    const [unchanged] = await database.db.select({ balance: accounts.balance }).from(accounts).where(eq(accounts.id, ordinary));
    expect(unchanged!.balance).toBe(before!.balance);

    const own = await executeDirectDebitTransfer(first, { agreement_id: agreementId, amount: 1_000 }, await key(first));
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ agreement_id: agreementId, amount: 1_000, balance_after: before!.balance - 1_000 });
  });
});
