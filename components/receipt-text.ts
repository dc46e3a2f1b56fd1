import { suspensionReasonKey } from '@/lib/domain/link-status';
import type { ReceiptDTO } from '@/lib/receipts/queries';

type Translate = (key: string, values?: Record<string, string | number>) => string;
type FormatDate = (date: Date, style: 'date' | 'dateTime') => string;

/** What a receipt acknowledges, as a sentence (the history's wording, with the item's name). */
export function receiptTitle(t: Translate, receipt: Pick<ReceiptDTO, 'event' | 'snapshot'>): string {
  return t(`receipts.events.${receipt.event}`, { item: receipt.snapshot.item ? t(`items.${receipt.snapshot.item}.name`) : '' });
}

/** One line of the sheet: a label and its value's lines; `tabular` for figures, `dateTime` for a <time>. */
export type ReceiptRow = { key: string; label: string; lines: string[]; strongFirst?: boolean; tabular?: boolean; dateTime?: string };
export type ReceiptSheet = { issuer: string; title: string; rows: ReceiptRow[]; footnote: string };

/**
 * Everything one receipt says, as text, in the customer's language: the receipt page and its PDF
 * (app/(portal)/receipts/[id]) print the same sheet.
 */
export function receiptSheet(t: Translate, formatDate: FormatDate, locale: string, receipt: ReceiptDTO & { customer: { nameJa: string; nameEn: string } }): ReceiptSheet {
  const s = receipt.snapshot;
  const en = locale === 'en';
  const list = (names: string[]) => names.join(en ? ', ' : '、');
  const inForce = s.status === 'active' || s.status === 'suspended';
  const row = (key: string, lines: string[], extra: Partial<ReceiptRow> = {}): ReceiptRow => ({ key, label: t(`receipts.${key === 'number' ? 'numberLabel' : key}`), lines, ...extra });
  const rows: ReceiptRow[] = [
    row('number', [receipt.number], { tabular: true }),
    row('when', [formatDate(receipt.at, 'dateTime')], { tabular: true, dateTime: receipt.at.toISOString() }),
    row('what', [receiptTitle(t, receipt)]),
    row('who', [t(`history.actor.${receipt.actorType}`) + (s.stepUp ? `（${t('history.stepUp')}）` : '')]),
    row('customer', [t('nav.signedInAs', { name: en ? receipt.customer.nameEn : receipt.customer.nameJa })]),
    row('provider', [en ? s.provider.nameEn : s.provider.nameJa, `${en ? s.provider.legalNameEn : s.provider.legalNameJa}・${t('dashboard.registration', { number: s.provider.registrationNumber })}`], { strongFirst: true }),
    row('status', [t(`status.${s.status}`)]),
    ...(s.reason !== null ? [row('reason', [t(`suspension.${suspensionReasonKey(s.reason)}`)])] : []),
    row('items', [s.itemsInForce.length > 0 ? list(s.itemsInForce.map((i) => t(`items.${i}.name`))) : t(inForce ? 'receipts.noItems' : 'receipts.noItemsEnded')]),
    ...(s.declined.length > 0 ? [row('declined', [list(s.declined.map((i) => t(`items.${i}.name`)))])] : []),
    row('accounts', s.accounts.length > 0 ? s.accounts.map((a) => `${t(`accountTypes.${a.type}`)}・${a.branchName}・${a.maskedNumber}`) : [t('receipts.noAccounts')], { tabular: true }),
    ...(inForce ? [row('expires', [formatDate(new Date(s.expiresAt), 'date')])] : []),
    row('terms', [
      t('receipts.termsValue', { version: /^\d{4}-\d{2}-\d{2}$/.test(s.termsVersion) ? formatDate(new Date(`${s.termsVersion}T00:00:00+09:00`), 'date') : s.termsVersion }),
    ]),
  ];
  return { issuer: t('receipts.issuer'), title: t('receipts.sheetTitle'), rows, footnote: t('receipts.footnote') };
}
