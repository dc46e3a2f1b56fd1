'use client';

import Link from 'next/link';
import { useActionState, useEffect } from 'react';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { otpStepAction, type LoginState } from '../actions';

export function OtpForm({ next, signInPath = '/login' }: { next: string; signInPath?: string }) {
  const t = useTranslations('login');
  const [state, action] = useActionState<LoginState, FormData>(otpStepAction, { status: 'idle' });
  const error = state.status === 'error' ? state : null;
  const continueTo = state.status === 'continue' ? state.next : null;
  useEffect(() => {
    if (continueTo) window.location.assign(continueTo);
  }, [continueTo]);
  if (continueTo) {
    return (
      <a href={continueTo} className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
        {t('continue')}
      </a>
    );
  }
  if (error?.restart) {
    return (
      <div className="space-y-5">
        <Alert tone="critical" live="assertive">
          {error.message}
        </Alert>
        <Link href={`${signInPath}?next=${encodeURIComponent(next)}`} className="inline-flex min-h-11 items-center font-semibold text-primary underline underline-offset-4">
          {t('restart')}
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-5" noValidate>
      {error ? <Alert tone="critical" live="assertive">{error.message}</Alert> : null}
      <input type="hidden" name="next" value={next} />
      <Field
        id="otp"
        name="otp"
        label={t('otp')}
        hint={t('otpHint')}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d{6}"
        maxLength={6}
        required
        autoFocus
        error={error?.fieldErrors?.otp}
        className="tabular"
      />
      <SubmitButton className="w-full" pendingLabel={t('pending')}>
        {t('submit')}
      </SubmitButton>
      <Link href={`${signInPath}?next=${encodeURIComponent(next)}`} className="inline-flex min-h-11 items-center text-sm font-semibold text-primary underline underline-offset-4">
        {t('restart')}
      </Link>
    </form>
  );
}
