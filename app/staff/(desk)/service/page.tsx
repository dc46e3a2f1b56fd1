import type { Metadata } from 'next';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { Card, Section } from '@/components/ui/card';
import { AlertTriangleIcon, CheckCircleIcon, WrenchIcon } from '@/components/ui/icons';
import { flushCallStats } from '@/lib/api/call-stats';
import { requireOperator } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { outboxBacklog } from '@/lib/observability/app-metrics';
import { maintenanceInForce } from '@/lib/operations/maintenance';
import { dailyServiceReport, lastHourByProvider } from '@/lib/operations/service-report';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('staff.service');
  return { title: t('title') };
}

/** An outbox whose oldest event has waited this long needs a look (docs/operations.md alerts). */
const OUTBOX_ATTENTION_S = 15 * 60;

const LAST_HOUR_COLUMNS = ['calls', 'errors', 'refused', 'rejected', 'averageMs', 'within1000'] as const;
const DAILY_COLUMNS = ['availability', 'invocations', 'averageMs', 'within1000', 'within1500', 'errors', 'rejections', 'peakTps'] as const;

const cell = 'px-3 py-2 text-right tabular whitespace-nowrap';
const head = 'px-3 py-2 text-right font-semibold whitespace-nowrap';

/**
 * The service desk's view (operators): what is happening now (maintenance, the notification
 * outbox), the provider API's last hour per provider, and the daily report (CDR "Get Metrics" as a
 * model). The same figures as GET /api/operations/report.
 */
