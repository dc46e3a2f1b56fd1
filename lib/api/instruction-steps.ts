import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/lib/db/connect';
import { accounts, instructions, transactions } from '@/lib/db/schema';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { recordInstruction, type InstructionEvent } from '@/lib/links/lifecycle';
import type { ApiCaller } from './authorize';
import { completeIdempotencyKey, type HeldKey } from './idempotency';
import type { PostOutcome } from './idempotent-post';

// Steps shared by the instructions of the provider API (transfers, direct debits).

/**
 * Ends an instruction: its response is serialised once and stored with the Idempotency-Key in the
 * same transaction (or, when the key was taken over meanwhile, the transaction rolls back); the
 * same bytes are sent now and on every replay.
 */
export function finisher(tx: Tx, caller: ApiCaller, held: HeldKey) {
  return async (outcome: Omit<PostOutcome, 'text'>): Promise<PostOutcome> => {
    const text = JSON.stringify(outcome.body);
    await completeIdempotencyKey(tx, caller.clientId, held, outcome.status, text);
    return { ...outcome, text };
  };
}

/**
 * Moves money out of a locked account: the debit, the statement line, the instruction and the
 * link's history row, all in the caller's transaction. Returns the instruction id and balance.
 */
export async function debitForInstruction(
  tx: Tx,
  caller: ApiCaller,
  input: {
    account: { id: string; balance: number };
    amount: number;
    description: string;
    kind: 'transfer' | 'direct_debit_transfer';
    payeeId?: string;
    agreementId?: string;
    memo?: string;
    history: { event: InstructionEvent; item: PermissionItem; detail: Record<string, unknown> };
  },
  now: Date,
): Promise<{ instructionId: string; balanceAfter: number }> {
  const balanceAfter = input.account.balance - input.amount;
  await tx.update(accounts).set({ balance: sql`${accounts.balance} - ${input.amount}` }).where(eq(accounts.id, input.account.id));
  await tx.insert(transactions).values({ accountId: input.account.id, bookedAt: now, amount: -input.amount, balanceAfter, description: input.description });
  const [instruction] = await tx
    .insert(instructions)
    .values({
      linkId: caller.linkId,
      customerId: caller.customerId,
      kind: input.kind,
      status: 'completed',
      fromAccountId: input.account.id,
      payeeId: input.payeeId ?? null,
      agreementId: input.agreementId ?? null,
      amount: input.amount,
      memo: input.memo ?? null,
      createdAt: now,
    })
    .returning({ id: instructions.id });
  if (!instruction) throw new Error('instruction insert failed');
  await recordInstruction(
    tx,
    caller.linkId,
    { event: input.history.event, item: input.history.item, detail: { instructionId: instruction.id, amount: input.amount, ...input.history.detail } },
    { type: 'provider', id: caller.clientId },
    now,
  );
  return { instructionId: instruction.id, balanceAfter };
}
