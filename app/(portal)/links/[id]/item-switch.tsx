'use client';

import { useActionState, useId } from 'react';
import { useFormStatus } from 'react-dom';
import { useTranslations } from 'next-intl';
import { CloseDialogOn, Dialog, DialogButtons } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { ActionResult } from './action-result';
import type { ActionState } from '@/lib/actions/state';
import { changeItemAction } from './actions';

type Props = {
  linkId: string;
  version: number;
  item: PermissionItem;
  granted: boolean;
  providerName: string;
  /** Step-up: granting needs the one-time password (transaction items). */
  stepUp: boolean;
  /** Why the switch cannot be used, or null. */
  disabledReason: string | null;
  nameId: string;
};

function SwitchVisual({ on, pending }: { on: boolean; pending: boolean }) {
  const t = useTranslations('link');
  return (
    <span className="inline-flex items-center gap-2" aria-hidden="true">
      <span className={`relative inline-flex h-7 w-12 shrink-0 items-center rounded-full border-2 transition-colors ${on ? 'border-primary bg-primary' : 'border-line-strong bg-neutral-soft'}`}>
        <span className={`inline-block size-5 rounded-full bg-white shadow transition-transform motion-reduce:transition-none ${on ? 'translate-x-5' : 'translate-x-0.5'}`} />
      </span>
      <span className={`w-14 text-sm font-semibold ${on ? 'text-primary' : 'text-ink-muted'}`}>{pending ? '…' : on ? t('itemOn') : t('itemOff')}</span>
    </span>
  );
}

/** The switch itself: a real button with role=switch, named by the item's name. */
function SwitchButton({ granted, nameId, disabled, onClick, type }: { granted: boolean; nameId: string; disabled: boolean; onClick?: () => void; type: 'button' | 'submit' }) {
  const { pending } = useFormStatus();
  return (
    <button
      type={type}
      role="switch"
      aria-checked={granted}
      aria-labelledby={nameId}
      aria-describedby={`${nameId}-state`}
      disabled={disabled || pending}
      onClick={onClick}
      className="min-h-11 rounded-full px-1 disabled:cursor-not-allowed disabled:opacity-50"
    >
      <SwitchVisual on={granted} pending={pending} />
    </button>
  );
}

export function ItemSwitch({ linkId, version, item, granted, providerName, stepUp, disabledReason, nameId }: Props) {
  const t = useTranslations();
  const [state, action] = useActionState<ActionState, FormData>(changeItemAction, { status: 'idle' });
  const otpId = useId();
  const itemName = t(`items.${item}.name`);
  const hidden = (
    <>
      <input type="hidden" name="linkId" value={linkId} />
      <input type="hidden" name="item" value={item} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="grant" value={granted ? 'false' : 'true'} />
    </>
  );
  const disabled = disabledReason !== null;
  const stateText = <span id={`${nameId}-state`} className="sr-only">{disabledReason ?? ''}</span>;

  // Turning on an information item: no confirmation needed, nothing stops flowing.
  if (!granted && !stepUp) {
    return (
      <div className="space-y-2">
        <form action={action} className="flex justify-end">
          {hidden}
          <SwitchButton type="submit" granted={granted} nameId={nameId} disabled={disabled} />
        </form>
        {stateText}
        <ActionResult state={state} />
      </div>
    );
  }

  const errorForOtp = state.status === 'error' && (state.code === 'step_up_failed' || state.code === 'step_up_required') ? state.message : undefined;

  return (
    <div className="space-y-2">
      <Dialog
        title={granted ? t('dialogs.revokeTitle', { item: itemName }) : t('dialogs.grantTitle', { item: itemName })}
        trigger={(open) => (
          <div className="flex justify-end">
            <SwitchButton type="button" granted={granted} nameId={nameId} disabled={disabled} onClick={open} />
          </div>
        )}
      >
        <form action={action} className="space-y-4">
          <CloseDialogOn signal={state.status === 'success' ? state.at : 0} />
          {hidden}
          {granted ? (
            <p>{t('dialogs.revokeBody', { item: itemName, provider: providerName })}</p>
          ) : (
            <>
              <p>{t('dialogs.grantBody')}</p>
              <Field id={otpId} name="otp" label={t('login.otp')} hint={t('login.otpHint')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required error={errorForOtp} />
            </>
          )}
          {state.status === 'error' && !errorForOtp ? <ActionResult state={state} /> : null}
          <DialogButtons confirm={granted ? t('dialogs.revokeConfirm') : t('dialogs.grantConfirm')} danger={granted} />
        </form>
      </Dialog>
      {stateText}
      <ActionResult state={state.status === 'success' ? state : { status: 'idle' }} />
    </div>
  );
}

