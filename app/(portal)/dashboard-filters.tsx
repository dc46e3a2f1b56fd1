import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { SearchIcon } from '@/components/ui/icons';
import { dashboardHref, KIND_FILTERS, SORT_KEYS, VIEW_STATUSES, type DashboardQuery } from '@/lib/links/dashboard-view';

const selectClass = 'block min-h-12 w-full rounded-lg border border-line-strong bg-surface px-3 text-base focus:border-primary';

/**
 * Find a link among many (issue 14 §4): a provider's name, status, kind of access and order, as a
 * plain GET form — it works without JavaScript and the URL keeps the state (back, bookmark, share).
 */
export async function DashboardFilters({ query }: { query: DashboardQuery }) {
  const t = await getTranslations('dashboard.filters');
  const filtered = query.status !== 'all' || query.kind !== 'all' || query.q !== '' || query.sort !== 'status';
  return (
    <form method="get" action="/" role="search" aria-label={t('label')} className="space-y-3 rounded-[var(--radius-card)] border border-line bg-surface p-4 sm:p-5" data-testid="dashboard-filters">
      {query.view === 'past' ? <input type="hidden" name="view" value="past" /> : null}
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr]">
        <div className="space-y-1.5">
          <label htmlFor="filter-q" className="block font-semibold">
            {t('q')}
          </label>
          <input id="filter-q" name="q" type="search" defaultValue={query.q} maxLength={64} placeholder={t('qPlaceholder')} autoComplete="off" className={selectClass} />
        </div>
        <div className="space-y-1.5">
          <label htmlFor="filter-status" className="block font-semibold">
            {t('status')}
          </label>
          <select id="filter-status" name="status" defaultValue={query.status} className={selectClass}>
            <option value="all">{t('statusAll')}</option>
            {VIEW_STATUSES[query.view].map((status) => (
              <option key={status} value={status}>
                {t(`statuses.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1.5">
          <label htmlFor="filter-kind" className="block font-semibold">
            {t('kind')}
          </label>
          <select id="filter-kind" name="kind" defaultValue={query.kind} className={selectClass}>
            {KIND_FILTERS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kinds.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1.5">
          <label htmlFor="filter-sort" className="block font-semibold">
            {t('sort')}
          </label>
          <select id="filter-sort" name="sort" defaultValue={query.sort} className={selectClass}>
            {/* the past view's own order is by the day each link ended: no expiry to sort by */}
            {SORT_KEYS.filter((key) => query.view === 'current' || key !== 'expiry').map((key) => (
              <option key={key} value={key}>
                {t(`sorts.${query.view === 'past' && key === 'status' ? 'ended' : key}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass('secondary')}>
          <SearchIcon aria-hidden="true" />
          {t('submit')}
        </button>
        {filtered ? (
          <Link href={dashboardHref({ view: query.view })} className="inline-flex min-h-11 items-center px-2 font-semibold text-primary underline underline-offset-4">
            {t('clear')}
          </Link>
        ) : null}
      </div>
    </form>
  );
}
