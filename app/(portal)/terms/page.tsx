import type { Metadata } from 'next';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { TermsDocumentView } from '@/components/terms-document';
import { Alert } from '@/components/ui/alert';
import { Card, Section } from '@/components/ui/card';
import { getDb } from '@/lib/db';
import { articleHeading } from '@/lib/terms/render';
import { getTermsOverview } from '@/lib/terms/queries';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('terms');
  return { title: t('title') };
}

/** Art. 9: the version in force, an announced revision, and the history. Public: no sign-in needed. */
export default async function TermsPage() {
  const now = new Date();
  const [t, format, locale, overview] = await Promise.all([getTranslations('terms'), getFormatter(), getLocale(), getDb().then((db) => getTermsOverview(db, now))]);
  const date = (d: Date) => format.dateTime(d, 'date');
  const revised = (iso: string) => date(new Date(`${iso}T00:00:00+09:00`));
  const inForce = overview.inForce;
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
      {overview.upcoming.map((u) => (
        <Alert key={u.id} tone="info" title={t('upcomingBanner', { date: date(u.effectiveFrom) })}>
          <a href={`#upcoming-${u.id}`} className="font-semibold underline underline-offset-4">
            {t('upcomingLink')}
          </a>
        </Alert>
      ))}
      {locale === 'en' ? <p className="text-ink-muted">{t('japaneseOnly')}</p> : null}

      {inForce ? (
        <Card className="space-y-6">
          <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-3" data-testid="terms-in-force">
            <div>
              <dt className="text-ink-muted">{t('inForce')}</dt>
              <dd className="font-semibold">{inForce.body.revisionNote}</dd>
            </div>
            <div>
              <dt className="text-ink-muted">{t('revisedOn')}</dt>
              <dd className="tabular font-semibold">{revised(inForce.revisedOn)}</dd>
            </div>
            <div>
              <dt className="text-ink-muted">{t('effectiveFrom')}</dt>
              <dd className="tabular font-semibold">{date(inForce.effectiveFrom)}</dd>
            </div>
          </dl>
          <nav aria-labelledby="toc-title" className="rounded-lg bg-canvas p-4">
            <h2 id="toc-title" className="mb-2 font-bold">
              {t('contents')}
            </h2>
            <ol className="grid gap-1 text-sm sm:grid-cols-2" lang="ja">
              {inForce.body.articles.map((a) => (
                <li key={a.number}>
                  <a href={`#current-art-${a.number}`} className="inline-flex min-h-8 items-center text-primary underline underline-offset-4">
                    {articleHeading(a)}
                  </a>
                </li>
              ))}
            </ol>
          </nav>
          <section aria-labelledby="current-title" className="space-y-4">
            <h2 id="current-title" className="text-xl font-bold" lang="ja">
              {inForce.body.title}
            </h2>
            <TermsDocumentView doc={inForce.body} idPrefix="current" />
          </section>
        </Card>
      ) : (
        <p>{t('none')}</p>
      )}

      {overview.upcoming.map((u) => (
        <Section key={u.id} id={`upcoming-${u.id}`} title={t('upcomingTitle', { date: date(u.effectiveFrom) })}>
          <details className="rounded-[var(--radius-card)] border border-line bg-surface p-5 sm:p-6">
            <summary className="min-h-11 cursor-pointer font-semibold text-primary">{t('showUpcoming', { date: date(u.effectiveFrom) })}</summary>
            <div className="mt-4">
              <TermsDocumentView doc={u.body} idPrefix={`upcoming-${u.id}`} />
            </div>
          </details>
        </Section>
      ))}

      <Section id="history" title={t('history')}>
        <Card flush>
          <table className="w-full text-left text-sm">
            <thead className="border-b border-line text-ink-muted">
              <tr>
                <th scope="col" className="px-5 py-3 font-semibold">
                  {t('revisedOn')}
                </th>
                <th scope="col" className="px-5 py-3 font-semibold">
                  {t('effectiveFrom')}
                </th>
                <th scope="col" className="px-5 py-3 font-semibold">
                  <span className="sr-only">{t('inForce')}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {overview.history.map((v) => {
                const state = v.id === inForce?.id ? 'historyInForce' : v.effectiveFrom > now ? 'historyUpcoming' : 'historyPast';
                return (
                  <tr key={v.id}>
                    <td className="tabular px-5 py-3">{revised(v.revisedOn)}</td>
                    <td className="tabular px-5 py-3">{date(v.effectiveFrom)}</td>
                    <td className="px-5 py-3 font-semibold">{t(state)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
      </Section>
    </div>
  );
}
