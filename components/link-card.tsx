import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { ItemChips } from '@/components/item-chips';
import { ProviderMark } from '@/components/provider-mark';
import { StatusBadge } from '@/components/status-badge';
import { ChevronRightIcon } from '@/components/ui/icons';
import { daysUntil, suspensionReasonKey } from '@/lib/domain/link-status';
import type { LinkSummaryDTO } from '@/lib/links/queries';

/** A link at a glance. For bank staff (`href` to the staff page) the action reads "details", not "change". */
export async function LinkCard({ link, now, href }: { link: LinkSummaryDTO; now: Date; href?: string }) {
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const name = locale === 'en' ? link.provider.nameEn : link.provider.nameJa;
  const legalName = locale === 'en' ? link.provider.legalNameEn : link.provider.legalNameJa;
  const granted = link.items.filter((i) => i.granted).map((i) => i.item);
  const purpose = (locale === 'en' && link.provider.purposeEn) || link.provider.purposeJa;
  const inForce = link.displayStatus === 'active' || link.displayStatus === 'expiring_soon';
  const titleId = `link-${link.id}-title`;
  return (
    <article aria-labelledby={titleId} data-testid="link-card" data-status={link.displayStatus} className="rounded-[var(--radius-card)] border border-line bg-surface p-5 sm:p-6">
      <div className="flex flex-wrap items-start gap-x-4 gap-y-3">
        <ProviderMark name={name} />
        <div className="min-w-0 flex-1">
          <h3 id={titleId} className="text-lg font-bold leading-snug">
            {name}
          </h3>
          <p className="text-sm text-ink-muted">
            {legalName}・{t('dashboard.registration', { number: link.provider.registrationNumber })}
          </p>
          {purpose ? (
            <p className="mt-1 line-clamp-2 text-sm" data-testid="link-card-purpose">
              <span className="font-semibold text-ink-muted">{t('link.purpose')}：</span>
              <span lang={locale === 'en' && !link.provider.purposeEn ? 'ja' : undefined}>{purpose}</span>
            </p>
          ) : null}
        </div>
        <div className="basis-full sm:basis-auto">
          <StatusBadge status={link.displayStatus} label={t(`status.${link.displayStatus}`)} />
        </div>
      </div>

      {link.displayStatus === 'suspended' || link.displayStatus === 'terminated' ? (
        <p className="mt-3 text-sm font-semibold text-ink">{t(`suspension.${suspensionReasonKey(link.suspensionReason)}`)}</p>
      ) : null}
      {link.displayStatus === 'expired' ? <p className="mt-3 text-sm text-ink">{t('dashboard.reauthHint', { provider: name })}</p> : null}

      <div className="mt-4 grid gap-4 border-t border-line pt-4 md:grid-cols-[1fr_auto]">
        <div className="space-y-3">
          {inForce || link.displayStatus === 'suspended' ? <ItemChips items={granted} /> : null}
          {link.chainedConnections.length > 0 ? (
            <p className="text-sm">
              <span className="font-semibold text-ink-muted">{t('dashboard.chained')}：</span>
              {link.chainedConnections.map((c) => c.name).join('、')}
            </p>
          ) : null}
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm md:min-w-56">
          {inForce ? (
            <>
              <dt className="text-ink-muted">{t('dashboard.expires')}</dt>
              <dd className="tabular font-semibold">{t('dashboard.expiresValue', { date: format.dateTime(link.expiresAt, 'date'), days: daysUntil(link.expiresAt, now) })}</dd>
            </>
          ) : null}
          {link.displayStatus === 'expired' ? (
            <>
              <dt className="text-ink-muted">{t('dashboard.expires')}</dt>
              <dd className="tabular">{t('dashboard.expiredOn', { date: format.dateTime(link.expiresAt, 'date') })}</dd>
            </>
          ) : null}
          {link.status === 'revoked' || link.status === 'terminated' ? (
            <>
              <dt className="text-ink-muted">{t(`status.${link.status}`)}</dt>
              <dd className="tabular">{t('dashboard.stoppedOn', { date: format.dateTime(link.statusChangedAt, 'date') })}</dd>
            </>
          ) : null}
          <dt className="text-ink-muted">{t('dashboard.lastUsed')}</dt>
          <dd className="tabular">{link.lastUsedAt ? format.dateTime(link.lastUsedAt, 'dateTime') : t('dashboard.neverUsed')}</dd>
        </dl>
      </div>

      <div className="mt-4 flex justify-end">
        <Link
          href={href ?? `/links/${link.id}`}
          aria-label={href ? t('staff.customer.detailsFor', { provider: name }) : t('dashboard.detailsFor', { provider: name })}
          className="inline-flex min-h-11 items-center gap-1 rounded-lg px-3 font-semibold text-primary hover:bg-primary-soft"
        >
          {href ? t('staff.customer.details') : t('dashboard.details')}
          <ChevronRightIcon />
        </Link>
      </div>
    </article>
  );
}
