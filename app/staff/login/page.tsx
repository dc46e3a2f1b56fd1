import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { StepIndicator } from '@/components/step-indicator';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { ShieldIcon } from '@/components/ui/icons';
import { currentStaff } from '@/lib/auth/principal';
import { PasswordForm } from '@/app/(auth)/login/password-form';
import { safeNext } from '@/lib/security/safe-redirect';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('staff.login');
  return { title: t('title') };
}

export default async function StaffLoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next, '/staff');
  if (await currentStaff()) redirect(next);
  const t = await getTranslations('staff.login');
  const tl = await getTranslations('login');
  return (
    <div className="mx-auto max-w-md space-y-6">
      <StepIndicator label={tl('steps')} steps={[tl('stepPassword'), tl('stepOtp')]} current={0} />
      <Card className="space-y-5">
        <div className="space-y-1">
          <p className="text-sm font-semibold text-primary">{t('eyebrow')}</p>
          <h1 className="text-2xl font-bold">{t('title')}</h1>
          <p className="text-ink-muted">{t('lead')}</p>
        </div>
        {params.signedOut ? <Alert tone="success" live="polite">{tl('signedOut')}</Alert> : null}
        {params.ended ? <Alert tone="warning" live="polite">{tl('sessionEnded')}</Alert> : null}
        <PasswordForm next={next} realm="staff" />
      </Card>
      <p className="flex gap-2 text-sm text-ink-muted">
        <ShieldIcon className="mt-0.5 shrink-0" />
        {t('notice')}
      </p>
    </div>
  );
}
