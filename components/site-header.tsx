import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { signOutAction } from '@/lib/actions/sign-out';
import { LanguageSwitcher } from './language-switcher';
import { LinkIcon } from './ui/icons';

type StaffUser = { name: string; role: 'staff' | 'operator' };

export async function SiteHeader({ customerName, staff }: { customerName?: string | null; staff?: StaffUser | null }) {
  const t = await getTranslations();
  const signedIn = Boolean(customerName ?? staff);
  return (
    <header className="border-b border-line bg-surface print:hidden">
      {/* Rows of fixed height at every width: nothing wraps when the web font arrives (no layout shift). */}
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-x-2 px-4 py-2 sm:gap-x-4 sm:px-6">
        <Link href={staff ? '/staff' : '/'} className="flex min-h-11 min-w-0 items-center gap-2 font-bold text-primary">
          <span className="grid size-8 place-items-center rounded-lg bg-primary text-white" aria-hidden="true">
            <LinkIcon />
          </span>
          {/* Below 360 px only the mark shows (the name stays its accessible text): never a cut-off bank name. */}
          <span className="sr-only min-[360px]:not-sr-only min-[360px]:min-w-0 min-[360px]:leading-tight">
            <span className="block truncate text-base">{t('meta.bankName')}</span>
            <span className="block truncate text-xs font-semibold text-ink-muted">{staff ? t('staff.nav.area') : t('meta.serviceName')}</span>
          </span>
        </Link>
        <div className="flex shrink-0 items-center gap-1">
          <LanguageSwitcher />
          {signedIn ? (
            <form action={signOutAction}>
              <button type="submit" className="min-h-11 rounded-lg px-2 text-sm font-semibold text-primary hover:bg-primary-soft sm:px-3">
                {t('nav.signOut')}
              </button>
            </form>
          ) : null}
        </div>
      </div>
      {customerName ? (
        <nav aria-label={t('nav.primary')} className="mx-auto flex max-w-5xl items-center justify-between gap-4 overflow-x-auto px-4 whitespace-nowrap sm:px-6">
          <ul className="flex shrink-0 gap-1 text-sm font-semibold">
            <li>
              <Link href="/" className="inline-flex min-h-11 items-center border-b-2 border-transparent px-2 hover:border-primary">
                {t('nav.dashboard')}
              </Link>
            </li>
            <li>
              <Link href="/receipts" className="inline-flex min-h-11 items-center border-b-2 border-transparent px-2 whitespace-nowrap hover:border-primary">
                {t('nav.receipts')}
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
    // Links on one row that scrolls sideways when it must; who is signed in on a row of its own below
    // 640 px, beside the links (shortened if need be) above: the same height whatever the font.
    <nav aria-label={t('label')} className="mx-auto flex max-w-5xl flex-col px-4 sm:flex-row sm:items-center sm:justify-between sm:gap-x-4 sm:px-6">
      <ul className="flex shrink-0 gap-x-1 overflow-x-auto text-sm font-semibold whitespace-nowrap">
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
      <p className="min-w-0 truncate pb-1 text-sm leading-6 text-ink-muted sm:pb-0">{t('signedInAs', { name: staff.name, role: t(`role.${staff.role}`) })}</p>
    </nav>
  );
}
