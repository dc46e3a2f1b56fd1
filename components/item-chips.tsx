import { getTranslations } from 'next-intl/server';
import { itemsInGroup, PERMISSION_GROUPS, type PermissionItem } from '@/lib/domain/permission-items';
import { CheckCircleIcon } from './ui/icons';

/** Granted items grouped as information / transactions. */
export async function ItemChips({ items }: { items: PermissionItem[] }) {
  const t = await getTranslations();
  if (items.length === 0) return <p className="text-sm text-ink-muted">{t('dashboard.noneGranted')}</p>;
  return (
    <dl className="space-y-2">
      {PERMISSION_GROUPS.map((group) => {
        const inGroup = itemsInGroup(items, group);
        if (inGroup.length === 0) return null;
        return (
          <div key={group} className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
            <dt className="w-full text-xs font-semibold text-ink-muted sm:w-28 sm:shrink-0">{t(`groups.${group}`)}</dt>
            <dd className="flex flex-wrap gap-1.5">
              {inGroup.map((item) => (
                <span key={item} className="inline-flex items-center gap-1 rounded-md border border-line bg-canvas px-2 py-0.5 text-sm">
                  <CheckCircleIcon width={14} height={14} className="text-positive" />
                  {t(`items.${item}.name`)}
                </span>
              ))}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
