import { and, asc, desc, eq, gte, lt, or, sql } from 'drizzle-orm';
import { preparedPerDb } from '@/lib/db/connect';
import { accounts, linkAccounts, payees, transactions } from '@/lib/db/schema';
import { maskAccountNumber } from '@/lib/domain/accounts';
import type { ApiCaller } from './authorize';
import { MAX_LIST_ITEMS } from './bounds';

// Reads for the provider API. Each takes the authorised caller: only the link's own accounts.

export async function accountsOfLink(caller: ApiCaller) {
  const rows = await caller.db
    .select({ id: accounts.id, type: accounts.type, branchCode: accounts.branchCode, branchName: accounts.branchName, accountNumber: accounts.accountNumber })
    .from(linkAccounts)
    .innerJoin(accounts, and(eq(accounts.id, linkAccounts.accountId), eq(accounts.customerId, caller.customerId)))
    .where(eq(linkAccounts.linkId, caller.linkId))
    .orderBy(asc(accounts.type), asc(accounts.accountNumber))
    .limit(MAX_LIST_ITEMS);
  return rows.map((a) => ({ id: a.id, type: a.type, branch_code: a.branchCode, branch_name: a.branchName, masked_number: maskAccountNumber(a.accountNumber), currency: 'JPY' }));
}

const balanceStatement = preparedPerDb((db) =>
  db
    .select({ id: accounts.id, type: accounts.type, balance: accounts.balance })
    .from(accounts)
    .where(and(eq(accounts.id, sql.placeholder('accountId')), eq(accounts.customerId, sql.placeholder('customerId'))))
    .prepare('api_balance'),
);

/** The balance: as the consent check read it in its own statement when it is that account's call, else read now. */
export async function balanceOf(caller: ApiCaller, accountId: string) {
  const [row] = caller.account?.id === accountId ? [caller.account] : await balanceStatement(caller.db).execute({ accountId, customerId: caller.customerId });
  return row ? { account_id: row.id, type: row.type, balance: row.balance, currency: 'JPY', as_of: new Date().toISOString() } : null;
}

const PAGE_SIZE = 50;

/** Keyset pagination, newest first: the cursor is the last row's booked_at and id. */
export async function transactionsOf(caller: ApiCaller, accountId: string, range: { from?: Date; to?: Date; cursor?: { at: Date; id: string } }) {
  const conditions = [eq(transactions.accountId, accountId)];
  if (range.from) conditions.push(gte(transactions.bookedAt, range.from));
  if (range.to) conditions.push(lt(transactions.bookedAt, range.to));
  if (range.cursor) {
    const c = range.cursor;
    conditions.push(or(lt(transactions.bookedAt, c.at), and(eq(transactions.bookedAt, c.at), lt(transactions.id, c.id)))!);
  }
  const rows = await caller.db
    .select({ id: transactions.id, bookedAt: transactions.bookedAt, amount: transactions.amount, balanceAfter: transactions.balanceAfter, description: transactions.description })
    .from(transactions)
    .innerJoin(accounts, and(eq(accounts.id, transactions.accountId), eq(accounts.customerId, caller.customerId)))
    .where(and(...conditions))
    .orderBy(desc(transactions.bookedAt), desc(transactions.id))
    .limit(PAGE_SIZE + 1);
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  return {
    transactions: page.map((t) => ({ id: t.id, booked_at: t.bookedAt.toISOString(), amount: t.amount, balance_after: t.balanceAfter, description: t.description, currency: 'JPY' })),
    next_cursor: rows.length > PAGE_SIZE && last ? Buffer.from(`${last.bookedAt.toISOString()}|${last.id}`).toString('base64url') : null,
  };
}

export function parseCursor(value: string | null): { at: Date; id: string } | null | 'invalid' {
  if (!value) return null;
  if (value.length > 128 || !/^[A-Za-z0-9_-]+$/.test(value)) return 'invalid';
  const [at, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) return 'invalid';
  return { at: date, id };
}

export async function payeesOf(caller: ApiCaller) {
  const rows = await caller.db
    .select({ id: payees.id, bankName: payees.bankName, branchName: payees.branchName, accountType: payees.accountType, accountNumber: payees.accountNumber, holderNameKana: payees.holderNameKana })
    .from(payees)
    .where(eq(payees.customerId, caller.customerId))
    .orderBy(asc(payees.createdAt))
    .limit(MAX_LIST_ITEMS);
  return rows.map((p) => ({ id: p.id, bank_name: p.bankName, branch_name: p.branchName, account_type: p.accountType, masked_number: maskAccountNumber(p.accountNumber), holder_name_kana: p.holderNameKana }));
}
