import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { requireStaff } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { LINK_STATUSES } from '@/lib/domain/link-status';
import { listProvidersForStaff } from '@/lib/staff/queries';
import { ProviderStatus } from './provider-status';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('staff.providers');
  return { title: t('title') };
}

/** The provider directory: each provider's standing and its links counted per status. */
export default async function StaffProvidersPage() {
  const staff = await requireStaff('/staff/providers');
  const [providers, t, tAll, locale] = await Promise.all([listProvidersForStaff(await getDb(), staff), getTranslations('staff.providers'), getTranslations(), getLocale()]);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
        <p className="text-ink-muted">{t('lead')}</p>
      </div>
      <Card flush className="overflow-x-auto">
        <table className="w-full min-w-[44rem] text-left text-sm" data-testid="provider-directory">
          <caption className="sr-only">{t('caption')}</caption>
          <thead className="border-b border-line text-ink-muted">
            <tr>
              <th scope="col" className="px-4 py-3 font-semibold">
                {t('provider')}
              </th>
              <th scope="col" className="px-4 py-3 font-semibold">
                {t('standing')}
              </th>
              {LINK_STATUSES.map((s) => (
                <th key={s} scope="col" className="px-3 py-3 text-right font-semibold">
                  {tAll(`status.${s}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {providers.map((p) => (
              <tr key={p.id} data-provider={p.clientId}>
                <th scope="row" className="px-4 py-3 font-normal">
                  <Link href={`/staff/providers/${p.id}`} className="font-semibold text-primary underline underline-offset-4">
                    {locale === 'en' ? p.nameEn : p.nameJa}
                  </Link>
                  <span className="block text-xs text-ink-muted">{p.registrationNumber}</span>
                </th>
                <td className="px-4 py-3">
                  <ProviderStatus status={p.status} />
                </td>
                {LINK_STATUSES.map((s) => (
                  <td key={s} className="tabular px-3 py-3 text-right" data-count={s}>
                    {p.counts[s]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
