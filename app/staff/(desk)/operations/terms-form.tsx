'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { publishTermsAction } from './actions';
import { TextAreaField } from './fields';
import { FormResult } from './form-result';
import { formKey, IDLE, valueOf, type ActionState } from '@/lib/actions/state';

/**
 * Art. 9: publish a version with its effective date. The text starts as the latest version's, to
 * be edited; a refused submission keeps exactly what was typed.
 */
export function TermsForm({ latestVersion, latestText, minDateTime }: { latestVersion: string; latestText: string; minDateTime: string }) {
  const t = useTranslations('Operations');
  const [state, action] = useActionState<ActionState, FormData>(publishTermsAction, IDLE);
  const error = (name: string) => (state.status === 'error' ? state.fieldErrors?.[name] : undefined);
  return (
    <div className="space-y-4">
      <FormResult state={state} />
      <form key={formKey(state)} action={action} noValidate className="space-y-4" aria-labelledby="terms-form-title">
        <h3 id="terms-form-title" className="text-base font-bold">
          {t('terms.formTitle')}
        </h3>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="terms-id" name="id" required autoComplete="off" spellCheck={false} placeholder="2027-10-01" label={t('terms.id')} hint={t('terms.idHint')} defaultValue={valueOf(state, 'id')} error={error('id')} />
          <Field id="terms-revised-on" name="revisedOn" type="date" required label={t('terms.revisedOn')} defaultValue={valueOf(state, 'revisedOn')} error={error('revisedOn')} />
          <Field id="terms-effective-from" name="effectiveFrom" type="datetime-local" required min={minDateTime} label={t('terms.effectiveFrom')} hint={t('terms.effectiveFromHint')} defaultValue={valueOf(state, 'effectiveFrom')} error={error('effectiveFrom')} />
        </div>
        <TextAreaField
          id="terms-text"
          name="text"
          required
          rows={18}
          lang="ja"
          spellCheck={false}
          className="[&_textarea]:text-sm"
          label={t('terms.text')}
          hint={t('terms.textHint', { version: latestVersion })}
          defaultValue={valueOf(state, 'text', latestText)}
          error={error('text')}
        />
        <SubmitButton pendingLabel={t('pending')}>{t('terms.submit')}</SubmitButton>
      </form>
    </div>
  );
}
