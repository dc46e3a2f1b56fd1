'use client';

import { useActionState, useId } from 'react';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { CloseDialogOn, Dialog, DialogButtons } from '@/components/ui/dialog';
import { ResultMessage } from '@/components/ui/result-message';
import type { ActionState } from '@/lib/actions/state';

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * One operator action behind a confirmation dialog: what it does, an Art. 5.2 reason when it
 * suspends, and a required note. The dialog keeps what was typed when the action is refused.
 */
export function OperatorAction({
  action,
  target,
  label,
  title,
  body,
  withReason = false,
  danger = false,
  disabledReason,
}: {
  action: Action;
  target: string;
  label: string;
  title: string;
  body: string;
  withReason?: boolean;
  danger?: boolean;
  /** Why the action does not apply now. The control stays mounted so its result message survives the refresh. */
  disabledReason?: string | null;
}) {
  const t = useTranslations('staff.actions');
  const [state, formAction] = useActionState<ActionState, FormData>(action, { status: 'idle' });
  const error = state.status === 'error' ? state : null;
  const uid = useId();
  return (
    <div className="space-y-2">
      <Dialog
        title={title}
        trigger={(open) => (
          <div className="space-y-1">
            <button type="button" onClick={open} disabled={Boolean(disabledReason)} className={buttonClass(danger ? 'danger' : 'secondary')}>
              {label}
            </button>
            {disabledReason ? <p className="text-sm text-ink-muted">{disabledReason}</p> : null}
          </div>
        )}
      >
        <form action={formAction} className="space-y-4" noValidate>
          <CloseDialogOn signal={state.status === 'success' ? state.at : 0} />
          <input type="hidden" name="target" value={target} />
          <p>{body}</p>
          {error ? (
            <Alert tone="critical" live="assertive">
              {error.message}
            </Alert>
          ) : null}
          {withReason ? (
            <div className="space-y-1">
              <label htmlFor={`reason-${uid}`} className="block font-semibold">
                {t('reason')}
              </label>
              <select
                id={`reason-${uid}`}
                name="reason"
                required
                defaultValue={error?.values?.reason ?? ''}
                key={`reason-${error?.at ?? 0}`}
                aria-invalid={error?.fieldErrors?.reason ? true : undefined}
                aria-describedby={error?.fieldErrors?.reason ? `reason-${uid}-error` : undefined}
                className="min-h-11 w-full rounded-lg border border-line-strong bg-surface px-3"
              >
                <option value="" disabled>
                  {t('reasonPlaceholder')}
                </option>
                {[1, 2, 3, 4, 5, 6, 7].map((n) => (
                  <option key={n} value={n}>
                    {t(`reasons.${n}` as 'reasons.1')}
                  </option>
                ))}
              </select>
              {error?.fieldErrors?.reason ? (
                <p id={`reason-${uid}-error`} className="text-sm font-semibold text-critical">
                  {error.fieldErrors.reason}
                </p>
              ) : null}
              <p className="text-sm text-ink-muted">{t('reasonHint')}</p>
            </div>
          ) : null}
          <div className="space-y-1">
            <label htmlFor={`note-${uid}`} className="block font-semibold">
              {t('note')}
            </label>
            <textarea
              id={`note-${uid}`}
              name="note"
              required
              maxLength={500}
              rows={3}
              defaultValue={error?.values?.note ?? ''}
              key={`note-${error?.at ?? 0}`}
              aria-invalid={error?.fieldErrors?.note ? true : undefined}
              aria-describedby={error?.fieldErrors?.note ? `note-${uid}-error` : `note-${uid}-hint`}
              className="w-full rounded-lg border border-line-strong bg-surface px-3 py-2"
            />
            {error?.fieldErrors?.note ? (
              <p id={`note-${uid}-error`} className="text-sm font-semibold text-critical">
                {error.fieldErrors.note}
              </p>
            ) : (
              <p id={`note-${uid}-hint`} className="text-sm text-ink-muted">
                {t('noteHint')}
              </p>
            )}
          </div>
          <DialogButtons confirm={label} danger={danger} />
        </form>
      </Dialog>
      <ResultMessage state={state.status === 'success' ? state : { status: 'idle' }} testId="action-result" />
    </div>
  );
}
