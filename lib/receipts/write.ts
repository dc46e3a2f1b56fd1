import { asc, eq } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { accounts, linkAccounts, linkItems, links, providers, receipts } from '@/lib/db/schema';
import { maskAccountNumber, type AccountType } from '@/lib/domain/accounts';
import type { LinkEvent } from '@/lib/domain/link-events';
import type { LinkStatus } from '@/lib/domain/link-status';
import { PERMISSION_ITEM_IDS, type PermissionItem } from '@/lib/domain/permission-items';

/**
 * The changes the customer gets a receipt for (issue 14 §2; Australia's CDR rule 4.18 and the EU
 * FiDA dashboard): what establishes, amends or ends what a provider may do. Instructions have their
 * own records; a chained-connection stop request is a request, acknowledged in the history.
 */
export const RECEIPT_EVENTS = [
  'consent_given',
  'consent_renewed',
  'consent_updated',
  'item_granted',
  'item_revoked',
  'link_revoked',
  'link_expired',
  'link_suspended',
  'link_resumed',
  'link_terminated',
] as const satisfies readonly LinkEvent[];
export type ReceiptEvent = (typeof RECEIPT_EVENTS)[number];

export function isReceiptEvent(event: string): event is ReceiptEvent {
  return (RECEIPT_EVENTS as readonly string[]).includes(event);
}

/** What a receipt says, fixed when it is written: the link as it stood right after the change. */
export type ReceiptSnapshot = {
  provider: { nameJa: string; nameEn: string; legalNameJa: string; legalNameEn: string; registrationNumber: string };
  status: LinkStatus;
  expiresAt: string;
  termsVersion: string;
  /** The item this change was about (grant, revoke). */
  item: PermissionItem | null;
  /** The items the provider may use after the change (none once the link has ended). */
  itemsInForce: PermissionItem[];
  /** Items the consent screen offered and the customer declined. */
  declined: PermissionItem[];
  accounts: { type: AccountType; branchName: string; maskedNumber: string }[];
  /** Art. 5.2 reason of a suspension or termination; how a stop came (portal / provider). */
  reason: number | null;
  via: string | null;
  stepUp: boolean;
};

/**
 * Writes the receipt of one history row, in the change's transaction (the lifecycle calls it right
 * after the history). Only customer-facing facts go in: never an operator's internal note.
 */
export async function writeReceipt(
  tx: Executor,
  input: { linkId: string; historyId: number; event: ReceiptEvent; actorType: 'customer' | 'provider' | 'bank' | 'system'; item: PermissionItem | null; detail: Record<string, unknown>; now: Date },
): Promise<void> {
  const [[link], items, linked] = await Promise.all([
    tx
      .select({
        customerId: links.customerId,
        status: links.status,
        expiresAt: links.expiresAt,
        termsVersionId: links.termsVersionId,
        nameJa: providers.nameJa,
        nameEn: providers.nameEn,
        legalNameJa: providers.legalNameJa,
        legalNameEn: providers.legalNameEn,
        registrationNumber: providers.registrationNumber,
      })
      .from(links)
      .innerJoin(providers, eq(providers.id, links.providerId))
      .where(eq(links.id, input.linkId)),
    tx.select({ item: linkItems.item, granted: linkItems.granted }).from(linkItems).where(eq(linkItems.linkId, input.linkId)),
    tx
      .select({ type: accounts.type, branchName: accounts.branchName, accountNumber: accounts.accountNumber })
      .from(linkAccounts)
      .innerJoin(accounts, eq(accounts.id, linkAccounts.accountId))
      .where(eq(linkAccounts.linkId, input.linkId))
      .orderBy(asc(accounts.type), asc(accounts.accountNumber)),
  ]);
  if (!link) throw new Error(`receipt: link ${input.linkId} not found`);
  const ended = link.status === 'revoked' || link.status === 'terminated' || link.status === 'expired';
  const granted = new Set(items.filter((i) => i.granted).map((i) => i.item));
  const snapshot: ReceiptSnapshot = {
    provider: { nameJa: link.nameJa, nameEn: link.nameEn, legalNameJa: link.legalNameJa, legalNameEn: link.legalNameEn, registrationNumber: link.registrationNumber },
    status: link.status,
    expiresAt: link.expiresAt.toISOString(),
    termsVersion: link.termsVersionId,
    item: input.item,
    itemsInForce: ended ? [] : PERMISSION_ITEM_IDS.filter((id) => granted.has(id)),
    declined: Array.isArray(input.detail.declined) ? (input.detail.declined as PermissionItem[]) : [],
    accounts: linked.map((a) => ({ type: a.type, branchName: a.branchName, maskedNumber: maskAccountNumber(a.accountNumber) })),
    reason: typeof input.detail.reason === 'number' ? input.detail.reason : null,
    via: typeof input.detail.via === 'string' ? input.detail.via : null,
    stepUp: input.detail.stepUp === true,
  };
  await tx.insert(receipts).values({
    customerId: link.customerId,
    linkId: input.linkId,
    historyId: input.historyId,
    event: input.event,
    at: input.now,
    actorType: input.actorType,
    snapshot: snapshot as unknown as Record<string, unknown>,
  });
}

/** The receipt number the customer sees and quotes. */
export function receiptNumber(seq: number): string {
  return `R${String(seq).padStart(10, '0')}`;
}
