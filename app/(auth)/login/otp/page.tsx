import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { SignInSteps } from '@/components/sign-in-steps';
import { Card } from '@/components/ui/card';

import { safeNext } from '@/lib/security/safe-redirect';
import { CHALLENGE_COOKIE } from '../challenge-cookie';
import { OtpForm } from './otp-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('login');
  return { title: t('otpTitle') };
}

export default async function OtpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (!(await cookies()).get(CHALLENGE_COOKIE)) redirect(`/login?next=${encodeURIComponent(next)}`);
  const t = await getTranslations('login');
  return (
    <div className="mx-auto max-w-md space-y-6">
      <SignInSteps next={next} current={1} />
      <Card className="space-y-5">
        <div className="space-y-1">
          <h1 className="text-2xl font-bold">{t('otpTitle')}</h1>
          <p className="text-ink-muted">{t('otpLead')}</p>
        </div>
        <OtpForm next={next} />
      </Card>
    </div>
  );
}
