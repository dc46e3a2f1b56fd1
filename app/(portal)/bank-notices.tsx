import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { EyeIcon, InfoIcon } from '@/components/ui/icons';
import type { CustomerLookupNoticeDTO, DisclosureDTO } from '@/lib/staff/queries';

/**
 * What the bank did with the customer's data that the customer did not do themselves: staff
 * look-ups (SPEC §5) and disclosures to providers for an incident (Art. 7).
 */
export async function BankNotices({ lookups, disclosures }: { lookups: CustomerLookupNoticeDTO[]; disclosures: DisclosureDTO[] }) {
  const [t, format, locale] = await Promise.all([getTranslations('bankNotices'), getFormatter(), getLocale()]);
  return (
    <section aria-labelledby="bank-notices-title" className="space-y-4">
      <div>
        <h2 id="bank-notices-title" className="text-lg font-bold">
          {t('title')}
        </h2>
        <p className="mt-1 text-sm text-ink-muted">{t('lead')}</p>
      </div>
      <Card className="space-y-5">
        <div className="space-y-2">
          <h3 className="flex items-center gap-2 font-semibold">
            <EyeIcon className="shrink-0 text-primary" />
            {t('lookupsTitle')}
          </h3>
          {lookups.length === 0 ? (
            <p className="text-sm text-ink-muted">{t('lookupsEmpty')}</p>
          ) : (
            <ul className="space-y-1 text-sm" data-testid="staff-lookups">
              {lookups.map((l, i) => (
                <li key={i} className="tabular">
                  {t(`lookup.${l.view}`, { date: format.dateTime(l.at, 'dateTime') })}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="space-y-2 border-t border-line pt-4">
          <h3 className="flex items-center gap-2 font-semibold">
            <InfoIcon className="shrink-0 text-primary" />
            {t('disclosuresTitle')}
          </h3>
          {disclosures.length === 0 ? (
            <p className="text-sm text-ink-muted">{t('disclosuresEmpty')}</p>
          ) : (
            <ul className="space-y-3 text-sm" data-testid="disclosures">
              {disclosures.map((d) => (
                <li key={d.id} className="space-y-0.5">
                  <p className="font-semibold">
                    {t('disclosure', { provider: locale === 'en' ? d.providerNameEn : d.providerNameJa, date: format.dateTime(d.disclosedAt, 'date') })}
                  </p>
                  <p>{t('disclosureWhat', { information: d.information })}</p>
                  <p className="text-ink-muted">{t('disclosureReason', { reason: t(`reason.${d.reason}` as 'reason.1') })}</p>
                </li>
              ))}
            </ul>
          )}
        </div>
      </Card>
    </section>
  );
}
