import { getLocale, getTranslations } from 'next-intl/server';
import { setLocaleAction } from '@/lib/actions/locale';
import { GlobeIcon } from './ui/icons';

export async function LanguageSwitcher() {
  const locale = await getLocale();
  const t = await getTranslations('nav');
  const other = locale === 'ja' ? 'en' : 'ja';
  return (
    <form action={setLocaleAction}>
      <input type="hidden" name="locale" value={other} />
      <button
        type="submit"
        lang={other}
        aria-label={t('switchToLabel')}
        className="inline-flex min-h-11 items-center gap-1.5 rounded-lg px-2 text-sm sm:px-3 font-semibold text-primary hover:bg-primary-soft"
      >
        <GlobeIcon />
        {t('switchTo')}
      </button>
    </form>
  );
}
