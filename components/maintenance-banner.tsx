import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/lib/db';
import { upcomingMaintenance } from '@/lib/operations/maintenance';
import { WrenchIcon } from './ui/icons';

/** Art. 6.1: every page announces maintenance before it starts and says so while it runs. */
export async function MaintenanceBanner() {
  const now = new Date();
  const windows = await upcomingMaintenance(await getDb(), now);
  if (windows.length === 0) return null;
  const t = await getTranslations('maintenance');
  const format = await getFormatter();
  const locale = await getLocale();
  return (
    <div className="border-b border-warning/30 bg-warning-soft text-warning print:hidden">
      <ul className="mx-auto max-w-5xl space-y-1 px-4 py-2 text-sm sm:px-6">
        {windows.map((w) => {
          const inForce = w.startsAt.getTime() <= now.getTime();
          const range = { start: format.dateTime(w.startsAt, 'dateTime'), end: format.dateTime(w.endsAt, 'dateTime') };
          const note = locale === 'en' ? w.noteEn : w.noteJa;
          return (
            <li key={w.id} role={inForce ? 'status' : undefined} data-maintenance={inForce ? 'in-force' : 'announced'} className="flex gap-2">
              <WrenchIcon className="mt-0.5 shrink-0" />
              <p>
                <span className="font-semibold">{inForce ? t('inForceTitle') : t('announcedTitle')}</span> {inForce ? t('inForce', range) : t('announced', range)}
                {note ? <span className="block text-ink">{note}</span> : null}
              </p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
