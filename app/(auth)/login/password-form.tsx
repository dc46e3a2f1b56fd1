'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { passwordStepAction, type LoginState } from './actions';

export function PasswordForm({ next, realm = 'customer' }: { next: string; realm?: 'customer' | 'staff' }) {
  const t = useTranslations('login');
  const [state, action] = useActionState<LoginState, FormData>(passwordStepAction, { status: 'idle' });
  const error = state.status === 'error' ? state : null;
  return (
    <form action={action} className="space-y-5" noValidate>
      {error ? <Alert tone="critical" live="assertive">{error.message}</Alert> : null}
      <input type="hidden" name="next" value={next} />
      {realm === 'staff' ? <input type="hidden" name="realm" value="staff" /> : null}
      <Field
        id="logonId"
        name="logonId"
        label={t('logonId')}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        defaultValue={state.logonId ?? ''}
        key={`logon-${error ? 'e' : 'i'}-${state.logonId ?? ''}`}
        error={error?.fieldErrors?.logonId}
      />
      <Field id="password" name="password" type="password" label={t('password')} autoComplete="current-password" required error={error?.fieldErrors?.password} />
      <SubmitButton className="w-full" pendingLabel={t('pending')}>
        {t('next')}
      </SubmitButton>
    </form>
  );
}
