'use client';

import { useActionState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { CloseDialogOn, Dialog, DialogButtons } from '@/components/ui/dialog';
import { buttonClass } from '@/components/ui/button';
import { ActionResult } from './action-result';
import type { ActionState } from '@/lib/actions/state';
import { stopLinkAction } from './actions';

/** Art. 5.1 "Stop this link", behind a dialog that states the consequences. */
export function StopLink({ linkId, version, providerName, chainedNames, stopped }: { linkId: string; version: number; providerName: string; chainedNames: string[]; stopped: boolean }) {
  const t = useTranslations();
  const locale = useLocale();
  const [state, action] = useActionState<ActionState, FormData>(stopLinkAction, { status: 'idle' });
  // Rendered in both states so the result message survives the page's refresh after the stop.
  if (stopped) {
    return (
      <div className="space-y-3">
        <ActionResult state={state.status === 'success' ? state : { status: 'idle' }} />
        <p className="font-semibold">{t('link.alreadyStopped')}</p>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <p>{t('link.dangerBody', { provider: providerName })}</p>
      <Dialog
        title={t('dialogs.stopTitle', { provider: providerName })}
        trigger={(open) => (
          <button type="button" onClick={open} className={buttonClass('danger')}>
            {t('link.stop')}
          </button>
        )}
      >
        <form action={action} className="space-y-4">
          <CloseDialogOn signal={state.status === 'success' ? state.at : 0} />
          <input type="hidden" name="linkId" value={linkId} />
          <input type="hidden" name="version" value={version} />
          {/* The consequences, before the customer decides (issue 14 §7, in the spirit of the CDR's). */}
          <p className="font-semibold">{t('dialogs.stopLead', { provider: providerName })}</p>
          <ul className="list-disc space-y-2 pl-5" data-testid="stop-consequences">
            <li>{t('dialogs.stopConsequences1', { provider: providerName })}</li>
            <li>{t('dialogs.stopConsequences2', { provider: providerName })}</li>
            {chainedNames.length > 0 ? <li>{t('dialogs.stopConsequencesChained', { provider: providerName, names: new Intl.ListFormat(locale, { type: 'conjunction' }).format(chainedNames) })}</li> : null}
            <li>{t('dialogs.stopConsequences3', { provider: providerName })}</li>
          </ul>
          {state.status === 'error' ? <ActionResult state={state} /> : null}
          <DialogButtons confirm={t('dialogs.stopConfirm')} danger />
        </form>
      </Dialog>
      <ActionResult state={state.status === 'success' ? state : { status: 'idle' }} />
    </div>
  );
}
