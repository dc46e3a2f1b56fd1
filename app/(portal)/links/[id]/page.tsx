import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { ProviderMark } from '@/components/provider-mark';
import { LinkHistory } from '@/components/link-history';
import { receiptTitle } from '@/components/receipt-text';
import { listReceipts } from '@/lib/receipts/queries';
import { StatusBadge } from '@/components/status-badge';
import { UsageChart } from '@/components/usage-chart';
import { UsageByItem } from '@/components/usage-by-item';
import { listDisclosuresForCustomer } from '@/lib/staff/queries';
import { Alert } from '@/components/ui/alert';
import { Card, Section } from '@/components/ui/card';
import { ChevronLeftIcon, ShieldIcon } from '@/components/ui/icons';
import { requireCustomer } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { regrantBlocker, requiresStepUp, revokeBlocker } from '@/lib/domain/link-rules';
import { daysUntil, suspensionReasonKey } from '@/lib/domain/link-status';
import { itemsInGroup, PERMISSION_GROUPS, type PermissionItem } from '@/lib/domain/permission-items';
import { getLink } from '@/lib/links/queries';
import { ChainedStop } from './chained-stop';
import { ItemSwitch } from './item-switch';
import { StopLink } from './stop-link';

type Params = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const principal = await requireCustomer();
  const [link, locale, t] = await Promise.all([getDb().then(async (db) => getLink(db, principal, (await params).id)), getLocale(), getTranslations('errors')]);
  if (!link) return { title: t('linkNotFoundTitle') };
  return { title: locale === 'en' ? link.provider.nameEn : link.provider.nameJa };
}

