import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { accounts, linkAccounts, payees } from '@/lib/db/schema';
import type { ApiCaller } from './authorize';
import { freeText, instructedYen, uuidField } from './bounds';
import type { PostOutcome } from './idempotent-post';
import type { HeldKey } from './idempotency';
import { debitForInstruction, finisher } from './instruction-steps';
import { refusal } from './problems';


export const transferRequestSchema = z
  .object({
    from_account_id: uuidField(),
    payee_id: uuidField(),
    amount: instructedYen(),
    memo: freeText(50).optional(),
  })
  .strict();

export type TransferRequest = z.infer<typeof transferRequestSchema>;


/**
 * Art. 3.2(1): a transfer instruction relayed by the provider. One transaction: the account in
 * the consent and locked, a registered payee, enough balance; the debit, the instruction, the
 * link's history row and the idempotency record's response commit together.
 */
export async function executeTransfer(caller: ApiCaller, request: TransferRequest, held: HeldKey): Promise<PostOutcome> {
  return caller.db.transaction(async (tx) => {
    const finish = finisher(tx, caller, held);
    const [account] = await tx
      .select({ id: accounts.id, type: accounts.type, balance: accounts.balance })
      .from(linkAccounts)
      .innerJoin(accounts, and(eq(accounts.id, linkAccounts.accountId), eq(accounts.customerId, caller.customerId)))
      .where(and(eq(linkAccounts.linkId, caller.linkId), eq(accounts.id, request.from_account_id)))
      .for('update', { of: accounts });
    if (!account) return finish(refusal('not-found', 'No such resource.'));
    if (account.type !== 'ordinary') return finish(refusal('account-not-eligible', 'Transfers are made from an ordinary deposit account.'));
    const [payee] = await tx
      .select({ id: payees.id, holder: payees.holderNameKana })
      .from(payees)
      .where(and(eq(payees.id, request.payee_id), eq(payees.customerId, caller.customerId)));
    if (!payee) return finish(refusal('unknown-payee', 'payee_id is not one of the customer’s registered payees.'));
    if (account.balance < request.amount) return finish(refusal('insufficient-funds', 'The balance is not enough for this transfer.'));

    const now = new Date();
    const { instructionId, balanceAfter } = await debitForInstruction(
      tx,
      caller,
      {
        account,
        amount: request.amount,
        description: `振込 ${payee.holder}`,
        kind: 'transfer',
        payeeId: payee.id,
        memo: request.memo,
        history: { event: 'transfer_instructed', item: 'transfers', detail: { payee: payee.holder } },
      },
      now,
    );
    return finish({
      status: 201,
      body: { id: instructionId, status: 'completed', from_account_id: account.id, payee_id: payee.id, amount: request.amount, currency: 'JPY', balance_after: balanceAfter, created_at: now.toISOString() },
    });
  });
}
