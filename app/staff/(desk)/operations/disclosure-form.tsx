'use client';

import { useActionState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { recordDisclosureAction } from './actions';
import { RadioGroup, SelectField, TextAreaField } from './fields';
import { FormResult } from './form-result';
import { formKey, IDLE, valueOf, type ActionState } from '@/lib/actions/state';

export type ProviderChoice = { id: string; clientId: string; nameJa: string; nameEn: string; status: 'active' | 'suspended' | 'terminated' };

const REASONS = ['1', '2', '3', '4'] as const;

/** Art. 7: what was disclosed, to which provider, why (1)–(4) and when. */
export function DisclosureForm({ providers, nowDateTime }: { providers: ProviderChoice[]; nowDateTime: string }) {
  const t = useTranslations('Operations.disclosure');
  const tp = useTranslations('Operations');
  const locale = useLocale();
  const [state, action] = useActionState<ActionState, FormData>(recordDisclosureAction, IDLE);
  const error = (name: string) => (state.status === 'error' ? state.fieldErrors?.[name] : undefined);
  return (
    <div className="space-y-4">
      <FormResult state={state} />
      <form key={formKey(state)} action={action} noValidate className="space-y-4" aria-labelledby="disclosure-form-title">
        <h3 id="disclosure-form-title" className="text-base font-bold">
          {t('formTitle')}
        </h3>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="disclosure-customer"
            name="customerNumber"
            required
            inputMode="numeric"
            autoComplete="off"
            label={t('customerNumber')}
            hint={t('customerNumberHint')}
            defaultValue={valueOf(state, 'customerNumber')}
            error={error('customerNumber')}
          />
          <SelectField id="disclosure-provider" name="providerId" required label={t('provider')} defaultValue={valueOf(state, 'providerId')} error={error('providerId')}>
            <option value="">{t('providerPlaceholder')}</option>
            {providers.map((p) => {
              const values = { name: locale === 'en' ? p.nameEn : p.nameJa, clientId: p.clientId };
              return (
                <option key={p.id} value={p.id}>
                  {p.status === 'suspended' ? t('providerSuspended', values) : p.status === 'terminated' ? t('providerTerminated', values) : t('providerOption', values)}
                </option>
              );
            })}
          </SelectField>
        </div>
        <TextAreaField id="disclosure-information" name="information" required rows={2} maxLength={500} label={t('information')} hint={t('informationHint')} defaultValue={valueOf(state, 'information')} error={error('information')} />
        <RadioGroup
          id="disclosure-reason"
          name="reason"
          required
          legend={t('reason')}
          defaultValue={valueOf(state, 'reason')}
          error={error('reason')}
          options={REASONS.map((r) => ({ value: r, label: t(`reasons.${r}`) }))}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="disclosure-at"
            name="disclosedAt"
            type="datetime-local"
            required
            max={nowDateTime}
            label={t('disclosedAt')}
            hint={t('disclosedAtHint')}
            defaultValue={valueOf(state, 'disclosedAt', nowDateTime)}
            error={error('disclosedAt')}
          />
        </div>
        <TextAreaField id="disclosure-note" name="note" rows={2} maxLength={500} label={t('noteLabel')} hint={t('noteHint')} defaultValue={valueOf(state, 'note')} error={error('note')} />
        <SubmitButton pendingLabel={tp('pending')}>{t('submit')}</SubmitButton>
      </form>
    </div>
  );
}
