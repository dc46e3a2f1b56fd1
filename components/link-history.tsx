import { getFormatter, getTranslations } from 'next-intl/server';
import type { PermissionItem } from '@/lib/domain/permission-items';
import type { HistoryEntryDTO } from '@/lib/links/queries';
import { Card } from './ui/card';

const KNOWN_EVENTS = new Set([
  'consent_given',
  'consent_renewed',
  'item_granted',
  'item_revoked',
  'link_revoked',
  'link_expired',
  'link_suspended',
  'link_resumed',
  'link_terminated',
  'chained_connection_stop_requested',
  'bank_chained_stop_requested',
  'transfer_instructed',
  'direct_debit_applied',
  'direct_debit_transferred',
]);

type T = Awaited<ReturnType<typeof getTranslations>>;

function historyText(t: T, h: { event: string; item: PermissionItem | null; detail: Record<string, unknown> }): string {
  if (!KNOWN_EVENTS.has(h.event)) return t('history.unknown', { event: h.event });
  return t(`history.${h.event}` as 'history.consent_given', {
    item: h.item ? t(`items.${h.item}.name`) : '',
    name: typeof h.detail.name === 'string' ? h.detail.name : typeof h.detail.payee === 'string' ? h.detail.payee : '',
    amount: typeof h.detail.amount === 'number' ? new Intl.NumberFormat('ja-JP').format(h.detail.amount) : '',
  });
}

/** A link's append-only history, newest first. Staff also see the operator's internal notes. */
export async function LinkHistory({ history, showNotes = false }: { history: HistoryEntryDTO[]; showNotes?: boolean }) {
  const [t, format] = await Promise.all([getTranslations(), getFormatter()]);
  if (history.length === 0) return <p className="text-ink-muted">{t('link.historyEmpty')}</p>;
  return (
    <Card>
      <ol className="relative space-y-4 border-l-2 border-line pl-5" data-testid="history">
        {history.map((h) => (
          <li key={h.id} className="relative">
            <span className="absolute top-2 -left-[27px] size-3 rounded-full border-2 border-surface bg-primary" aria-hidden="true" />
            <p className="font-semibold">{historyText(t, h)}</p>
            <p className="tabular text-sm text-ink-muted">
              <time dateTime={h.at.toISOString()}>{format.dateTime(h.at, 'dateTime')}</time>・{t(`history.actor.${h.actorType}`)}
              {h.detail.stepUp ? `・${t('history.stepUp')}` : ''}
            </p>
            {showNotes && typeof h.detail.note === 'string' && h.detail.note ? <p className="text-sm text-ink">{h.detail.note}</p> : null}
          </li>
        ))}
      </ol>
    </Card>
  );
}
