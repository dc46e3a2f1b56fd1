import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { InfoIcon, LinkIcon } from '@/components/ui/icons';
import { requireCustomer } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { needsAttention } from '@/lib/domain/link-status';
import { dashboardHref, dashboardLists, parseDashboardQuery } from '@/lib/links/dashboard-view';
import { listLinks } from '@/lib/links/queries';
import { listDisclosuresForCustomer, listStaffLookupsForCustomer } from '@/lib/staff/queries';
import { BankNotices } from './bank-notices';
import { DashboardFilters } from './dashboard-filters';
import { LinkCard } from '@/components/link-card';

export async function generateMetadata({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }): Promise<Metadata> {
  const [t, query] = await Promise.all([getTranslations('dashboard'), searchParams.then(parseDashboardQuery)]);
  return { title: query.view === 'past' ? t('tabs.past') : t('title') };
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requireCustomer('/');
  const now = new Date();
  const db = await getDb();
  const [t, locale, query, links, lookups, disclosures] = await Promise.all([
    getTranslations('dashboard'),
    getLocale(),
    searchParams.then(parseDashboardQuery),
    listLinks(db, principal, now),
    listStaffLookupsForCustomer(db, principal),
    listDisclosuresForCustomer(db, principal),
  ]);
  const lists = dashboardLists(links, query, now, locale);
  const filtered = query.status !== 'all' || query.kind !== 'all' || query.q !== '';
  // The first view of the current links, unfiltered, in status order: grouped, attention first.
  const grouped = query.view === 'current' && !filtered && query.sort === 'status';
  const groups = grouped
    ? [
        { id: 'attention', title: t('needsAttention'), links: lists.shown.filter((l) => needsAttention(l.displayStatus)) },
        { id: 'others', title: t('others'), links: lists.shown.filter((l) => !needsAttention(l.displayStatus)) },
      ]
    : [{ id: 'results', title: t('results', { count: lists.shown.length }), links: lists.shown }];
  const viewTotal = lists.counts[query.view];

  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-ink-muted">{t('lead')}</p>
      </div>

      <nav aria-label={t('tabs.label')} className="flex gap-1 border-b border-line" data-testid="dashboard-tabs">
        {(['current', 'past'] as const).map((view) => (
          <Link
            key={view}
            href={dashboardHref({ view })}
            aria-current={query.view === view ? 'page' : undefined}
            className={`-mb-px inline-flex min-h-11 items-center gap-2 border-b-2 px-4 font-semibold ${
              query.view === view ? 'border-primary text-primary' : 'border-transparent text-ink-muted hover:text-ink'
            }`}
          >
            {t(`tabs.${view}`)}
            <span className="tabular rounded-full bg-neutral-soft px-2 text-sm">{t('tabs.count', { count: lists.counts[view] })}</span>
          </Link>
        ))}
      </nav>

      {query.view === 'current' && lists.counts.current > 0 ? (
        <p className="flex flex-wrap gap-x-4 text-sm font-semibold" data-testid="dashboard-summary">
          <span>{t('summary', { total: lists.counts.current })}</span>
          <span className={lists.attention > 0 ? 'text-warning' : 'text-positive'}>{t('attention', { count: lists.attention })}</span>
        </p>
      ) : null}
      {query.view === 'past' ? <p className="max-w-3xl text-ink-muted">{t('pastLead')}</p> : null}

      {query.view === 'current' && lists.recentlyExpired > 0 ? (
        <p className="flex items-start gap-2 rounded-lg border border-line bg-surface p-4" data-testid="recently-expired">
          <InfoIcon className="mt-0.5 shrink-0 text-primary" />
          <span>
            {t('recentlyExpired', { count: lists.recentlyExpired })}{' '}
            <Link href={dashboardHref({ view: 'past', status: 'expired' })} className="font-semibold text-primary underline underline-offset-4">
              {t('recentlyExpiredLink')}
            </Link>
          </span>
        </p>
      ) : null}

      {viewTotal > 0 ? <DashboardFilters query={query} /> : null}

      {links.length === 0 ? (
        <Card className="space-y-3 text-center">
          <span className="mx-auto grid size-12 place-items-center rounded-full bg-primary-soft text-primary" aria-hidden="true">
            <LinkIcon width={24} height={24} />
          </span>
          <h2 className="text-lg font-bold">{t('emptyTitle')}</h2>
          <p className="mx-auto max-w-xl text-left text-ink-muted sm:text-center">{t('emptyBody')}</p>
          <Link href="/terms" className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
            {t('emptyTerms')}
          </Link>
        </Card>
      ) : viewTotal === 0 ? (
        <Card className="space-y-2" data-testid="view-empty">
          <h2 className="text-lg font-bold">{t(query.view === 'past' ? 'pastEmptyTitle' : 'currentEmptyTitle')}</h2>
          <p className="text-ink-muted">{t(query.view === 'past' ? 'pastEmptyBody' : 'currentEmptyBody')}</p>
        </Card>
      ) : lists.shown.length === 0 ? (
        <Card className="space-y-2" data-testid="no-match">
          <h2 className="text-lg font-bold">{t('noMatchTitle')}</h2>
          <p className="text-ink-muted">{t('noMatchBody')}</p>
          <Link href={dashboardHref({ view: query.view })} className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
            {t('filters.clear')}
          </Link>
        </Card>
      ) : null}

      {groups.map((group) =>
        group.links.length > 0 ? (
          <section key={group.id} aria-labelledby={`${group.id}-title`} className="space-y-4">
            <h2 id={`${group.id}-title`} className="text-lg font-bold">
              {group.title}
            </h2>
            <div className="space-y-4">
              {group.links.map((link) => (
                <LinkCard key={link.id} link={link} now={now} />
              ))}
            </div>
          </section>
        ) : null,
      )}

      {query.view === 'current' ? <BankNotices lookups={lookups} disclosures={disclosures} /> : null}
    </div>
  );
}
