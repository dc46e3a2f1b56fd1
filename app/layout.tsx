import '@fontsource-variable/noto-sans-jp';
import './globals.css';
import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { SiteFooter } from '@/components/site-footer';
import { SiteHeader } from '@/components/site-header';
import { MaintenanceBanner } from '@/components/maintenance-banner';
import { IconSprite } from '@/components/ui/icons';
import { currentCustomer, currentStaff } from '@/lib/auth/principal';
import { getCustomerProfile } from '@/lib/customers/queries';
import { getDb } from '@/lib/db';
import { CLIENT_NAMESPACES, pickMessages } from '@/messages/client';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('meta');
  return {
    title: { template: `%s | ${t('titleSuffix')}`, default: t('titleSuffix') },
    robots: { index: false, follow: false },
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0b3d7a' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations('nav');
  const principal = await currentCustomer();
  const profile = principal ? await getCustomerProfile(await getDb(), principal) : null;
  const customerName = profile ? (locale === 'en' ? profile.nameEn : profile.nameJa) : null;
  const staff = principal ? null : await currentStaff();
  const messages = pickMessages(await getMessages(), CLIENT_NAMESPACES);
  return (
    <html lang={locale}>
      <body className="flex min-h-dvh flex-col">
        <IconSprite />
        <NextIntlClientProvider messages={messages}>
          <a href="#main" className="sr-only z-50 rounded-lg bg-primary px-4 py-2 text-white focus:not-sr-only focus:fixed focus:left-2 focus:top-2">
            {t('skipToContent')}
          </a>
          <SiteHeader customerName={customerName} staff={staff ? { name: staff.name, role: staff.role } : null} />
          <MaintenanceBanner />
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 outline-none sm:px-6 sm:py-10">
            {children}
          </main>
          <SiteFooter />
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
