import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { AccountList } from '@/components/account-list';
import { ItemChips } from '@/components/item-chips';
import { LinkHistory } from '@/components/link-history';
import { ProviderMark } from '@/components/provider-mark';
import { OperatorAction } from '@/components/staff/operator-action';
import { StatusBadge } from '@/components/status-badge';
import { Alert } from '@/components/ui/alert';
import { Card, Section } from '@/components/ui/card';
import { ChevronLeftIcon } from '@/components/ui/icons';
import { requireStaff } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { ENDED_STATUSES, suspensionReasonKey } from '@/lib/domain/link-status';
import { getLinkForStaff } from '@/lib/staff/queries';
import { resumeLinkAction, suspendLinkAction } from '../../../../operator-actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('staff.link');
  return { title: t('title') };
}

/** One link in full for staff (recorded). Operators also get suspend / resume (Art. 5.2). */
export default async function StaffLinkPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; linkId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id, linkId } = await params;
  const staff = await requireStaff(`/staff/customers/${id}/links/${linkId}`);
  const now = new Date();
  const cursor = (await searchParams).history;
  const link = await getLinkForStaff(await getDb(), staff, id, linkId, now, { historyBefore: typeof cursor === 'string' ? cursor : null });
  if (!link) notFound();
  const [t, ts, format, locale] = await Promise.all([getTranslations(), getTranslations('staff.link'), getFormatter(), getLocale()]);
  const name = locale === 'en' ? link.provider.nameEn : link.provider.nameJa;
  const dateTime = (d: Date) => format.dateTime(d, 'dateTime');
  const granted = link.items.filter((i) => i.granted).map((i) => i.item);
  return (
    <div className="space-y-8">
      <Link href={`/staff/customers/${link.customer.id}`} className="inline-flex min-h-11 items-center gap-1 text-sm font-semibold text-primary">
        <ChevronLeftIcon />
        {ts('back', { name: locale === 'en' ? link.customer.nameEn : link.customer.nameJa })}
      </Link>

      <Card className="space-y-4">
        <div className="flex flex-wrap items-start gap-4">
          <ProviderMark name={name} large />
          <div className="min-w-0 flex-1 space-y-1">
            <h1 className="text-2xl font-bold leading-snug">{name}</h1>
            <p className="text-sm text-ink-muted">{ts('customer', { name: link.customer.nameJa, number: link.customer.customerNumber })}</p>
          </div>
          <div data-testid="link-status" className="basis-full sm:basis-auto">
            <StatusBadge status={link.displayStatus} label={t(`status.${link.displayStatus}`)} />
          </div>
        </div>
        {link.displayStatus === 'suspended' || link.displayStatus === 'terminated' ? (
          <Alert tone={link.displayStatus === 'suspended' ? 'critical' : 'info'}>
            {ts('reasonShown', { reason: link.suspensionReason ?? '-', text: t(`suspension.${suspensionReasonKey(link.suspensionReason)}`) })}
          </Alert>
        ) : null}
        {link.archivedAt ? (
          <div data-testid="link-archived">
            <Alert tone="info">{ts('archivedNotice', { date: dateTime(link.archivedAt) })}</Alert>
          </div>
        ) : null}
        {link.heldByBank ? (
          <Alert tone="critical">
            {ts('holdNotice')} {ts('reasonShown', { reason: link.suspensionReason ?? '-', text: t(`suspension.${suspensionReasonKey(link.suspensionReason)}`) })}
          </Alert>
        ) : null}
        <dl className="tabular grid gap-x-6 gap-y-2 border-t border-line pt-4 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-ink-muted">{t('link.consentedOn')}</dt>
            <dd className="font-semibold">{dateTime(link.consentedAt)}</dd>
          </div>
          <div>
            <dt className="text-ink-muted">{t('link.termsVersion')}</dt>
            <dd className="font-semibold">{link.terms.id}</dd>
          </div>
          <div>
            <dt className="text-ink-muted">{t('dashboard.lastUsed')}</dt>
            <dd className="font-semibold">{link.lastUsedAt ? dateTime(link.lastUsedAt) : t('dashboard.neverUsed')}</dd>
          </div>
          <div>
            <dt className="text-ink-muted">{t('dashboard.expires')}</dt>
            <dd className="font-semibold">{dateTime(link.expiresAt)}</dd>
          </div>
        </dl>
      </Card>

      {/* An ended link has nothing for the bank to suspend or resume: no controls, only the record. */}
      {staff.role === 'operator' && !ENDED_STATUSES.includes(link.status) ? (
        <Section id="operator" title={ts('operatorTitle')} lead={ts('operatorLead')}>
          <Card className="flex flex-wrap gap-6">
            <OperatorAction
              action={suspendLinkAction}
              target={link.id}
              label={ts('suspend')}
              title={ts('suspendTitle', { provider: name })}
              body={ts('suspendBody')}
              withReason
              danger
              disabledReason={link.status === 'active' ? null : ts('suspendNotApplicable')}
            />
            {link.heldByBank ? (
              <OperatorAction action={resumeLinkAction} target={link.id} label={ts('liftHold')} title={ts('holdTitle', { provider: name })} body={ts('holdBody')} disabledReason={null} />
            ) : (
              <OperatorAction
                action={resumeLinkAction}
                target={link.id}
                label={ts('resume')}
                title={ts('resumeTitle', { provider: name })}
                body={ts('resumeBody')}
                disabledReason={link.status === 'suspended' ? null : ts('resumeNotApplicable')}
              />
            )}
          </Card>
        </Section>
      ) : null}

      <Section id="items" title={ts('items')}>
        {link.items.length === 0 ? null : (
          <Card flush>
            <ul className="divide-y divide-line text-sm">
              {link.items.map((i) => (
                <li key={i.item} className="tabular flex flex-wrap justify-between gap-2 px-5 py-3">
                  <span className="font-semibold">{t(`items.${i.item}.name`)}</span>
                  <span>
                    {i.granted ? ts('granted') : ts('revoked')}
                    {i.granted && i.lastUsedAt ? `・${t('link.itemLastUsed', { date: dateTime(i.lastUsedAt) })}` : ''}
                    {!i.granted && i.revokedAt ? `・${t('link.itemRevokedOn', { date: dateTime(i.revokedAt) })}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </Card>
        )}
        <ItemChips items={granted} />
      </Section>

      <Section id="accounts" title={t('link.accounts')}>
        {link.accounts.length === 0 ? <p className="text-ink-muted">{t('link.accountsNone')}</p> : <AccountList accounts={link.accounts} />}
      </Section>

      <Section id="chained" title={t('link.chainedTitle')}>
        {link.chainedConnections.length === 0 ? (
          <p className="text-ink-muted">{t('link.chainedNone')}</p>
        ) : (
          <Card flush>
            <ul className="divide-y divide-line text-sm">
              {link.chainedConnections.map((c) => (
                <li key={c.id} className="space-y-1 px-5 py-3">
                  <p className="font-semibold">{c.name}</p>
                  <p className="text-ink-muted">{locale === 'en' ? c.purposeEn : c.purposeJa}</p>
                  {c.stopRequestedAt ? <p>{ts('customerAskedStop', { date: dateTime(c.stopRequestedAt) })}</p> : null}
                  {c.bankStopRequestedAt ? <p>{ts('bankAskedStop', { date: dateTime(c.bankStopRequestedAt) })}</p> : null}
                </li>
              ))}
            </ul>
          </Card>
        )}
      </Section>

      <Section id="history" title={t('link.historyTitle')}>
        <LinkHistory history={link.history} next={link.historyNext} older={link.historyOlder} basePath={`/staff/customers/${link.customer.id}/links/${link.id}`} showNotes />
      </Section>
    </div>
  );
}
