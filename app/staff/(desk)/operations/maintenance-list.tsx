'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { buttonClass } from '@/components/ui/button';
import { CloseDialogOn, Dialog, useDialog } from '@/components/ui/dialog';
import { Alert } from '@/components/ui/alert';
import { ClockIcon, WrenchIcon } from '@/components/ui/icons';
import { SubmitButton } from '@/components/ui/submit-button';
import { cancelMaintenanceAction } from './actions';
import { FormResult } from './form-result';
import { IDLE, type ActionState } from '@/lib/actions/state';

export type MaintenanceItem = { id: string; range: string; inForce: boolean; noteJa: string; noteEn: string; createdBy: string };

/**
 * The windows not yet over, each with a cancel behind a confirmation. One action state for the
 * list, so the result message stays when the cancelled window leaves it.
 */
export function MaintenanceList({ windows }: { windows: MaintenanceItem[] }) {
  const t = useTranslations('Operations');
  const [state, action] = useActionState<ActionState, FormData>(cancelMaintenanceAction, IDLE);
  return (
    <div className="space-y-3">
      {/* Success, or an error about a window no longer listed (its dialog went with it). */}
      <FormResult state={state.status === 'success' || (state.status === 'error' && !windows.some((w) => w.id === state.values?.id)) ? state : IDLE} />
      {windows.length === 0 ? (
        <p className="text-ink-muted">{t('maintenance.none')}</p>
      ) : (
        <ul className="divide-y divide-line rounded-[var(--radius-card)] border border-line bg-surface" data-testid="maintenance-windows">
          {windows.map((w) => (
            <li key={w.id} className="space-y-2 px-5 py-4 sm:px-6" data-state={w.inForce ? 'in-force' : 'announced'}>
              <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
                <p className="tabular font-semibold">{w.range}</p>
                <span
                  className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-sm font-semibold ${w.inForce ? 'bg-warning-soft text-warning' : 'bg-primary-soft text-primary-strong'}`}
                >
                  {w.inForce ? <WrenchIcon /> : <ClockIcon />}
                  {w.inForce ? t('maintenance.inForce') : t('maintenance.announced')}
                </span>
              </div>
              <dl className="grid gap-x-3 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
                <dt className="text-ink-muted">{t('maintenance.noteJa')}</dt>
                <dd lang="ja">{w.noteJa}</dd>
                <dt className="text-ink-muted">{t('maintenance.noteEn')}</dt>
                <dd lang="en">{w.noteEn}</dd>
              </dl>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="text-sm text-ink-muted">{t('maintenance.createdBy', { name: w.createdBy })}</p>
                <CancelDialog item={w} state={state} action={action} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CancelDialog({ item, state, action }: { item: MaintenanceItem; state: ActionState; action: (formData: FormData) => void }) {
  const t = useTranslations('Operations');
  const mine = state.status === 'error' && state.values?.id === item.id ? state : null;
  return (
    <Dialog
      title={t('maintenance.cancelTitle')}
      trigger={(open) => (
        <button type="button" onClick={open} aria-label={t('maintenance.cancelLabel', { range: item.range })} className={buttonClass('secondary', 'text-sm')}>
          {t('maintenance.cancel')}
        </button>
      )}
    >
      <form action={action} className="space-y-4">
        <CloseDialogOn signal={state.status === 'success' ? state.at : 0} />
        <input type="hidden" name="id" value={item.id} />
        <input type="hidden" name="range" value={item.range} />
        <p>{t('maintenance.cancelBody', { range: item.range })}</p>
        {mine ? (
          <Alert tone="critical" live="assertive">
            {mine.message}
          </Alert>
        ) : null}
        <DialogButtons confirm={t('maintenance.cancelConfirm')} />
      </form>
    </Dialog>
  );
}

function DialogButtons({ confirm }: { confirm: string }) {
  const t = useTranslations('Operations');
  const dialog = useDialog();
  return (
    <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
      <button type="button" onClick={dialog.close} className={buttonClass('secondary')}>
        {t('maintenance.keep')}
      </button>
      <SubmitButton variant="danger" pendingLabel={t('pending')}>
        {confirm}
      </SubmitButton>
    </div>
  );
}
