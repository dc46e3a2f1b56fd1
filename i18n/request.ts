import { getRequestConfig } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { loadMessages } from '@/messages';
import { isLocale, localeFromAcceptLanguage, TIME_ZONE, type Locale } from './locales';

// No locale in the URL: the switcher's cookie wins, then the browser's preference, then Japanese.
export async function resolveLocale(): Promise<Locale> {
  const fromCookie = (await cookies()).get('NEXT_LOCALE')?.value;
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage((await headers()).get('accept-language'));
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  const messages = await loadMessages(locale);
  return {
    locale,
    messages,
    timeZone: TIME_ZONE,
    formats: {
      dateTime: {
        date: { year: 'numeric', month: 'long', day: 'numeric' },
        dateTime: { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' },
        short: { year: 'numeric', month: '2-digit', day: '2-digit' },
      },
    },
  };
});
