import type { Metadata } from 'next';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { AlertTriangleIcon, CheckCircleIcon, ClockIcon, MinusCircleIcon } from '@/components/ui/icons';
import { requireStaff } from '@/lib/auth/principal';
import { getDb } from '@/lib/db';
import { listProviderEvents } from '@/lib/events/queries';
import { PROVIDER_EVENT_STATES } from '@/lib/events/outbox';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('staff.events');
  return { title: t('title') };
}

const stateStyle = {
  pending: { Icon: ClockIcon, className: 'text-warning' },
  delivered: { Icon: CheckCircleIcon, className: 'text-positive' },
  failed: { Icon: AlertTriangleIcon, className: 'text-critical' },
  no_endpoint: { Icon: MinusCircleIcon, className: 'text-neutral' },
  poll: { Icon: ClockIcon, className: 'text-warning' },
  held: { Icon: ClockIcon, className: 'text-neutral' },
  not_requested: { Icon: MinusCircleIcon, className: 'text-neutral' },
} as const;

/** Delivery state of every notification (Security Event Token) sent to providers. */
export default async function StaffEventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const staff = await requireStaff('/staff/events');
  const raw = (await searchParams).state;
  const state = typeof raw === 'string' && (PROVIDER_EVENT_STATES as readonly string[]).includes(raw) ? raw : undefined;
  const [events, t, format, locale] = await Promise.all([
    listProviderEvents(await getDb(), staff, { state, limit: 200 }),
    getTranslations('staff.events'),
    getFormatter(),
    getLocale(),
  ]);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold sm:text-3xl">{t('title')}</h1>
        <p className="text-ink-muted">{t('lead')}</p>
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor="state" className="block text-sm font-semibold">
            {t('filter')}
          </label>
          <select id="state" name="state" defaultValue={state ?? ''} className="min-h-11 rounded-lg border border-line-strong bg-surface px-3">
            <option value="">{t('all')}</option>
            {PROVIDER_EVENT_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="min-h-11 rounded-lg border border-line-strong px-4 font-semibold text-primary hover:bg-primary-soft">
          {t('apply')}
        </button>
      </form>
      {events.length === 0 ? (
        <Card>
          <p className="text-ink-muted">{t('empty')}</p>
        </Card>
      ) : (
        <Card flush>
          <ul className="divide-y divide-line text-sm" data-testid="event-list">
            {events.map((e) => {
              const { Icon, className } = stateStyle[e.state];
              return (
                <li key={e.jti} className="grid gap-1 px-5 py-3 sm:grid-cols-[1fr_auto]" data-state={e.state}>
                  <div className="min-w-0 space-y-0.5">
                    <p className="font-semibold">
                      {t.has(`type.${e.type}`) ? t(`type.${e.type}` as 'type.link.revoked') : e.type}
                      <span className="ml-2 font-normal text-ink-muted">{locale === 'en' ? e.provider.nameEn : e.provider.nameJa}</span>
                    </p>
                    <p className="tabular break-all text-xs text-ink-muted">jti {e.jti}</p>
                    {e.lastError ? <p className="text-critical">{t('lastError', { error: e.lastError })}</p> : null}
                  </div>
                  <div className="tabular space-y-0.5 sm:text-right">
                    <p className={`inline-flex items-center gap-1 font-semibold ${className}`}>
                      <Icon width={16} height={16} />
                      {t(`state.${e.state}`)}
                    </p>
                    <p className="text-ink-muted">{t('created', { date: format.dateTime(e.createdAt, 'dateTime') })}</p>
                    <p className="text-ink-muted">{t('attempts', { count: e.attempts })}</p>
                    {e.deliveredAt ? <p className="text-ink-muted">{t('delivered', { date: format.dateTime(e.deliveredAt, 'dateTime') })}</p> : null}
                    {e.nextAttemptAt ? <p className="text-ink-muted">{t('next', { date: format.dateTime(e.nextAttemptAt, 'dateTime') })}</p> : null}
                  </div>
                </li>
              );
            })}
          </ul>
        </Card>
      )}
    </div>
  );
}
