import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { receiptTitle } from '@/components/receipt-text';
import { requireCustomer } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { suspensionReasonKey } from '@/lib/domain/link-status';
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
  const s = receipt.snapshot;
  const en = locale === 'en';
  const inForce = s.status === 'active' || s.status === 'suspended';
  const rows: [string, React.ReactNode][] = [
    [t('receipts.numberLabel'), <span className="tabular">{receipt.number}</span>],
    [t('receipts.when'), <time dateTime={receipt.at.toISOString()} className="tabular">{format.dateTime(receipt.at, 'dateTime')}</time>],
    [t('receipts.what'), receiptTitle(t as unknown as Parameters<typeof receiptTitle>[0], receipt)],
    [t('receipts.who'), t(`history.actor.${receipt.actorType}`) + (s.stepUp ? `（${t('history.stepUp')}）` : '')],
    [t('receipts.customer'), t('nav.signedInAs', { name: en ? receipt.customer.nameEn : receipt.customer.nameJa })],
    [
      t('receipts.provider'),
      <>
        <span className="block font-semibold">{en ? s.provider.nameEn : s.provider.nameJa}</span>
        <span className="block text-sm">
          {en ? s.provider.legalNameEn : s.provider.legalNameJa}・{t('dashboard.registration', { number: s.provider.registrationNumber })}
        </span>
      </>,
    ],
    [t('receipts.status'), t(`status.${s.status}`)],
    ...(s.reason !== null ? ([[t('receipts.reason'), t(`suspension.${suspensionReasonKey(s.reason)}`)]] as [string, React.ReactNode][]) : []),
    [t('receipts.items'), s.itemsInForce.length > 0 ? s.itemsInForce.map((i) => t(`items.${i}.name`)).join(en ? ', ' : '、') : t(inForce ? 'receipts.noItems' : 'receipts.noItemsEnded')],
    ...(s.declined.length > 0 ? ([[t('receipts.declined'), s.declined.map((i) => t(`items.${i}.name`)).join(en ? ', ' : '、')]] as [string, React.ReactNode][]) : []),
    [
      t('receipts.accounts'),
      s.accounts.length > 0 ? (
        <ul>
          {s.accounts.map((a) => (
            <li key={`${a.type}-${a.maskedNumber}`} className="tabular">
              {t(`accountTypes.${a.type}`)}・{a.branchName}・{a.maskedNumber}
            </li>
          ))}
        </ul>
      ) : (
        t('receipts.noAccounts')
      ),
    ],
    ...(inForce ? ([[t('receipts.expires'), format.dateTime(new Date(s.expiresAt), 'date')]] as [string, React.ReactNode][]) : []),
    [t('receipts.terms'), t('receipts.termsValue', { version: /^\d{4}-\d{2}-\d{2}$/.test(s.termsVersion) ? format.dateTime(new Date(`${s.termsVersion}T00:00:00+09:00`), 'date') : s.termsVersion })],
  ];
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3 print:hidden">
        <Link href="/receipts" className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
          {t('receipts.back')}
        </Link>
        <PrintButton />
      </div>
      <article aria-labelledby="receipt-title" className="rounded-[var(--radius-card)] border border-line bg-surface p-5 sm:p-8 print:border-0 print:p-0" data-testid="receipt">
        <p className="text-sm font-semibold text-ink-muted">{t('receipts.issuer')}</p>
        <h1 id="receipt-title" className="mt-1 text-2xl font-bold">
          {t('receipts.sheetTitle')}
        </h1>
        <dl className="mt-6 grid gap-x-6 gap-y-3 border-t border-line pt-6 sm:grid-cols-[12rem_1fr]">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="font-semibold text-ink-muted">{label}</dt>
              <dd className="break-words">{value}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-6 border-t border-line pt-4 text-sm text-ink-muted">{t('receipts.footnote')}</p>
        <p className="mt-2 text-sm print:hidden">
          <Link href={`/links/${receipt.linkId}`} className="font-semibold text-primary underline underline-offset-4">
            {t('receipts.toLink')}
          </Link>
        </p>
      </article>
    </div>
  );
}
