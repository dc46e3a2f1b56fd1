import type { ReactNode } from 'react';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { EyeIcon } from '@/components/ui/icons';
import { requireStaff } from '@/lib/auth/principal';
import { CLIENT_NAMESPACES, pickMessages, STAFF_CLIENT_NAMESPACES } from '@/messages/client';

/** Every staff page: signed in as staff (a customer session gets 403), and says it is read-only and recorded. */
export default async function StaffDeskLayout({ children }: { children: ReactNode }) {
  const staff = await requireStaff('/staff');
  const t = await getTranslations('staff.banner');
  // The closest provider is the one client components read: the portal's namespaces and the desk's.
  const messages = pickMessages(await getMessages(), [...CLIENT_NAMESPACES, ...STAFF_CLIENT_NAMESPACES]);
  return (
    <NextIntlClientProvider messages={messages}>
      <div className="space-y-6">
        <div className="flex gap-3 rounded-lg border border-primary/30 bg-primary-soft px-4 py-3 text-sm text-primary-strong" data-testid="staff-banner">
          <EyeIcon className="mt-0.5 shrink-0" />
          <p>
            <span className="font-bold">{staff.role === 'operator' ? t('operator') : t('readOnly')}</span>
            <span className="mx-2" aria-hidden="true">
              ・
            </span>
            {t('recorded')}
          </p>
        </div>
        {children}
      </div>
    </NextIntlClientProvider>
  );
}
