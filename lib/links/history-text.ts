import { isLinkEvent } from '@/lib/domain/link-events';
import { PERMISSION_ITEM_IDS, type PermissionItem } from '@/lib/domain/permission-items';

/** The part of next-intl's translator the history needs (server `getTranslations()` or `createTranslator`). */
type Translate = (key: string, values?: Record<string, string>) => string;

/**
 * One history row as a sentence in the reader's language. Every event the lifecycle writes is in
 * LINK_EVENTS and has a sentence in both catalogues (tests); a row from an older release that is
 * not in the list still reads as words, never as a raw key or a crash.
 */
export function historyText(t: Translate, h: { event: string; item: PermissionItem | null; detail: Record<string, unknown> }): string {
  if (!isLinkEvent(h.event)) return t('history.unknown');
  const sentence = t(`history.${h.event}`, {
    item: h.item ? t(`items.${h.item}.name`) : '',
    name: typeof h.detail.name === 'string' ? h.detail.name : typeof h.detail.payee === 'string' ? h.detail.payee : '',
    amount: typeof h.detail.amount === 'number' ? new Intl.NumberFormat('ja-JP').format(h.detail.amount) : '',
  });
  if (h.event !== 'consent_updated') return sentence;
  // Grant Management update/replace: which items it added and which it stopped.
  const names = (value: unknown) =>
    (Array.isArray(value) ? value : [])
      .filter((i): i is PermissionItem => (PERMISSION_ITEM_IDS as readonly unknown[]).includes(i))
      .map((i) => t(`items.${i}.name`))
      .join(t('historyChanges.itemSeparator'));
  const added = names(h.detail.added);
  const removed = names(h.detail.removed);
  const changes = [added ? t('historyChanges.added', { items: added }) : '', removed ? t('historyChanges.removed', { items: removed }) : ''].filter(Boolean);
  return changes.length > 0 ? t('historyChanges.changes', { sentence, changes: changes.join(t('historyChanges.separator')) }) : sentence;
}
