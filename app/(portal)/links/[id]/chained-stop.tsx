'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { CloseDialogOn, Dialog, DialogButtons } from '@/components/ui/dialog';
import { buttonClass } from '@/components/ui/button';
import { ShieldIcon } from '@/components/ui/icons';
import { ActionResult } from './action-result';
import type { ActionState } from '@/lib/actions/state';
import { requestChainedStopAction } from './actions';

/** Ask the provider to stop passing data to one chained connection (recorded in history). */
export function ChainedStop({
  linkId,
  chainedConnectionId,
  name,
  providerName,
  requested,
}: {
  linkId: string;
  chainedConnectionId: string;
  name: string;
  providerName: string;
  /** "Stop requested on …", once asked: rendered here so the result message survives the refresh. */
  requested: string | null;
}) {
  const t = useTranslations();
  const [state, action] = useActionState<ActionState, FormData>(requestChainedStopAction, { status: 'idle' });
  if (requested) {
    return (
      <div className="space-y-2">
        <ActionResult state={state.status === 'success' ? state : { status: 'idle' }} />
        <p className="inline-flex items-center gap-1.5 text-sm font-semibold text-ink-muted">
          <ShieldIcon />
          {requested}
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-2">
      <Dialog
        title={t('dialogs.chainedTitle', { name })}
        trigger={(open) => (
          <button type="button" onClick={open} aria-label={t('link.askStopFor', { name })} className={buttonClass('secondary', 'text-sm')}>
            {t('link.askStop')}
          </button>
        )}
      >
        <form action={action} className="space-y-4">
          <CloseDialogOn signal={state.status === 'success' ? state.at : 0} />
          <input type="hidden" name="linkId" value={linkId} />
          <input type="hidden" name="chainedConnectionId" value={chainedConnectionId} />
          <p>{t('dialogs.chainedBody', { name, provider: providerName })}</p>
          {state.status === 'error' ? <ActionResult state={state} /> : null}
          <DialogButtons confirm={t('dialogs.chainedConfirm')} danger={false} />
        </form>
      </Dialog>
      <ActionResult state={state.status === 'success' ? state : { status: 'idle' }} />
    </div>
  );
}
