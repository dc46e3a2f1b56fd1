'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { scheduleMaintenanceAction } from './actions';
import { TextAreaField } from './fields';
import { FormResult } from './form-result';
import { formKey, IDLE, valueOf, type ActionState } from '@/lib/actions/state';

/** Art. 6.1: announce a window (datetime-local values are Japan time). */
export function MaintenanceForm({ minDateTime }: { minDateTime: string }) {
  const t = useTranslations('Operations');
  const [state, action] = useActionState<ActionState, FormData>(scheduleMaintenanceAction, IDLE);
  const error = (name: string) => (state.status === 'error' ? state.fieldErrors?.[name] : undefined);
  return (
    <div className="space-y-4">
      <FormResult state={state} />
      <form key={formKey(state)} action={action} noValidate className="space-y-4" aria-labelledby="maintenance-form-title">
        <h3 id="maintenance-form-title" className="text-base font-bold">
          {t('maintenance.formTitle')}
        </h3>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="maintenance-starts" name="startsAt" type="datetime-local" required min={minDateTime} label={t('maintenance.startsAt')} hint={t('maintenance.tokyoHint')} defaultValue={valueOf(state, 'startsAt')} error={error('startsAt')} />
          <Field id="maintenance-ends" name="endsAt" type="datetime-local" required min={minDateTime} label={t('maintenance.endsAt')} hint={t('maintenance.tokyoHint')} defaultValue={valueOf(state, 'endsAt')} error={error('endsAt')} />
        </div>
        <TextAreaField id="maintenance-note-ja" name="noteJa" rows={2} required maxLength={300} lang="ja" label={t('maintenance.noteJaLabel')} hint={t('maintenance.noteJaHint')} defaultValue={valueOf(state, 'noteJa')} error={error('noteJa')} />
        <TextAreaField id="maintenance-note-en" name="noteEn" rows={2} required maxLength={300} lang="en" label={t('maintenance.noteEnLabel')} hint={t('maintenance.noteEnHint')} defaultValue={valueOf(state, 'noteEn')} error={error('noteEn')} />
        <SubmitButton pendingLabel={t('pending')}>{t('maintenance.submit')}</SubmitButton>
      </form>
    </div>
  );
}
