'use client';

import { createContext, useCallback, useContext, useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslations } from 'next-intl';
import { SubmitButton } from './submit-button';

const DialogContext = createContext<{ close: () => void } | null>(null);

/** Lets a form inside a dialog close it (e.g. after its action succeeded). */
export function useDialog(): { close: () => void } {
  return useContext(DialogContext) ?? { close: () => {} };
}

/**
 * A modal <dialog> (native focus trap, Esc to close) opened by `trigger`.
 * `trigger` gets an `open` function; the dialog's content decides what confirming does.
 */
export function Dialog({
  title,
  children,
  trigger,
  defaultOpen = false,
}: {
  title: ReactNode;
  children: ReactNode;
  trigger: (open: () => void) => ReactNode;
  defaultOpen?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const t = useTranslations('dialogs');
  const open = useCallback(() => ref.current?.showModal(), []);
  const close = useCallback(() => ref.current?.close(), []);
  useEffect(() => {
    if (defaultOpen) open();
  }, [defaultOpen, open]);
  return (
    <DialogContext.Provider value={{ close }}>
      {trigger(open)}
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        className="m-auto w-[min(34rem,calc(100vw-2rem))] rounded-[var(--radius-card)] border border-line bg-surface p-0 text-ink shadow-xl"
      >
        <div className="space-y-4 p-5 sm:p-6">
          <div className="flex items-start justify-between gap-4">
            <h2 id={titleId} className="text-lg font-bold leading-snug">
              {title}
            </h2>
            <button type="button" onClick={close} className="-m-2 min-h-11 min-w-11 rounded-lg text-ink-muted hover:bg-neutral-soft" aria-label={t('close')}>
              <span aria-hidden="true">×</span>
            </button>
          </div>
          {children}
        </div>
      </dialog>
    </DialogContext.Provider>
  );
}

/** Closes the surrounding dialog whenever `signal` changes to a truthy value (e.g. a success timestamp). */
export function CloseDialogOn({ signal }: { signal: number }) {
  const dialog = useDialog();
  useEffect(() => {
    if (signal) dialog.close();
  }, [signal, dialog]);
  return null;
}

/** Cancel + confirm at the foot of a dialog's form; the confirm button shows the pending state. */
export function DialogButtons({ confirm, danger }: { confirm: string; danger: boolean }) {
  const t = useTranslations('dialogs');
  const dialog = useDialog();
  return (
    <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
      <button type="button" onClick={dialog.close} className="min-h-11 rounded-lg border border-line-strong px-4 font-semibold text-primary hover:bg-primary-soft">
        {t('cancel')}
      </button>
      <SubmitButton variant={danger ? 'danger' : 'primary'}>{confirm}</SubmitButton>
    </div>
  );
}
