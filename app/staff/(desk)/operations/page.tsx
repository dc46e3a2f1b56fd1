import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { Card, Section } from '@/components/ui/card';
import { requireOperator } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { formatTokyoDateTimeLocal } from '@/lib/operations/input';
import { listOpenMaintenanceWindows, listOperationsLog, listProviderOptions, listRecentDisclosures, type ActorDTO, type OperationsLogEntryDTO } from '@/lib/operations/queries';
import { getTermsOverview } from '@/lib/terms/queries';
import { termsToPlainText } from '@/lib/terms/render';
import { DisclosureForm } from './disclosure-form';
import { MaintenanceForm } from './maintenance-form';
import { MaintenanceList } from './maintenance-list';
import { TermsForm } from './terms-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('Operations');
  return { title: t('title') };
}

const SECTIONS = ['maintenance', 'terms', 'disclosure', 'log'] as const;

/**
 * The operator console (SPEC §1 operations): maintenance (Art. 6.1), terms (Art. 9), disclosures
 * (Art. 7) and the operations log. Operators only; each Server Action checks again.
 */
export default async function OperationsPage() {
  const operator = await requireOperator('/staff/operations');
  const now = new Date();
  const db = await getDb();
  const [windows, overview, providers, disclosures, log, t, format, locale] = await Promise.all([
    listOpenMaintenanceWindows(db, operator, now),
    getTermsOverview(db, now),
    listProviderOptions(db, operator),
    listRecentDisclosures(db, operator, 20),
    listOperationsLog(db, operator, 50),
    getTranslations('Operations'),
    getFormatter(),
    getLocale(),
  ]);
  const dateTime = (d: Date) => format.dateTime(d, 'dateTime');
  const date = (isoDate: string) => format.dateTime(new Date(`${isoDate}T00:00:00+09:00`), 'date');
  const range = (start: Date, end: Date) => t('maintenance.range', { start: dateTime(start), end: dateTime(end) });
  const who = (actor: ActorDTO) => (actor.kind === 'staff' ? actor.name : actor.kind === 'cli' ? t('log.cli', { name: actor.name.replace(/^cli:/, '') }) : t('log.unknownActor', { id: actor.id }));
  const nowLocal = formatTokyoDateTimeLocal(now).slice(0, 16);
  const latest = overview.upcoming.at(-1) ?? overview.inForce;
  const providerName = (p: { nameJa: string; nameEn: string }) => (locale === 'en' ? p.nameEn : p.nameJa);

  function versionLine(v: { id: string; revisedOn: string; effectiveFrom: Date }) {
    return t('terms.versionLine', { version: v.id, revisedOn: date(v.revisedOn), effectiveFrom: dateTime(v.effectiveFrom) });
  }

  function detailOf(entry: OperationsLogEntryDTO): string {
    const d = entry.detail;
    const parts: string[] = [];
    if (typeof d.name === 'string') parts.push(t('log.detail.name', { name: d.name }));
    if (typeof d.reason === 'number') parts.push(t('log.detail.reason', { reason: d.reason }));
    if (typeof d.links === 'number') parts.push(t('log.detail.links', { count: d.links }));
    if (typeof d.startsAt === 'string' && typeof d.endsAt === 'string') parts.push(t('log.detail.window', { start: dateTime(new Date(d.startsAt)), end: dateTime(new Date(d.endsAt)) }));
    if (typeof d.effectiveFrom === 'string') parts.push(t('log.detail.effectiveFrom', { date: dateTime(new Date(d.effectiveFrom)) }));
    if (typeof d.note === 'string' && d.note !== '') parts.push(t('log.detail.note', { note: d.note }));
    return parts.join(locale === 'en' ? ', ' : '、');
  }

  function actionLabel(action: string): string {
    const key = `log.actions.${action.replace(/\./g, '_')}`;
    return t.has(key) ? t(key) : action;
  }

  function targetLabel(entry: OperationsLogEntryDTO): string {
    const type = t.has(`log.targets.${entry.target.type}`) ? t(`log.targets.${entry.target.type}`) : entry.target.type;
    const name = entry.target.providerNameJa && entry.target.providerNameEn ? providerName({ nameJa: entry.target.providerNameJa, nameEn: entry.target.providerNameEn }) : entry.target.id;
    return t('log.targetValue', { type, name });
  }

  return (
    <div className="space-y-10">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
        <p className="text-ink-muted">{t('lead')}</p>
        <nav aria-label={t('onThisPage')}>
          <ul className="flex flex-wrap gap-2 pt-2">
            {SECTIONS.map((id) => (
              <li key={id}>
                <a href={`#${id}-title`} className="inline-flex min-h-11 items-center rounded-full border border-line-strong bg-surface px-4 text-sm font-semibold text-primary hover:bg-primary-soft">
                  {t(`${id}.title`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>

      <Section id="maintenance" title={t('maintenance.title')} lead={t('maintenance.lead')}>
        <h3 className="text-base font-bold">{t('maintenance.listTitle')}</h3>
        <MaintenanceList
          windows={windows.map((w) => ({
            id: w.id,
            range: range(w.startsAt, w.endsAt),
            inForce: w.state === 'in_force',
            noteJa: w.noteJa,
            noteEn: w.noteEn,
            createdBy: who(w.createdBy),
          }))}
        />
        <Card>
          <MaintenanceForm minDateTime={nowLocal} />
        </Card>
      </Section>

      <Section id="terms" title={t('terms.title')} lead={t('terms.lead')}>
        <Card className="space-y-3">
          <dl className="space-y-3">
            <div>
              <dt className="text-sm text-ink-muted">{t('terms.inForce')}</dt>
              <dd className="font-semibold" data-testid="terms-in-force">
                {overview.inForce ? versionLine(overview.inForce) : t('terms.none')}
              </dd>
            </div>
            <div>
              <dt className="text-sm text-ink-muted">{t('terms.upcoming')}</dt>
              <dd data-testid="terms-upcoming">
                {overview.upcoming.length === 0 ? (
                  t('terms.noUpcoming')
                ) : (
                  <ul className="space-y-1">
                    {overview.upcoming.map((v) => (
                      <li key={v.id} className="font-semibold">
                        {versionLine(v)}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
          </dl>
        </Card>
        <Card>
          <TermsForm latestVersion={latest?.id ?? '—'} latestText={latest ? termsToPlainText(latest.body) : ''} minDateTime={nowLocal} />
        </Card>
      </Section>

      <Section id="disclosure" title={t('disclosure.title')} lead={t('disclosure.lead')}>
        <Card>
          <DisclosureForm providers={providers} nowDateTime={nowLocal} />
        </Card>
        <h3 className="text-base font-bold">{t('disclosure.recentTitle')}</h3>
        {disclosures.length === 0 ? (
          <p className="text-ink-muted">{t('disclosure.none')}</p>
        ) : (
          <Card flush>
            <ul className="divide-y divide-line" data-testid="disclosures">
              {disclosures.map((d) => (
                <li key={d.id} className="space-y-1 px-5 py-4 text-sm sm:px-6">
                  <p className="flex flex-wrap gap-x-3 text-base font-semibold">
                    <span>{providerName(d.provider)}</span>
                    <time dateTime={d.disclosedAt.toISOString()} className="tabular">
                      {dateTime(d.disclosedAt)}
                    </time>
                  </p>
                  <p>
                    <Link
                      href={`/staff/customers/${d.customer.id}`}
                      aria-label={t('disclosure.customerLink', { number: d.customer.customerNumber })}
                      className="tabular font-semibold text-primary underline underline-offset-4"
                    >
                      {t('disclosure.customer', { number: d.customer.customerNumber })}
                    </Link>
                  </p>
                  <p>{d.information}</p>
                  <p className="text-ink-muted">
                    {t('disclosure.reasonLine', { reason: d.reason, label: t.has(`disclosure.reasonShort.${d.reason}`) ? t(`disclosure.reasonShort.${d.reason}`) : '' })}
                  </p>
                  {d.note ? <p className="text-ink-muted">{t('log.detail.note', { note: d.note })}</p> : null}
                  <p className="text-ink-muted">{t('disclosure.recordedBy', { name: who(d.recordedBy), at: dateTime(d.recordedAt) })}</p>
                </li>
              ))}
            </ul>
          </Card>
        )}
      </Section>

      <Section id="log" title={t('log.title')} lead={t('log.lead')}>
        {log.length === 0 ? (
          <p className="text-ink-muted">{t('log.none')}</p>
        ) : (
          <Card flush>
            <ol className="divide-y divide-line" data-testid="operations-log">
              {log.map((entry) => {
                const detail = detailOf(entry);
                return (
                  <li key={entry.id} className="grid gap-x-6 gap-y-1 px-5 py-3 text-sm sm:grid-cols-[11rem_1fr] sm:px-6">
                    <time dateTime={entry.at.toISOString()} className="tabular text-ink-muted">
                      {dateTime(entry.at)}
                    </time>
                    <div className="min-w-0 space-y-0.5">
                      <p className="font-semibold">{actionLabel(entry.action)}</p>
                      <p className="break-all">{t('log.targetLine', { target: targetLabel(entry) })}</p>
                      <p>{t('log.whoLine', { name: who(entry.actor) })}</p>
                      {detail ? <p className="break-words text-ink-muted">{detail}</p> : null}
                    </div>
                  </li>
                );
              })}
            </ol>
          </Card>
        )}
      </Section>
    </div>
  );
}
