import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { ItemChips } from '@/components/item-chips';
import { ProviderMark } from '@/components/provider-mark';
import { OperatorAction } from '@/components/staff/operator-action';
import { Card, Section } from '@/components/ui/card';
import { ChevronLeftIcon } from '@/components/ui/icons';
import { requireStaff } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { LINK_STATUSES } from '@/lib/domain/link-status';
import { getProviderForStaff } from '@/lib/staff/queries';
import { chainedStopByBankAction, resumeProviderAction, suspendProviderAction, terminateProviderAction } from '../../operator-actions';
import { ProviderStatus } from '../provider-status';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('staff.provider');
  return { title: t('title') };
}

/** A provider's standing, links per status and chained connections; operators act on it here (Art. 5.2). */
export default async function StaffProviderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const staff = await requireStaff(`/staff/providers/${id}`);
  const provider = await getProviderForStaff(await getDb(), staff, id);
  if (!provider) notFound();
  const [t, ts, format, locale] = await Promise.all([getTranslations(), getTranslations('staff.provider'), getFormatter(), getLocale()]);
  const name = locale === 'en' ? provider.nameEn : provider.nameJa;
  const operator = staff.role === 'operator';
  return (
    <div className="space-y-8">
      <Link href="/staff/providers" className="inline-flex min-h-11 items-center gap-1 text-sm font-semibold text-primary">
        <ChevronLeftIcon />
        {ts('back')}
      </Link>
      <Card className="space-y-4">
        <div className="flex flex-wrap items-start gap-4">
          <ProviderMark name={name} large />
          <div className="min-w-0 flex-1 space-y-1">
            <h1 className="text-2xl font-bold leading-snug">{name}</h1>
            <p className="text-sm text-ink-muted">
              {locale === 'en' ? provider.legalNameEn : provider.legalNameJa}・{provider.registrationNumber}
            </p>
          </div>
          <ProviderStatus status={provider.status} />
        </div>
        {provider.status !== 'active' && provider.suspensionReason ? (
          <p className="text-sm font-semibold">{ts('reason', { reason: provider.suspensionReason, since: format.dateTime(provider.statusChangedAt, 'dateTime') })}</p>
        ) : null}
        <dl className="tabular grid gap-x-6 gap-y-2 border-t border-line pt-4 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-ink-muted">{ts('clientId')}</dt>
            <dd className="font-semibold break-all">{provider.clientId}</dd>
          </div>
          <div>
            <dt className="text-ink-muted">{ts('inactivity')}</dt>
            <dd className="font-semibold">{ts('days', { days: provider.inactivityDays })}</dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="text-ink-muted">{ts('purpose')}</dt>
            <dd className="font-semibold" data-testid="provider-purpose">
              {(locale === 'en' && provider.purposeEn) || provider.purposeJa || ts('noPurpose')}
            </dd>
          </div>
          <div>
            <dt className="text-ink-muted">{ts('events')}</dt>
            <dd className="font-semibold break-all" data-testid="provider-events-delivery">
              {provider.stream
                ? ts('stream', { method: ts(`streamMethod.${provider.stream.deliveryMethod}`), status: ts(`streamStatus.${provider.stream.status}`) })
                : (provider.eventsEndpoint ?? ts('noEvents'))}
            </dd>
          </div>
          <div>
            <dt className="text-ink-muted">{ts('initiateLogin')}</dt>
            <dd className="font-semibold break-all">{provider.initiateLoginUri ?? ts('noInitiateLogin')}</dd>
          </div>
          <div>
            <dt className="text-ink-muted">{ts('permitted')}</dt>
            <dd>
              <ItemChips items={provider.permittedItems} />
            </dd>
          </div>
        </dl>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 border-t border-line pt-4 text-sm" aria-label={ts('counts')}>
          {LINK_STATUSES.map((s) => (
            <li key={s}>
              {t(`status.${s}`)}: <span className="tabular font-semibold">{provider.counts[s]}</span>
            </li>
          ))}
        </ul>
      </Card>

      {operator ? (
        <Section id="operator" title={ts('operatorTitle')} lead={ts('operatorLead')}>
          <Card className="flex flex-wrap gap-6">
            <OperatorAction
              action={suspendProviderAction}
              target={provider.id}
              label={ts('suspend')}
              title={ts('suspendTitle', { provider: name })}
              body={ts('suspendBody', { count: provider.counts.active })}
              withReason
              danger
              disabledReason={provider.status === 'active' ? null : ts('notActive')}
            />
            <OperatorAction
              action={resumeProviderAction}
              target={provider.id}
              label={ts('resume')}
              title={ts('resumeTitle', { provider: name })}
              body={ts('resumeBody')}
              disabledReason={provider.status === 'suspended' ? null : ts('notSuspended')}
            />
            <OperatorAction
              action={terminateProviderAction}
              target={provider.id}
              label={ts('terminate')}
              title={ts('terminateTitle', { provider: name })}
              body={ts('terminateBody')}
              danger
              disabledReason={provider.status === 'terminated' ? ts('alreadyTerminated') : null}
            />
          </Card>
        </Section>
      ) : null}

      <Section id="chained" title={t('link.chainedTitle')} lead={ts('chainedLead')}>
        {provider.chainedConnections.length === 0 ? (
          <p className="text-ink-muted">{t('link.chainedNone')}</p>
        ) : (
          <ul className="space-y-3">
            {provider.chainedConnections.map((c) => (
              <li key={c.id}>
                <Card className="space-y-2">
                  <p className="font-bold">{c.name}</p>
                  <p className="text-sm text-ink-muted">{locale === 'en' ? c.purposeEn : c.purposeJa}</p>
                  <ItemChips items={c.items} />
                  {c.bankStopRequestedAt ? <p className="text-sm font-semibold">{ts('stopRequested', { date: format.dateTime(c.bankStopRequestedAt, 'dateTime') })}</p> : null}
                  {operator ? (
                    <OperatorAction
                      action={chainedStopByBankAction}
                      target={c.id}
                      label={ts('askStop')}
                      title={ts('askStopTitle', { name: c.name })}
                      body={ts('askStopBody', { provider: name, name: c.name })}
                      disabledReason={c.bankStopRequestedAt ? ts('alreadyAsked') : null}
                    />
                  ) : null}
                </Card>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