export default async function LinkPage({ params, searchParams }: Params) {
  const { id } = await params;
  const principal = await requireCustomer(`/links/${id}`);
  const now = new Date();
  const cursor = (await searchParams).history;
  const db = await getDb();
  const link = await getLink(db, principal, id, now, { historyBefore: typeof cursor === 'string' ? cursor : null });
  if (!link) notFound();
  const [linkReceipts, disclosures] = await Promise.all([listReceipts(db, principal, { linkId: link.id, limit: 5 }), listDisclosuresForCustomer(db, principal)]);
  const disclosed = disclosures.filter((d) => d.providerId === link.providerId);

  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const name = locale === 'en' ? link.provider.nameEn : link.provider.nameJa;
  const legalName = locale === 'en' ? link.provider.legalNameEn : link.provider.legalNameJa;
  const final = link.status === 'revoked' || link.status === 'terminated';
  const inForce = link.displayStatus === 'active' || link.displayStatus === 'expiring_soon';
  const date = (d: Date) => format.dateTime(d, 'date');
  const dateTime = (d: Date) => format.dateTime(d, 'dateTime');
  const sharedNow = new Set(link.items.filter((i) => i.granted).map((i) => i.item));
  // 利用目的 in the reader's language, or the provider's Japanese when it gave no English (issue 14 §1).
  const purpose = (locale === 'en' && link.provider.purposeEn) || link.provider.purposeJa;
  const purposeLang = locale === 'en' && !link.provider.purposeEn ? 'ja' : undefined;
  // Coming back: an expired link, or one the customer or provider stopped and the bank does not hold.
  const relink = link.displayStatus === 'expired' || (link.status === 'revoked' && !link.heldByBank);

  function blockerFor(item: PermissionItem, granted: boolean): string | null {
    const code = granted
      ? revokeBlocker(link!, link!.items, item)
      : regrantBlocker(link!, link!.items, link!.provider.permittedItems, item, now);
    if (!code) return null;
    if (code === 'item_not_permitted') return t('link.itemNotPermitted');
    return t('link.itemLocked');
  }

  return (
    <div className="space-y-8">
      <Link href="/" className="inline-flex min-h-11 items-center gap-1 text-sm font-semibold text-primary hover:underline">
        <ChevronLeftIcon />
        {t('link.back')}
      </Link>

      <Card className="space-y-4">
        <div className="flex flex-wrap items-start gap-4">
          <ProviderMark name={name} large />
          <div className="min-w-0 flex-1 space-y-1">
            <h1 className="text-2xl font-bold leading-snug">{name}</h1>
            <p className="text-sm text-ink-muted">
              {legalName}・{t('dashboard.registration', { number: link.provider.registrationNumber })}
            </p>
          </div>
          <div className="flex basis-full flex-col items-start gap-1 sm:basis-auto sm:items-end" data-testid="link-status">
            <StatusBadge status={link.displayStatus} label={t(`status.${link.displayStatus}`)} />
            <span className="text-xs text-ink-muted">{t('link.statusSince', { date: date(link.statusChangedAt) })}</span>
          </div>
        </div>
        {link.displayStatus === 'suspended' || link.displayStatus === 'terminated' ? (
          <Alert tone={link.displayStatus === 'suspended' ? 'critical' : 'info'}>{t(`suspension.${suspensionReasonKey(link.suspensionReason)}`)}</Alert>
        ) : null}
        {link.displayStatus === 'expired' ? <Alert tone="warning">{t('dashboard.reauthHint', { provider: name })}</Alert> : null}
        {relink && (link.provider.initiateLoginUri || link.status === 'revoked') ? (
          // Art. 2.1 / Art. 4: an expired or stopped link comes back only through the provider (issue 14 §6).
          <div className="flex flex-wrap items-center gap-3" data-testid="relink">
            {link.provider.initiateLoginUri ? (
              <a href={link.provider.initiateLoginUri} rel="noopener noreferrer" className={buttonClass('primary')}>
                {t('link.relink', { provider: name })}
              </a>
            ) : null}
            <p className="text-sm text-ink-muted">{t(link.provider.initiateLoginUri ? 'link.relinkLead' : 'link.relinkHow', { provider: name })}</p>
          </div>
        ) : null}
        {link.displayStatus === 'expiring_soon' ? (
          <Alert tone="warning">{t('dashboard.expiresValue', { date: date(link.expiresAt), days: daysUntil(link.expiresAt, now) })}</Alert>
        ) : null}
        {purpose ? (
          <div className="space-y-1 border-t border-line pt-4" data-testid="link-purpose">
            <h2 className="text-sm font-semibold text-ink-muted">{t('link.purpose')}</h2>
            <p lang={purposeLang}>{purpose}</p>
          </div>
        ) : null}
        <dl className="grid gap-x-6 gap-y-2 border-t border-line pt-4 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-ink-muted">{t('link.consentedOn')}</dt>
            <dd className="tabular font-semibold">{date(link.consentedAt)}</dd>
          </div>
          <div>
            <dt className="text-ink-muted">{t('link.termsVersion')}</dt>
            <dd className="font-semibold">
              <Link href="/terms" className="text-primary underline underline-offset-4">
                {t('link.termsVersionValue', { date: date(new Date(`${link.terms.revisedOn}T00:00:00+09:00`)) })}
              </Link>
            </dd>
          </div>
          <div>
            <dt className="text-ink-muted">{t('dashboard.lastUsed')}</dt>
            <dd className="tabular font-semibold">{link.lastUsedAt ? dateTime(link.lastUsedAt) : t('dashboard.neverUsed')}</dd>
          </div>
        </dl>
      </Card>

      {PERMISSION_GROUPS.map((group) => {
        const items = itemsInGroup(
          link.items.map((i) => i.item),
          group,
        );
        if (items.length === 0) return null;
        return (
          <Section key={group} id={`group-${group}`} title={t(`groups.${group}`)} lead={t(`groups.${group}Hint`)}>
            <Card flush className="divide-y divide-line">
              {items.map((item) => {
                const state = link.items.find((i) => i.item === item)!;
                const nameId = `item-${item}-name`;
                return (
                  <div key={item} className="flex flex-wrap items-start gap-x-4 gap-y-2 px-5 py-4 sm:px-6" data-testid={`item-${item}`}>
                    <div className="min-w-0 flex-1 space-y-1">
                      <h3 id={nameId} className="font-bold">
                        {t(`items.${item}.name`)}
                      </h3>
                      <p className="text-sm text-ink-muted">{t(`items.${item}.description`)}</p>
                      <p className="tabular text-xs text-ink-muted">
                        {state.granted
                          ? state.lastUsedAt
                            ? t('link.itemLastUsed', { date: dateTime(state.lastUsedAt) })
                            : t('dashboard.neverUsed')
                          : state.revokedAt
                            ? t('link.itemRevokedOn', { date: dateTime(state.revokedAt) })
                            : null}
                      </p>
                    </div>
                    <div className="w-full sm:w-auto">
                      <ItemSwitch
                        linkId={link.id}
                        version={link.version}
                        item={item}
                        granted={state.granted}
                        providerName={name}
                        stepUp={requiresStepUp(item, 'grant')}
                        disabledReason={blockerFor(item, state.granted)}
                        nameId={nameId}
                      />
                    </div>
                  </div>
                );
              })}
            </Card>
          </Section>
        );
      })}

      <Section id="accounts" title={t('link.accounts')} lead={t('link.accountsLead')}>
        <Card flush>
          <ul className="divide-y divide-line">
            {link.accounts.map((a) => (
              <li key={a.id} className="flex flex-wrap justify-between gap-2 px-5 py-3 sm:px-6">
                <span className="font-semibold">{t(`accountTypes.${a.type}`)}</span>
                <span className="tabular text-ink-muted">
                  {a.branchName} {a.maskedNumber}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      </Section>

      <Section id="chained" title={t('link.chainedTitle')} lead={t('link.chainedLead', { provider: name })}>
        {link.chainedConnections.length === 0 ? (
          <p className="text-ink-muted">{t('link.chainedNone')}</p>
        ) : (
          <ul className="space-y-3">
            {link.chainedConnections.map((c) => (
              <li key={c.id}>
                <Card className="space-y-3">
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <h3 className="font-bold">{c.name}</h3>
                    <span className="text-xs text-ink-muted">{t('link.chainedSince', { date: date(new Date(`${c.since}T00:00:00+09:00`)) })}</span>
                  </div>
                  <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
                    <dt className="text-ink-muted">{t('link.chainedPurpose')}</dt>
                    <dd>{locale === 'en' ? c.purposeEn : c.purposeJa}</dd>
                    <dt className="text-ink-muted">{t('link.chainedItems')}</dt>
                    {/* Only what the provider can read now can flow on: the declared items the customer shares. */}
                    <dd>
                      {c.items.some((i) => sharedNow.has(i))
                        ? c.items
                            .filter((i) => sharedNow.has(i))
                            .map((i) => t(`items.${i}.name`))
                            .join(locale === 'en' ? ', ' : '、')
                        : t('link.chainedItemsNone')}
                    </dd>
                  </dl>
                  {c.bankStopRequestedAt ? (
                    <Alert tone="info">{t('link.bankStopRequested', { date: dateTime(c.bankStopRequestedAt), provider: name })}</Alert>
                  ) : null}
                  {c.stopRequestedAt || !final ? (
                    <ChainedStop
                      linkId={link.id}
                      chainedConnectionId={c.id}
                      name={c.name}
                      providerName={name}
                      requested={c.stopRequestedAt ? t('link.stopRequested', { date: dateTime(c.stopRequestedAt) }) : null}
                    />
                  ) : null}
                </Card>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="usage" title={t('link.usageTitle')}>
        <Card>
          <UsageChart usage={link.usage} />
          <UsageByItem usage={link.usageByItem} />
        </Card>
      </Section>

      {disclosed.length > 0 ? (
        // Art. 7: what the bank itself disclosed to this provider, and why (also among the dashboard's notices).
        <Section id="disclosures" title={t('link.disclosuresTitle', { provider: name })}>
          <Card>
            <ul className="space-y-3 text-sm" data-testid="link-disclosures">
              {disclosed.map((d) => (
                <li key={d.id} className="space-y-0.5">
                  <p className="font-semibold tabular">{date(d.disclosedAt)}</p>
                  <p>{t('bankNotices.disclosureWhat', { information: d.information })}</p>
                  <p className="text-ink-muted">{t('bankNotices.disclosureReason', { reason: t(`bankNotices.reason.${d.reason}` as 'bankNotices.reason.1') })}</p>
                </li>
              ))}
            </ul>
          </Card>
        </Section>
      ) : null}

      <Section id="expiry" title={t('link.expiryTitle')}>
        <Card className="space-y-2">
          <p>{t('link.expiryBody', { days: link.provider.inactivityDays, provider: name })}</p>
          {inForce ? (
            <p className="tabular font-semibold">
              {t('link.expiresAt')}：{t('dashboard.expiresValue', { date: date(link.expiresAt), days: daysUntil(link.expiresAt, now) })}
            </p>
          ) : null}
          <p className="flex gap-2 text-sm text-ink-muted">
            <ShieldIcon className="mt-0.5 shrink-0" />
            {t('link.credentialNotice')}
          </p>
        </Card>
      </Section>

      <Section id="history" title={t('link.historyTitle')}>
        <LinkHistory history={link.history} next={link.historyNext} older={link.historyOlder} basePath={`/links/${link.id}`} />
      </Section>

      <Section id="receipts" title={t('receipts.linkSection')}>
        <Card className="space-y-3">
          {linkReceipts.receipts.length === 0 ? (
            <p className="text-ink-muted">{t('receipts.emptyBody')}</p>
          ) : (
            <ul className="space-y-2" data-testid="link-receipts">
              {linkReceipts.receipts.map((r) => (
                <li key={r.id} className="flex flex-wrap items-baseline gap-x-3">
                  <Link href={`/receipts/${r.id}`} className="font-semibold text-primary underline underline-offset-4">
                    {receiptTitle(t as unknown as Parameters<typeof receiptTitle>[0], r)}
                  </Link>
                  <span className="tabular text-sm text-ink-muted">
                    {dateTime(r.at)}・{r.number}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {linkReceipts.next ? (
            <Link href={`/receipts?link=${link.id}`} className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
              {t('receipts.linkSectionAll')}
            </Link>
          ) : null}
        </Card>
      </Section>

      <Section id="danger" title={t('link.dangerTitle')}>
        <Card className="space-y-4 border-critical/40">
          <StopLink linkId={link.id} version={link.version} providerName={name} chainedNames={link.chainedConnections.filter((c) => !c.stopRequestedAt).map((c) => c.name)} stopped={final} />
        </Card>
      </Section>
    </div>
  );
}