export default async function StaffServicePage() {
  const operator = await requireOperator('/staff/service');
  const db = await getDb();
  await flushCallStats(db).catch(() => {});
  const now = new Date();
  const [t, format, locale, maintenance, outbox, lastHour, days] = await Promise.all([
    getTranslations('staff.service'),
    getFormatter(),
    getLocale(),
    maintenanceInForce(db, now),
    outboxBacklog(),
    lastHourByProvider(db, operator, now),
    dailyServiceReport(db, operator, now),
  ]);
  const dateTime = (d: Date) => format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
  const percent = (share: number) => format.number(share, { style: 'percent', maximumFractionDigits: 1 });
  const count = (value: number) => format.number(value);
  const oldestS = outbox.oldest ? Math.max(0, Math.round((now.getTime() - outbox.oldest.getTime()) / 1000)) : 0;
  const outboxLate = oldestS > OUTBOX_ATTENTION_S;
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
        <p className="text-ink-muted">{t('lead')}</p>
        <p className="text-sm text-ink-muted">{t('asOf', { time: dateTime(now) })}</p>
      </div>

      <Section id="now" title={t('now.title')}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Card data-testid="service-maintenance">
            <h3 className="text-sm font-semibold text-ink-muted">{t('now.maintenance')}</h3>
            {maintenance ? (
              <p className="mt-2 inline-flex items-center gap-2 font-semibold text-warning">
                <WrenchIcon width={18} height={18} />
                {t('now.maintenanceUntil', { end: dateTime(maintenance.endsAt) })}
              </p>
            ) : (
              <p className="mt-2 inline-flex items-center gap-2 font-semibold text-positive">
                <CheckCircleIcon width={18} height={18} />
                {t('now.noMaintenance')}
              </p>
            )}
          </Card>
          <Card data-testid="service-outbox">
            <h3 className="text-sm font-semibold text-ink-muted">{t('now.outbox')}</h3>
            <p className={`mt-2 inline-flex items-center gap-2 font-semibold ${outboxLate ? 'text-critical' : 'text-positive'}`}>
              {outboxLate ? <AlertTriangleIcon width={18} height={18} /> : <CheckCircleIcon width={18} height={18} />}
              {outbox.pending === 0 ? t('now.outboxEmpty') : t('now.outboxPending', { count: outbox.pending, minutes: Math.floor(oldestS / 60) })}
            </p>
            {outboxLate ? <p className="mt-1 text-sm text-critical">{t('now.outboxLate')}</p> : null}
          </Card>
        </div>
      </Section>

      <Section id="last-hour" title={t('lastHour.title')} lead={t('lastHour.lead')}>
        {lastHour.length === 0 ? (
          <Card>
            <p className="text-ink-muted">{t('lastHour.empty')}</p>
          </Card>
        ) : (
          <Card flush>
            <div className="overflow-x-auto" role="region" aria-labelledby="last-hour-title" tabIndex={0}>
              <table className="w-full text-sm" data-testid="service-last-hour">
                <thead className="border-b border-line bg-canvas">
                  <tr>
                    <th scope="col" className="px-3 py-2 text-left font-semibold">
                      {t('lastHour.provider')}
                    </th>
                    {LAST_HOUR_COLUMNS.map((column) => (
                      <th key={column} scope="col" className={head}>
                        {t(`lastHour.${column}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-line">
                  {lastHour.map((row) => (
                    <tr key={row.clientId} data-client-id={row.clientId}>
                      <th scope="row" className="min-w-36 px-3 py-2 text-left font-semibold">
                        {row.clientId === '' ? t('lastHour.unauthenticated') : ((locale === 'en' ? row.nameEn : row.nameJa) ?? row.clientId)}
                        {row.clientId !== '' ? <span className="block text-xs font-normal text-ink-muted">{row.clientId}</span> : null}
                      </th>
                      <td className={cell}>{count(row.calls)}</td>
                      <td className={`${cell} ${row.errors > 0 ? 'font-semibold text-critical' : ''}`}>{count(row.errors)}</td>
                      <td className={cell}>{count(row.refused)}</td>
                      <td className={cell}>{count(row.rejected)}</td>
                      <td className={cell}>{format.number(row.averageMs, { maximumFractionDigits: 1 })}</td>
                      <td className={cell}>{percent(row.within1000Share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        )}
      </Section>

      <Section id="daily" title={t('daily.title')} lead={t.rich('daily.lead', { code: (chunks) => <code className="text-xs">{chunks}</code> })}>
        <Card flush>
          <div className="overflow-x-auto" role="region" aria-labelledby="daily-title" tabIndex={0}>
            <table className="w-full text-sm" data-testid="service-daily">
              <thead className="border-b border-line bg-canvas">
                <tr>
                  <th scope="col" className="px-3 py-2 text-left font-semibold">
                    {t('daily.date')}
                  </th>
                  {DAILY_COLUMNS.map((column) => (
                    <th key={column} scope="col" className={head}>
                      {t(`daily.${column}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-line">
                {days.map((day, i) => (
                  <tr key={day.date} data-date={day.date}>
                    <th scope="row" className="px-3 py-2 text-left font-semibold whitespace-nowrap">
                      {format.dateTime(new Date(`${day.date}T00:00:00+09:00`), { dateStyle: 'medium', timeZone: 'Asia/Tokyo' })}
                      {i === 0 ? <span className="ml-2 text-xs font-normal text-ink-muted">{t('daily.today')}</span> : null}
                    </th>
                    <td className={cell}>
                      {percent(day.availability)}
                      {day.plannedOutageMinutes > 0 ? <span className="block text-xs text-ink-muted">{t('daily.outage', { minutes: day.plannedOutageMinutes })}</span> : null}
                    </td>
                    <td className={cell}>{count(day.invocations.total)}</td>
                    <td className={cell}>{format.number(day.averageResponseMs, { maximumFractionDigits: 1 })}</td>
                    <td className={cell}>{percent(day.performance.within1000Ms)}</td>
                    <td className={cell}>{percent(day.performance.within1500Ms)}</td>
                    <td className={`${cell} ${day.errors > 0 ? 'font-semibold text-critical' : ''}`}>{count(day.errors)}</td>
                    <td className={cell}>{count(day.rejections)}</td>
                    <td className={cell}>{format.number(day.peakTps, { maximumFractionDigits: 2 })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      </Section>
    </div>
  );
}
