import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { AccountList } from '@/components/account-list';
import { LinkCard } from '@/components/link-card';
import { Card, Section } from '@/components/ui/card';
import { ChevronLeftIcon } from '@/components/ui/icons';
import { requireStaff } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { compareForDashboard } from '@/lib/domain/link-status';
import { getCustomerForStaff } from '@/lib/staff/queries';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('staff.customer');
  return { title: t('title') };
}

/** Mirrors the customer's dashboard, without any control that changes anything. The look-up is recorded. */
export default async function StaffCustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const staff = await requireStaff(`/staff/customers/${id}`);
  const now = new Date();
  const customer = await getCustomerForStaff(await getDb(), staff, id, now);
  if (!customer) notFound();
  const [t, tAll, format, locale] = await Promise.all([getTranslations('staff.customer'), getTranslations(), getFormatter(), getLocale()]);
  const links = [...customer.links].sort((a, b) => compareForDashboard(a.displayStatus, b.displayStatus));
  return (
    <div className="space-y-8">
      <Link href="/staff" className="inline-flex min-h-11 items-center gap-1 text-sm font-semibold text-primary">
        <ChevronLeftIcon />
        {t('back')}
      </Link>
      <div className="space-y-2">
        <h1 className="text-2xl font-bold sm:text-3xl">
          {customer.nameJa}
          <span className="ml-3 text-base font-normal text-ink-muted">{customer.nameKana}</span>
        </h1>
        <dl className="tabular grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
          <dt className="text-ink-muted">{t('customerNumber')}</dt>
          <dd className="font-semibold">{customer.customerNumber}</dd>
          <dt className="text-ink-muted">{t('logonId')}</dt>
          <dd className="font-semibold">{customer.logonId}</dd>
          <dt className="text-ink-muted">{t('nameEn')}</dt>
          <dd>{customer.nameEn}</dd>
          <dt className="text-ink-muted">{t('directBanking')}</dt>
          <dd>{customer.directBankingRegistered ? t('registered') : t('notRegistered')}</dd>
        </dl>
      </div>

      <Section id="accounts" title={t('accounts')}>
        <AccountList accounts={customer.accounts} />
      </Section>

      <Section id="links" title={t('links', { count: links.length })}>
        {links.length === 0 ? (
          <Card>
            <p className="text-ink-muted">{t('noLinks')}</p>
          </Card>
        ) : (
          <div className="space-y-4">
            {links.map((link) => (
              <LinkCard key={link.id} link={link} now={now} href={`/staff/customers/${customer.id}/links/${link.id}`} />
            ))}
          </div>
        )}
      </Section>

      <Section id="disclosures" title={t('disclosures')} lead={t('disclosuresLead')}>
        {customer.disclosures.length === 0 ? (
          <Card>
            <p className="text-ink-muted">{t('noDisclosures')}</p>
          </Card>
        ) : (
          <Card flush>
            <ul className="divide-y divide-line text-sm">
              {customer.disclosures.map((d) => (
                <li key={d.id} className="space-y-0.5 px-5 py-3">
                  <p className="font-semibold">
                    {locale === 'en' ? d.providerNameEn : d.providerNameJa}・<span className="tabular">{format.dateTime(d.disclosedAt, 'dateTime')}</span>
                  </p>
                  <p>{d.information}</p>
                  <p className="text-ink-muted">{tAll(`bankNotices.reason.${d.reason}` as 'bankNotices.reason.1')}</p>
                  {d.note ? <p className="text-ink-muted">{d.note}</p> : null}
                </li>
              ))}
            </ul>
          </Card>
        )}
      </Section>

      <Section id="lookups" title={t('lookups')} lead={t('lookupsLead')}>
        <Card flush>
          <ul className="divide-y divide-line text-sm" data-testid="lookup-log">
            {customer.lookups.map((l, i) => (
              <li key={i} className="tabular flex flex-wrap justify-between gap-2 px-5 py-2">
                <span>{format.dateTime(l.at, 'dateTime')}</span>
                <span>
                  {l.staffName}・{t(`view.${l.view}`)}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      </Section>
    </div>
  );
}
