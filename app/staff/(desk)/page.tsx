import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { ChevronRightIcon, SearchIcon } from '@/components/ui/icons';
import { buttonClass } from '@/components/ui/button';
import { requireStaff } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { SEARCH_MAX_HITS, searchCustomers } from '@/lib/staff/queries';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('staff.search');
  return { title: t('title') };
}

/** Search first (DESIGN: staff pages start with a search box). A GET form: nothing here changes anything. */
export default async function StaffSearchPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const staff = await requireStaff('/staff');
  const raw = (await searchParams).q;
  const q = typeof raw === 'string' ? raw.trim().slice(0, 64) : '';
  const t = await getTranslations('staff.search');
  const hits = q ? await searchCustomers(await getDb(), staff, q) : null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
      <Card>
        <form method="get" action="/staff" role="search" className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1 space-y-1">
            <label htmlFor="q" className="block font-semibold">
              {t('label')}
            </label>
            <p id="q-hint" className="text-sm text-ink-muted">
              {t('hint')}
            </p>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={q}
              maxLength={64}
              aria-describedby="q-hint"
              autoComplete="off"
              className="min-h-11 w-full rounded-lg border border-line-strong bg-surface px-3 text-base focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-primary"
            />
          </div>
          <button type="submit" className={buttonClass('primary')}>
            <SearchIcon />
            {t('submit')}
          </button>
        </form>
      </Card>

      {hits === null ? null : (
        <section aria-labelledby="results-title" className="space-y-3">
          <h2 id="results-title" className="text-lg font-bold" aria-live="polite">
            {t('results', { count: hits.length, q })}
          </h2>
          {hits.length >= SEARCH_MAX_HITS ? (
            <p className="text-sm text-ink-muted" data-testid="search-capped">
              {t('capped', { count: SEARCH_MAX_HITS })}
            </p>
          ) : null}
          {hits.length === 0 ? (
            <Card>
              <p className="text-ink-muted">{t('none')}</p>
            </Card>
          ) : (
            <Card flush>
              <ul className="divide-y divide-line" data-testid="search-results">
                {hits.map((c) => (
                  <li key={c.id}>
                    <Link href={`/staff/customers/${c.id}`} className="flex min-h-11 items-center gap-4 px-5 py-3 hover:bg-primary-soft">
                      <span className="min-w-0 flex-1">
                        <span className="block font-semibold">
                          {c.nameJa}
                          <span className="ml-2 text-sm font-normal text-ink-muted">{c.nameKana}</span>
                        </span>
                        <span className="tabular block text-sm text-ink-muted">
                          {t('hitMeta', { number: c.customerNumber, logonId: c.logonId, links: c.linkCount })}
                        </span>
                      </span>
                      <ChevronRightIcon className="shrink-0 text-primary" />
                    </Link>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </section>
      )}
    </div>
  );
}
