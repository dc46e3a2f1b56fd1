import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { receiptTitle } from '@/components/receipt-text';
import { Card } from '@/components/ui/card';
import { ChevronRightIcon } from '@/components/ui/icons';
import { requireCustomer } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { listReceipts } from '@/lib/receipts/queries';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('receipts');
  return { title: t('title') };
}

type Params = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

/** The customer's receipts (お知らせ・控え), newest first, a page at a time; optionally of one link. */
export default async function ReceiptsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const principal = await requireCustomer('/receipts');
  const before = one(params.before);
  const linkId = one(params.link);
  const [t, format, locale, page] = await Promise.all([getTranslations(), getFormatter(), getLocale(), getDb().then((db) => listReceipts(db, principal, { before, linkId }))]);
  const query = (extra: Record<string, string>) => `/receipts?${new URLSearchParams({ ...(linkId ? { link: linkId } : {}), ...extra }).toString()}`;
  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <h1 className="text-2xl font-bold sm:text-3xl">{t('receipts.title')}</h1>
        <p className="max-w-3xl text-ink-muted">{t('receipts.lead')}</p>
        {linkId ? (
          <p>
            <Link href="/receipts" className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
              {t('receipts.allLinks')}
            </Link>
          </p>
        ) : null}
      </div>
      {page.receipts.length === 0 ? (
        <Card className="space-y-2" data-testid="receipts-empty">
          <h2 className="text-lg font-bold">{t(before ? 'receipts.noOlder' : 'receipts.emptyTitle')}</h2>
          <p className="text-ink-muted">{t('receipts.emptyBody')}</p>
        </Card>
      ) : (
        <ol className="space-y-3" data-testid="receipts">
          {page.receipts.map((r) => {
            const name = locale === 'en' ? r.snapshot.provider.nameEn : r.snapshot.provider.nameJa;
            return (
              <li key={r.id}>
                <Card className="flex flex-wrap items-center gap-x-6 gap-y-2 p-4 sm:p-5">
                  <div className="min-w-0 flex-1 space-y-1">
                    <p className="font-semibold">
                      {name}：{receiptTitle(t as unknown as Parameters<typeof receiptTitle>[0], r)}
                    </p>
                    <p className="tabular text-sm text-ink-muted">
                      <time dateTime={r.at.toISOString()}>{format.dateTime(r.at, 'dateTime')}</time>・{t('receipts.numberLabel')} {r.number}・{t(`history.actor.${r.actorType}`)}
                    </p>
                  </div>
                  <Link
                    href={`/receipts/${r.id}`}
                    aria-label={t('receipts.openFor', { number: r.number })}
                    className="inline-flex min-h-11 items-center gap-1 rounded-lg px-3 font-semibold text-primary hover:bg-primary-soft"
                  >
                    {t('receipts.open')}
                    <ChevronRightIcon />
                  </Link>
                </Card>
              </li>
            );
          })}
        </ol>
      )}
      <nav aria-label={t('receipts.pager')} className="flex flex-wrap gap-x-6">
        {page.next ? (
          <Link href={query({ before: page.next })} className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4" data-testid="receipts-older">
            {t('receipts.older')}
          </Link>
        ) : null}
        {before ? (
          <Link href={linkId ? query({}) : '/receipts'} className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
            {t('receipts.newest')}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
