import { and, desc, eq, lt } from 'drizzle-orm';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Executor } from '@/lib/db/connect';
import { customers, receipts } from '@/lib/db/schema';
import { isUuid } from '@/lib/domain/ids';
import { receiptNumber, type ReceiptEvent, type ReceiptSnapshot } from './write';

export type ReceiptDTO = {
  id: string;
  number: string;
  linkId: string;
  event: ReceiptEvent;
  at: Date;
  actorType: 'customer' | 'provider' | 'bank' | 'system';
  snapshot: ReceiptSnapshot;
};

/** Receipts per page on the receipts page. */
export const RECEIPTS_PAGE = 20;

const columns = {
  id: receipts.id,
  seq: receipts.seq,
  linkId: receipts.linkId,
  event: receipts.event,
  at: receipts.at,
  actorType: receipts.actorType,
  snapshot: receipts.snapshot,
};

function toDTO(row: { id: string; seq: number; linkId: string; event: string; at: Date; actorType: ReceiptDTO['actorType']; snapshot: Record<string, unknown> }): ReceiptDTO {
  return { id: row.id, number: receiptNumber(row.seq), linkId: row.linkId, event: row.event as ReceiptEvent, at: row.at, actorType: row.actorType, snapshot: row.snapshot as unknown as ReceiptSnapshot };
}

/**
 * The customer's own receipts, newest first, a page at a time (`before`: the number of the last one
 * shown); only theirs (the principal's customer id is in every query), optionally of one link.
 */
export async function listReceipts(
  db: Executor,
  principal: CustomerPrincipal,
  options: { before?: string | null; linkId?: string | null; limit?: number } = {},
): Promise<{ receipts: ReceiptDTO[]; next: string | null }> {
  const limit = options.limit ?? RECEIPTS_PAGE;
  const before = /^R\d{10}$/.test(options.before ?? '') ? Number(options.before!.slice(1)) : null;
  if (options.linkId && !isUuid(options.linkId)) return { receipts: [], next: null };
  const rows = await db
    .select(columns)
    .from(receipts)
    .where(and(eq(receipts.customerId, principal.customerId), options.linkId ? eq(receipts.linkId, options.linkId) : undefined, before !== null ? lt(receipts.seq, before) : undefined))
    .orderBy(desc(receipts.seq))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(toDTO);
  return { receipts: page, next: rows.length > limit ? (page.at(-1)?.number ?? null) : null };
}

/** One receipt of the customer's, with the customer's name for the printed copy; null for anyone else's. */
export async function getReceipt(db: Executor, principal: CustomerPrincipal, id: string): Promise<(ReceiptDTO & { customer: { nameJa: string; nameEn: string; customerNumber: string } }) | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({ ...columns, nameJa: customers.nameJa, nameEn: customers.nameEn, customerNumber: customers.customerNumber })
    .from(receipts)
    .innerJoin(customers, eq(customers.id, receipts.customerId))
    .where(and(eq(receipts.id, id), eq(receipts.customerId, principal.customerId)));
  if (!row) return null;
  const { nameJa, nameEn, customerNumber, ...receipt } = row;
  return { ...toDTO(receipt), customer: { nameJa, nameEn, customerNumber } };
}
