import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { receiptSheet } from '@/components/receipt-text';
import { buttonClass } from '@/components/ui/button';
import { requireCustomer } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { getReceipt } from '@/lib/receipts/queries';
import { PrintButton } from './print-button';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const t = await getTranslations('receipts');
  return { title: t('receiptTitle', { id: (await params).id.slice(0, 8) }) };
}

/**
 * One receipt as a page to keep: everything it acknowledges in one printable sheet (print CSS
 * drops the site's header, footer and buttons). Only the customer's own; anyone else's is 404.
 */
export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireCustomer(`/receipts/${id}`);
  const receipt = await getReceipt(await getDb(), principal, id);
  if (!receipt) notFound();
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const sheet = receiptSheet(t as unknown as Parameters<typeof receiptSheet>[0], (d, style) => format.dateTime(d, style), locale, receipt);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3 print:hidden">
        <Link href="/receipts" className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
          {t('receipts.back')}
        </Link>
        <div className="flex flex-wrap gap-3">
          <a href={`/receipts/${receipt.id}/pdf`} download className={buttonClass('secondary')} data-testid="receipt-pdf">
            {t('receipts.downloadPdf')}
          </a>
          <PrintButton />
        </div>
      </div>
      <article aria-labelledby="receipt-title" className="rounded-[var(--radius-card)] border border-line bg-surface p-5 sm:p-8 print:border-0 print:p-0" data-testid="receipt">
        <p className="text-sm font-semibold text-ink-muted">{sheet.issuer}</p>
        <h1 id="receipt-title" className="mt-1 text-2xl font-bold">
          {sheet.title}
        </h1>
        <dl className="mt-6 grid gap-x-6 gap-y-3 border-t border-line pt-6 sm:grid-cols-[12rem_1fr]">
          {sheet.rows.map((row) => (
            <div key={row.key} className="contents">
              <dt className="font-semibold text-ink-muted">{row.label}</dt>
              <dd className={`break-words ${row.tabular ? 'tabular' : ''}`}>
                {row.dateTime ? (
                  <time dateTime={row.dateTime}>{row.lines[0]}</time>
                ) : row.lines.length === 1 ? (
                  row.lines[0]
                ) : (
                  row.lines.map((line, i) => (
                    <span key={line} className={`block ${row.strongFirst && i === 0 ? 'font-semibold' : row.strongFirst ? 'text-sm' : ''}`}>
                      {line}
                    </span>
                  ))
                )}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-6 border-t border-line pt-4 text-sm text-ink-muted">{sheet.footnote}</p>
        <p className="mt-2 text-sm print:hidden">
          <Link href={`/links/${receipt.linkId}`} className="font-semibold text-primary underline underline-offset-4">
            {t('receipts.toLink')}
          </Link>
        </p>
      </article>
    </div>
  );
}
