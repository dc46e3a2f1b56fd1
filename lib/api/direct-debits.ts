import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { accounts, directDebitAgreements, linkAccounts } from '@/lib/db/schema';
import { recordInstruction } from '@/lib/links/lifecycle';
import type { ApiCaller } from './authorize';
import type { PostOutcome } from './idempotent-post';
import type { HeldKey } from './idempotency';
import { debitForInstruction, finisher } from './instruction-steps';
import { refusal } from './problems';
import { freeText, instructedYen, uuidField } from './bounds';

export const directDebitApplicationSchema = z
  .object({
    account_id: uuidField(),
    biller_name: freeText(100).trim().min(1),
    biller_code: z.string().max(20).regex(/^[A-Za-z0-9-]{1,20}$/),
    customer_reference: freeText(40).trim().min(1),
  })
  .strict();

export const directDebitTransferSchema = z
  .object({ agreement_id: uuidField(), amount: instructedYen(), memo: freeText(50).optional() })
  .strict();

/** Art. 3.2(2): a direct-debit application relayed by the provider, for an ordinary account in the consent. */
export async function applyForDirectDebit(caller: ApiCaller, input: z.infer<typeof directDebitApplicationSchema>, held: HeldKey): Promise<PostOutcome> {
  return caller.db.transaction(async (tx) => {
    const finish = finisher(tx, caller, held);
    const [account] = await tx
      .select({ id: accounts.id, type: accounts.type })
      .from(linkAccounts)
      .innerJoin(accounts, and(eq(accounts.id, linkAccounts.accountId), eq(accounts.customerId, caller.customerId)))
      .where(and(eq(linkAccounts.linkId, caller.linkId), eq(accounts.id, input.account_id)));
    if (!account) return finish(refusal('not-found', 'No such resource.'));
    if (account.type !== 'ordinary') return finish(refusal('account-not-eligible', 'Direct debits are drawn from an ordinary deposit account.'));
    const now = new Date();
    const [agreement] = await tx
      .insert(directDebitAgreements)
      .values({ linkId: caller.linkId, customerId: caller.customerId, accountId: account.id, billerName: input.biller_name, billerCode: input.biller_code, customerReference: input.customer_reference, status: 'active', createdAt: now })
      .returning({ id: directDebitAgreements.id });
    await recordInstruction(
      tx,
      caller.linkId,
      { event: 'direct_debit_applied', item: 'direct_debit_applications', detail: { agreementId: agreement!.id, name: input.biller_name } },
      { type: 'provider', id: caller.clientId },
      now,
    );
    return finish({ status: 201, body: { id: agreement!.id, status: 'active', account_id: account.id, biller_name: input.biller_name, biller_code: input.biller_code, customer_reference: input.customer_reference, created_at: now.toISOString() } });
  });
}

/**
 * Art. 3.2(3): a fund movement under an active agreement applied for through this same link: an
 * agreement relayed by one provider is not another provider's to draw on, even for the same
 * customer and an account both links share.
 */
export async function executeDirectDebitTransfer(caller: ApiCaller, input: z.infer<typeof directDebitTransferSchema>, held: HeldKey): Promise<PostOutcome> {
  return caller.db.transaction(async (tx) => {
    const finish = finisher(tx, caller, held);
    const [agreement] = await tx
      .select({ id: directDebitAgreements.id, accountId: directDebitAgreements.accountId, status: directDebitAgreements.status, billerName: directDebitAgreements.billerName })
      .from(directDebitAgreements)
      .where(and(eq(directDebitAgreements.id, input.agreement_id), eq(directDebitAgreements.customerId, caller.customerId), eq(directDebitAgreements.linkId, caller.linkId)));
    if (!agreement || agreement.status !== 'active') return finish(refusal('unknown-agreement', 'agreement_id is not an active direct-debit agreement applied for through this link.'));
    const [account] = await tx
      .select({ id: accounts.id, balance: accounts.balance })
      .from(linkAccounts)
      .innerJoin(accounts, and(eq(accounts.id, linkAccounts.accountId), eq(accounts.customerId, caller.customerId)))
      .where(and(eq(linkAccounts.linkId, caller.linkId), eq(accounts.id, agreement.accountId)))
      .for('update', { of: accounts });
    if (!account) return finish(refusal('not-found', 'No such resource.'));
    if (account.balance < input.amount) return finish(refusal('insufficient-funds', 'The balance is not enough for this movement.'));
    const now = new Date();
    const { instructionId, balanceAfter } = await debitForInstruction(
      tx,
      caller,
      {
        account,
        amount: input.amount,
        description: `口座振替 ${agreement.billerName}`,
        kind: 'direct_debit_transfer',
        agreementId: agreement.id,
        memo: input.memo,
        history: { event: 'direct_debit_transferred', item: 'direct_debit_transfers', detail: { name: agreement.billerName } },
      },
      now,
    );
    return finish({ status: 201, body: { id: instructionId, status: 'completed', agreement_id: agreement.id, amount: input.amount, currency: 'JPY', balance_after: balanceAfter, created_at: now.toISOString() } });
  });
}
