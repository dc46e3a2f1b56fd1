import type { ReceiptDTO } from '@/lib/receipts/queries';

type Translate = (key: string, values?: Record<string, string>) => string;

/** What a receipt acknowledges, as a sentence (the history's wording, with the item's name). */
export function receiptTitle(t: Translate, receipt: Pick<ReceiptDTO, 'event' | 'snapshot'>): string {
  return t(`receipts.events.${receipt.event}`, { item: receipt.snapshot.item ? t(`items.${receipt.snapshot.item}.name`) : '' });
}
