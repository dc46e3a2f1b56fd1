import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { ProviderMark } from '@/components/provider-mark';
import { StepIndicator } from '@/components/step-indicator';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { ShieldIcon } from '@/components/ui/icons';
import { requireCustomer } from '@/lib/auth/principal';
import { getConsentContext } from '@/lib/consent/consent';
import { getDb } from '@/lib/db';
import { loadInteraction } from '@/lib/oauth/interaction';
import { approveAction, denyAction } from './actions';
import { BackToProvider } from './back-to-provider';
import { ConsentForm } from './consent-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('consent');
  return { title: t('title') };
}

type Params = { params: Promise<{ uid: string }> };

/** Consent screen (Art. 2.1): providers redirect customers here, often in an in-app browser. */
export default async function ConsentPage({ params }: Params) {
  const { uid } = await params;
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const interaction = await loadInteraction(uid);
  if (!interaction) {
    return (
      <Card className="mx-auto max-w-xl space-y-3">
        <h1 className="text-2xl font-bold">{t('consent.invalidTitle')}</h1>
        <p className="text-ink-muted">{t('consent.invalidBody')}</p>
      </Card>
    );
  }
  const principal = await requireCustomer(`/consent/${uid}`);
  const { context, blocker } = await getConsentContext(await getDb(), principal, interaction.clientId, interaction.scope, new Date(), interaction.grant);
  const name = context ? (locale === 'en' ? context.provider.nameEn : context.provider.nameJa) : '';
  const list = (items: string[]) => items.map((i) => t(`items.${i as 'balances'}.name`)).join(locale === 'en' ? ', ' : '、');

  if (!context || blocker) {
    const message = { link_suspended: 'linkSuspended', nothing_to_grant: 'nothingToGrant', grant_not_found: 'grantNotFound', provider_unavailable: 'providerUnavailable' }[blocker ?? 'provider_unavailable'];
    return (
      <Card className="mx-auto max-w-xl space-y-4">
        <h1 className="text-2xl font-bold">{t('consent.invalidTitle')}</h1>
        <p>{t(`consent.${message}`)}</p>
        <BackToProvider deny={denyAction.bind(null, uid)} label={t('consent.backToProvider')} />
      </Card>
    );
  }

  const legalName = locale === 'en' ? context.provider.legalNameEn : context.provider.legalNameJa;
  const purpose = (locale === 'en' && context.provider.purposeEn) || context.provider.purposeJa;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <StepIndicator label={t('consent.steps')} steps={[t('consent.stepLogin'), t('consent.stepOtp'), t('consent.stepConsent')]} current={2} />
      <Card className="flex items-start gap-4" data-testid="consent-provider">
        <ProviderMark name={name} large />
        <div className="min-w-0 space-y-1">
          <p className="text-lg font-bold">{name}</p>
          <p className="text-sm text-ink-muted">{legalName}</p>
          <p className="inline-flex items-center gap-1.5 text-sm">
            <ShieldIcon className="shrink-0 text-positive" />
            {t('consent.registered')}・{t('consent.registration', { number: context.provider.registrationNumber })}
          </p>
        </div>
      </Card>
      <div className="space-y-2">
        <h1 className="text-2xl font-bold leading-snug">{t('consent.asks', { provider: name })}</h1>
        <p className="text-ink-muted">{t('consent.lead')}</p>
      </div>
      {purpose ? (
        // 利用目的, before the items the customer chooses (issue 14 §1; EU FiDA Art. 8).
        <section aria-labelledby="consent-purpose-title" className="space-y-1 rounded-[var(--radius-card)] border border-line bg-surface p-4 sm:p-5" data-testid="consent-purpose">
          <h2 id="consent-purpose-title" className="font-bold">
            {t('consent.purpose', { provider: name })}
          </h2>
          <p lang={locale === 'en' && !context.provider.purposeEn ? 'ja' : undefined}>{purpose}</p>
        </section>
      ) : null}
      {context.grantChange ? (
        // Grant Management: the provider changes the link it holds; what it has now comes first.
        <section aria-labelledby="current-items-title" className="space-y-2 rounded-[var(--radius-card)] border border-line bg-surface p-4 sm:p-5" data-testid="consent-current">
          <Alert tone="info">{t(context.grantChange.action === 'update' ? 'consent.updateNotice' : 'consent.replaceNotice', { provider: name })}</Alert>
          <h2 id="current-items-title" className="font-bold">
            {t('consent.currentItems')}
          </h2>
          <p>{context.grantChange.currentItems.length > 0 ? list(context.grantChange.currentItems) : t('consent.currentItemsNone')}</p>
        </section>
      ) : context.existingLinkStatus && context.existingLinkStatus !== 'revoked' ? (
        <Alert tone="info">{t('consent.renewNotice')}</Alert>
      ) : null}
      {context.notPermittedItems.length > 0 ? <Alert tone="warning">{t('consent.notPermitted', { items: list(context.notPermittedItems) })}</Alert> : null}
      <ConsentForm approve={approveAction.bind(null, uid)} deny={denyAction.bind(null, uid)} items={context.offeredItems} accounts={context.accounts} checkedAccountIds={context.grantChange?.currentAccountIds}
        itemsTitle={context.grantChange?.action === 'update' ? t('consent.addedItems') : undefined}
      >
        {context.chainedConnections.length > 0 ? (
          <section aria-labelledby="chained-title" className="space-y-2">
            <h2 id="chained-title" className="text-lg font-bold">
              {t('consent.chained')}
            </h2>
            <p className="text-sm text-ink-muted">{t('consent.chainedLead', { provider: name })}</p>
            <ul className="space-y-2">
              {context.chainedConnections.map((c) => (
                <li key={c.id} className="rounded-lg border border-line bg-surface px-4 py-3">
                  <p className="font-semibold">{c.name}</p>
                  <p className="text-sm">{locale === 'en' ? c.purposeEn : c.purposeJa}</p>
                  <p className="text-sm text-ink-muted">{t('consent.chainedItems', { items: list(c.items) })}</p>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="expiry-title" className="space-y-2">
          <h2 id="expiry-title" className="text-lg font-bold">
            {t('consent.expiry')}
          </h2>
          <p>{t('consent.expiryBody', { provider: name, days: context.provider.inactivityDays })}</p>
        </section>
        <Alert tone="info">{t('consent.credentials')}</Alert>
        {context.terms ? (
          <section aria-labelledby="terms-title" className="space-y-1">
            <h2 id="terms-title" className="text-lg font-bold">
              {t('consent.terms')}
            </h2>
            <p>{t('consent.termsBody', { date: format.dateTime(new Date(`${context.terms.revisedOn}T00:00:00+09:00`), 'date'), effective: format.dateTime(context.terms.effectiveFrom, 'date') })}</p>
            <Link href="/terms" target="_blank" className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
              {t('consent.termsLink')}
            </Link>
          </section>
        ) : null}
      </ConsentForm>
    </div>
  );
}
