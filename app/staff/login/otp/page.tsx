import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { StepIndicator } from '@/components/step-indicator';
import { Card } from '@/components/ui/card';
import { OtpForm } from '@/app/(auth)/login/otp/otp-form';
import { safeNext } from '@/lib/security/safe-redirect';
import { CHALLENGE_COOKIE } from '@/app/(auth)/login/challenge-cookie';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('login');
  return { title: t('otpTitle') };
}

export default async function StaffOtpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next, '/staff');
  if (!(await cookies()).get(CHALLENGE_COOKIE)) redirect(`/staff/login?next=${encodeURIComponent(next)}`);
  const t = await getTranslations('login');
  const ts = await getTranslations('staff.login');
  return (
    <div className="mx-auto max-w-md space-y-6">
      <StepIndicator label={t('steps')} steps={[t('stepPassword'), t('stepOtp')]} current={1} />
      <Card className="space-y-5">
        <div className="space-y-1">
          <p className="text-sm font-semibold text-primary">{ts('eyebrow')}</p>
          <h1 className="text-2xl font-bold">{t('otpTitle')}</h1>
          <p className="text-ink-muted">{ts('otpLead')}</p>
        </div>
        <OtpForm next={next} signInPath="/staff/login" />
      </Card>
    </div>
  );
}
