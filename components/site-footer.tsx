import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { getDb } from '@/lib/db';
import { isSandbox } from '@/lib/env';
import { getTermsOverview } from '@/lib/terms/queries';

/** Every page's footer names the terms version in force (Art. 9). */
export async function SiteFooter() {
  const [t, format, overview] = await Promise.all([getTranslations('footer'), getFormatter(), getDb().then((db) => getTermsOverview(db))]);
  const inForce = overview.inForce;
  return (
    <footer className="mt-16 border-t border-line bg-surface print:hidden">
      <div className="mx-auto flex max-w-5xl flex-col gap-2 px-4 py-6 text-sm text-ink-muted sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <div className="space-y-1">
          {inForce ? (
            <p data-testid="footer-terms">
              {t('termsInForce', {
                revised: format.dateTime(new Date(`${inForce.revisedOn}T00:00:00+09:00`), 'date'),
                effective: format.dateTime(inForce.effectiveFrom, 'date'),
              })}{' '}
              <Link href="/terms" className="font-semibold text-primary underline underline-offset-4">
                {t('termsLink')}
              </Link>
            </p>
          ) : null}
          <p>
            <Link href="/help" className="font-semibold text-primary underline underline-offset-4" data-testid="footer-help">
              {t('help')}
            </Link>
          </p>
          {isSandbox ? <p>{t('sandbox')}</p> : null}
          <p><Link href="/docs/providers" className="font-semibold text-primary underline underline-offset-4" data-testid="footer-api-docs">{(await getTranslations('ApiDocs'))('footerLink')}</Link></p>
        </div>
        <p>© {t('copyright')}</p>
      </div>
    </footer>
  );
}
