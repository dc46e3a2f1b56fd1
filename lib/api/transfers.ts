import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts, instructions, linkAccounts, linkHistory, payees, transactions } from '@/lib/db/schema';
import type { ApiCaller } from './authorize';
import { completeIdempotencyKey } from './idempotency';

export const MAX_TRANSFER_YEN = 10_000_000;

export const transferRequestSchema = z
  .object({
    from_account_id: z.string().uuid(),
    payee_id: z.string().uuid(),
    amount: z.number().int().positive().max(MAX_TRANSFER_YEN),
    memo: z.string().max(50).optional(),
  })
  .strict();

export type TransferRequest = z.infer<typeof transferRequestSchema>;
export type TransferOutcome = { status: number; body: Record<string, unknown> };


const problemBody = (status: number, code: string, title: string, detail: string) => ({ type: `https://renkei.example/problems/${code}`, title, status, detail });

/**
 * Art. 3.2(1): a transfer instruction relayed by the provider. One transaction: the account in
 * the consent and locked, a registered payee, enough balance; the debit, the instruction, the
 * link's history row and the idempotency record's response commit together.
 */
export async function executeTransfer(caller: ApiCaller, request: TransferRequest, idempotencyKey: string): Promise<TransferOutcome> {
  return caller.db.transaction(async (tx) => {
    const finish = async (outcome: TransferOutcome) => {
      await completeIdempotencyKey(tx, caller.clientId, idempotencyKey, outcome.status, outcome.body);
      return outcome;
    };
    const [account] = await tx
      .select({ id: accounts.id, type: accounts.type, balance: accounts.balance })
      .from(linkAccounts)
      .innerJoin(accounts, and(eq(accounts.id, linkAccounts.accountId), eq(accounts.customerId, caller.customerId)))
      .where(and(eq(linkAccounts.linkId, caller.linkId), eq(accounts.id, request.from_account_id)))
      .for('update', { of: accounts });
    if (!account) return finish({ status: 404, body: problemBody(404, 'not-found', 'Not Found', 'No such resource.') });
    if (account.type !== 'ordinary') return finish({ status: 422, body: problemBody(422, 'account-not-eligible', 'Unprocessable Content', 'Transfers are made from an ordinary deposit account.') });
    const [payee] = await tx
      .select({ id: payees.id, holder: payees.holderNameKana })
      .from(payees)
      .where(and(eq(payees.id, request.payee_id), eq(payees.customerId, caller.customerId)));
    if (!payee) return finish({ status: 422, body: problemBody(422, 'unknown-payee', 'Unprocessable Content', 'payee_id is not one of the customer’s registered payees.') });
    if (account.balance < request.amount) return finish({ status: 422, body: problemBody(422, 'insufficient-funds', 'Unprocessable Content', 'The balance is not enough for this transfer.') });

    const now = new Date();
    const balanceAfter = account.balance - request.amount;
    await tx.update(accounts).set({ balance: sql`${accounts.balance} - ${request.amount}` }).where(eq(accounts.id, account.id));
    await tx.insert(transactions).values({ accountId: account.id, bookedAt: now, amount: -request.amount, balanceAfter, description: `振込 ${payee.holder}` });
    const [instruction] = await tx
      .insert(instructions)
      .values({ linkId: caller.linkId, customerId: caller.customerId, kind: 'transfer', status: 'completed', fromAccountId: account.id, payeeId: payee.id, amount: request.amount, memo: request.memo ?? null, createdAt: now })
      .returning({ id: instructions.id });
    await tx.insert(linkHistory).values({
      linkId: caller.linkId,
      at: now,
      actorType: 'provider',
      actorId: caller.clientId,
      event: 'transfer_instructed',
      item: 'transfers',
      detail: { instructionId: instruction!.id, amount: request.amount, payee: payee.holder },
    });
    return finish({
      status: 201,
      body: { id: instruction!.id, status: 'completed', from_account_id: account.id, payee_id: payee.id, amount: request.amount, currency: 'JPY', balance_after: balanceAfter, created_at: now.toISOString() },
    });
  });
}
