import { getFormatter, getTranslations } from 'next-intl/server';
import { historyText } from '@/lib/links/history-text';
import type { HistoryEntryDTO } from '@/lib/links/queries';
import { Card } from './ui/card';

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
            <p className="font-semibold">{historyText(t as unknown as Parameters<typeof historyText>[0], h)}</p>
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
