import { getFormatter, getTranslations } from 'next-intl/server';
import type { DailyUsage } from '@/lib/api/usage';

/** The last 90 days of a link's use: words first (total, busiest day), the bars only repeat them. */
export async function UsageChart({ usage }: { usage: DailyUsage[] }) {
  const [t, format] = await Promise.all([getTranslations('link'), getFormatter()]);
  const total = usage.reduce((sum, d) => sum + d.count, 0);
  if (total === 0) return <p className="text-ink-muted">{t('usageNone')}</p>;
  const busiest = usage.reduce((a, b) => (b.count > a.count ? b : a));
  const max = Math.max(1, busiest.count);
  const width = 3;
  const gap = 1;
  const height = 48;
  return (
    <figure className="space-y-2" data-testid="usage">
      <figcaption className="space-y-0.5">
        <p className="font-semibold" data-testid="usage-total" data-total={total}>
          {t('usageSummary', { total })}
        </p>
        <p className="text-sm text-ink-muted">{t('usageBusiest', { date: format.dateTime(new Date(`${busiest.day}T00:00:00+09:00`), 'date'), count: busiest.count })}</p>
      </figcaption>
      <svg viewBox={`0 0 ${usage.length * (width + gap)} ${height}`} className="h-12 w-full" preserveAspectRatio="none" role="img" aria-label={t('usageChart')}>
        {usage.map((d, i) => {
          const h = d.count === 0 ? 1 : Math.max(2, Math.round((d.count / max) * height));
          return <rect key={d.day} x={i * (width + gap)} y={height - h} width={width} height={h} className={d.count === 0 ? 'fill-line' : 'fill-primary'} />;
        })}
      </svg>
    </figure>
  );
}
