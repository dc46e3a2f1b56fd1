import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { historyText } from '@/lib/links/history-text';
import type { HistoryEntryDTO } from '@/lib/links/queries';
import { Card } from './ui/card';

/**
 * A link's append-only history, newest first, a page at a time (issue 13: a link in daily use has
 * thousands of entries). "Older" and "newest" are plain links (`?history=<cursor>#history`), so
 * paging works without JavaScript. Staff also see the operator's internal notes.
 */
export async function LinkHistory({
  history,
  next,
  older,
  basePath,
  showNotes = false,
}: {
  history: HistoryEntryDTO[];
  next: string | null;
  older: boolean;
  basePath: string;
  showNotes?: boolean;
}) {
  const [t, format] = await Promise.all([getTranslations(), getFormatter()]);
  const pager =
    next || older ? (
      <nav aria-label={t('link.historyPager')} className="flex flex-wrap gap-x-6 gap-y-2">
        {next ? (
          <Link href={`${basePath}?history=${encodeURIComponent(next)}#history`} className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4" data-testid="history-older">
            {t('link.historyOlder')}
          </Link>
        ) : null}
        {older ? (
          <Link href={`${basePath}#history`} className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4" data-testid="history-newest">
            {t('link.historyNewest')}
          </Link>
        ) : null}
      </nav>
    ) : null;
  if (history.length === 0) {
    return (
      <div className="space-y-3">
        <p className="text-ink-muted">{t(older ? 'link.historyNoOlder' : 'link.historyEmpty')}</p>
        {pager}
      </div>
    );
  }
  return (
    <Card className="space-y-4">
      {older ? <p className="text-sm text-ink-muted">{t('link.historyOlderLead')}</p> : null}
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
      {pager}
    </Card>
  );
}
