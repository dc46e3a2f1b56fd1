import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { LinkIcon } from '@/components/ui/icons';
import { requireCustomer } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { compareForDashboard, needsAttention } from '@/lib/domain/link-status';
import { listLinks } from '@/lib/links/queries';
import { listDisclosuresForCustomer, listStaffLookupsForCustomer } from '@/lib/staff/queries';
import { BankNotices } from './bank-notices';
import { LinkCard } from '@/components/link-card';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('dashboard');
  return { title: t('title') };
}

export default async function DashboardPage() {
  const principal = await requireCustomer('/');
  const now = new Date();
  const db = await getDb();
  const [t, links, lookups, disclosures] = await Promise.all([
    getTranslations('dashboard'),
    listLinks(db, principal, now),
    listStaffLookupsForCustomer(db, principal),
    listDisclosuresForCustomer(db, principal),
  ]);
  const sorted = [...links].sort((a, b) => compareForDashboard(a.displayStatus, b.displayStatus));
  const attention = sorted.filter((l) => needsAttention(l.displayStatus));
  const others = sorted.filter((l) => !needsAttention(l.displayStatus));

  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
        <p className="max-w-3xl text-ink-muted">{t('lead')}</p>
        {links.length > 0 ? (
          <p className="flex flex-wrap gap-x-4 text-sm font-semibold" data-testid="dashboard-summary">
            <span>{t('summary', { total: links.length })}</span>
            <span className={attention.length > 0 ? 'text-warning' : 'text-positive'}>{t('attention', { count: attention.length })}</span>
          </p>
        ) : null}
      </div>

      {links.length === 0 ? (
        <Card className="space-y-3 text-center">
          <span className="mx-auto grid size-12 place-items-center rounded-full bg-primary-soft text-primary" aria-hidden="true">
            <LinkIcon width={24} height={24} />
          </span>
          <h2 className="text-lg font-bold">{t('emptyTitle')}</h2>
          <p className="mx-auto max-w-xl text-left text-ink-muted sm:text-center">{t('emptyBody')}</p>
          <Link href="/terms" className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
            {t('emptyTerms')}
          </Link>
        </Card>
      ) : null}

      {[
        { id: 'attention', title: t('needsAttention'), links: attention },
        { id: 'others', title: t('others'), links: others },
      ].map((group) =>
        group.links.length > 0 ? (
          <section key={group.id} aria-labelledby={`${group.id}-title`} className="space-y-4">
            <h2 id={`${group.id}-title`} className="text-lg font-bold">
              {group.title}
            </h2>
            <div className="space-y-4">
              {group.links.map((link) => (
                <LinkCard key={link.id} link={link} now={now} />
              ))}
            </div>
          </section>
        ) : null,
      )}

      <BankNotices lookups={lookups} disclosures={disclosures} />
    </div>
  );
}
