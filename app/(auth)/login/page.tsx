import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { SignInSteps } from '@/components/sign-in-steps';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { ShieldIcon } from '@/components/ui/icons';
import { currentCustomer } from '@/lib/auth/principal';
import { PasswordForm } from './password-form';
import { safeNext } from '@/lib/security/safe-redirect';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('login');
  return { title: t('title') };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await currentCustomer()) redirect(next);
  const t = await getTranslations('login');
  return (
    <div className="mx-auto max-w-md space-y-6">
      <SignInSteps next={next} current={0} />
      <Card className="space-y-5">
        <div className="space-y-1">
          <h1 className="text-2xl font-bold">{t('title')}</h1>
          <p className="text-ink-muted">{t('lead')}</p>
        </div>
        {params.signedOut ? <Alert tone="success" live="polite">{t('signedOut')}</Alert> : null}
        {params.ended ? <Alert tone="warning" live="polite">{t('sessionEnded')}</Alert> : null}
        <PasswordForm next={next} />
      </Card>
      <p className="flex gap-2 text-sm text-ink-muted">
        <ShieldIcon className="mt-0.5 shrink-0" />
        {t('safety')}
      </p>
    </div>
  );
}
