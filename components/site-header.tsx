import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { signOutAction } from '@/app/actions/sign-out';
import { LanguageSwitcher } from './language-switcher';
import { LinkIcon } from './ui/icons';

type StaffUser = { name: string; role: 'staff' | 'operator' };

export async function SiteHeader({ customerName, staff }: { customerName?: string | null; staff?: StaffUser | null }) {
  const t = await getTranslations();
  const signedIn = Boolean(customerName ?? staff);
  return (
    <header className="border-b border-line bg-surface">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2 sm:px-6">
        <Link href={staff ? '/staff' : '/'} className="flex min-h-11 items-center gap-2 font-bold text-primary">
          <span className="grid size-8 place-items-center rounded-lg bg-primary text-white" aria-hidden="true">
            <LinkIcon />
          </span>
          <span className="leading-tight">
            <span className="block text-base">{t('meta.bankName')}</span>
            <span className="block text-xs font-semibold text-ink-muted">{staff ? t('staff.nav.area') : t('meta.serviceName')}</span>
          </span>
        </Link>
        <div className="flex items-center gap-1">
          <LanguageSwitcher />
          {signedIn ? (
            <form action={signOutAction}>
              <button type="submit" className="min-h-11 rounded-lg px-3 text-sm font-semibold text-primary hover:bg-primary-soft">
                {t('nav.signOut')}
              </button>
            </form>
          ) : null}
        </div>
      </div>
      {customerName ? (
        <nav aria-label={t('nav.primary')} className="mx-auto flex max-w-5xl items-center justify-between gap-4 overflow-x-auto px-4 sm:px-6">
          <ul className="flex gap-1 text-sm font-semibold">
            <li>
              <Link href="/" className="inline-flex min-h-11 items-center border-b-2 border-transparent px-2 hover:border-primary">
                {t('nav.dashboard')}
              </Link>
            </li>
            <li>
              <Link href="/terms" className="inline-flex min-h-11 items-center border-b-2 border-transparent px-2 hover:border-primary">
                {t('nav.terms')}
              </Link>
            </li>
            <li>
              <Link href="/help" className="inline-flex min-h-11 items-center border-b-2 border-transparent px-2 whitespace-nowrap hover:border-primary">
                {t('nav.help')}
              </Link>
            </li>
          </ul>
          <p className="shrink-0 text-sm text-ink-muted">{t('nav.signedInAs', { name: customerName })}</p>
        </nav>
      ) : null}
      {staff ? <StaffNav staff={staff} /> : null}
    </header>
  );
}

const navLink = 'inline-flex min-h-11 items-center border-b-2 border-transparent px-2 whitespace-nowrap hover:border-primary';

async function StaffNav({ staff }: { staff: StaffUser }) {
  const t = await getTranslations('staff.nav');
  return (
    <nav aria-label={t('label')} className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 px-4 sm:px-6">
      <ul className="flex flex-wrap gap-x-1 text-sm font-semibold">
        <li>
          <Link href="/staff" className={navLink}>
            {t('search')}
          </Link>
        </li>
        <li>
          <Link href="/staff/providers" className={navLink}>
            {t('providers')}
          </Link>
        </li>
        <li>
          <Link href="/staff/events" className={navLink}>
            {t('events')}
          </Link>
        </li>
        {staff.role === 'operator' ? (
          <>
            <li>
              <Link href="/staff/operations" className={navLink}>
                {t('operations')}
              </Link>
            </li>
            <li>
              <Link href="/staff/service" className={navLink}>
                {t('service')}
              </Link>
            </li>
          </>
        ) : null}
      </ul>
      <p className="py-1 text-sm text-ink-muted">{t('signedInAs', { name: staff.name, role: t(`role.${staff.role}`) })}</p>
    </nav>
  );
}
