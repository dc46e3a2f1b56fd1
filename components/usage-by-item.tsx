import { getFormatter, getTranslations } from 'next-intl/server';
import type { ItemDayUsage } from '@/lib/api/usage';
import { PERMISSION_ITEM_IDS, type PermissionItem } from '@/lib/domain/permission-items';

/**
 * What was shared, when (issue 14 §5): the provider's calls per item for each day with any, newest
 * first — the chart's figures as a table (its text alternative), behind a disclosure so the page
 * stays short. Counts, not the data: the bank does not keep copies of what it served.
 */
export async function UsageByItem({ usage }: { usage: ItemDayUsage[] }) {
  const [t, format] = await Promise.all([getTranslations(), getFormatter()]);
  if (usage.length === 0) return null;
  const items = PERMISSION_ITEM_IDS.filter((id) => usage.some((u) => u.item === id));
  const days = [...new Set(usage.map((u) => u.day))];
  const count = (day: string, item: PermissionItem) => usage.find((u) => u.day === day && u.item === item)?.count ?? 0;
  return (
    <details className="group mt-4 border-t border-line pt-4" data-testid="usage-by-item">
      <summary className="inline-flex min-h-11 cursor-pointer items-center font-semibold text-primary underline underline-offset-4">{t('link.usageByItemOpen', { days: days.length })}</summary>
      <div className="mt-3 overflow-x-auto">
        <table className="w-full min-w-max border-collapse text-sm">
          <caption className="mb-2 text-left text-ink-muted">{t('link.usageByItemCaption')}</caption>
          <thead>
            <tr className="border-b border-line-strong">
              <th scope="col" className="py-2 pr-4 text-left font-semibold">
                {t('link.usageDay')}
              </th>
              {items.map((item) => (
                <th key={item} scope="col" className="px-3 py-2 text-right font-semibold">
                  {t(`items.${item}.name`)}
                </th>
              ))}
              <th scope="col" className="py-2 pl-3 text-right font-semibold">
                {t('link.usageDayTotal')}
              </th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day} className="border-b border-line">
                <th scope="row" className="py-2 pr-4 text-left font-normal tabular">
                  {format.dateTime(new Date(`${day}T00:00:00+09:00`), 'date')}
                </th>
                {items.map((item) => (
                  <td key={item} className="px-3 py-2 text-right tabular">
                    {count(day, item).toLocaleString('ja-JP')}
                  </td>
                ))}
                <td className="py-2 pl-3 text-right font-semibold tabular">{items.reduce((n, item) => n + count(day, item), 0).toLocaleString('ja-JP')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
