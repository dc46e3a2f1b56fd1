'use client';

import { useActionState, useEffect } from 'react';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';
import { itemsInGroup, PERMISSION_GROUPS, type PermissionItem } from '@/lib/domain/permission-items';
import type { ConsentState } from './actions';

type Account = { id: string; type: string; branchName: string; maskedNumber: string };

export function ConsentForm({
  approve,
  deny,
  items,
  accounts,
  checkedAccountIds,
  itemsTitle,
  children,
}: {
  approve: (prev: ConsentState, formData: FormData) => Promise<ConsentState>;
  deny: () => Promise<ConsentState>;
  items: PermissionItem[];
  accounts: Account[];
  /** The accounts checked at first (the link's own when the provider changes it), else the ordinary ones. */
  checkedAccountIds?: string[];
  /** A heading over the items (Grant Management update: only the items asked to be added are listed). */
  itemsTitle?: string;
  children: React.ReactNode;
}) {
  const t = useTranslations();
  const [state, action] = useActionState<ConsentState, FormData>(approve, { status: 'idle' });
  const [denied, denyAction] = useActionState<ConsentState>(deny, { status: 'idle' });
  const returnTo = state.status === 'done' ? state.returnTo : denied.status === 'done' ? denied.returnTo : null;
  useEffect(() => {
    if (returnTo) window.location.replace(returnTo);
  }, [returnTo]);
  const checkedItems = state.status === 'error' ? state.items : items;
  const checkedAccounts = state.status === 'error' ? state.accounts : (checkedAccountIds ?? accounts.filter((a) => a.type === 'ordinary').map((a) => a.id));
  return (
    <form action={action} className="space-y-6 pb-32" key={state.status === 'error' ? state.message + state.items.join() : 'idle'} aria-busy={returnTo ? true : undefined}>
      {state.status === 'error' ? (
        <Alert tone="critical" live="assertive">
          {state.message}
        </Alert>
      ) : null}
      {itemsTitle ? <h2 className="text-lg font-bold">{itemsTitle}</h2> : null}
      {PERMISSION_GROUPS.map((group) => {
        const inGroup = itemsInGroup(items, group);
        if (inGroup.length === 0) return null;
        return (
          <fieldset key={group} className="rounded-[var(--radius-card)] border border-line bg-surface">
            <legend className="sr-only">{t(`groups.${group}`)}</legend>
            <p aria-hidden="true" className="border-b border-line px-4 py-3 text-sm font-bold text-ink-muted">
              {t(`groups.${group}`)}
            </p>
            <ul className="divide-y divide-line">
              {inGroup.map((item) => (
                <li key={item}>
                  {/* The item's name is the checkbox's accessible name; its description is read after it. */}
                  <label className="flex min-h-14 cursor-pointer items-start gap-3 px-4 py-3">
                    <input
                      type="checkbox"
                      name="items"
                      value={item}
                      defaultChecked={checkedItems.includes(item)}
                      aria-labelledby={`item-${item}-name`}
                      aria-describedby={`item-${item}-description`}
                      className="mt-1 size-5 shrink-0 accent-primary"
                    />
                    <span>
                      <span id={`item-${item}-name`} className="block font-semibold">
                        {t(`items.${item}.name`)}
                      </span>
                      <span id={`item-${item}-description`} className="block text-sm text-ink-muted">
                        {t(`items.${item}.description`)}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        );
      })}
      <fieldset className="rounded-[var(--radius-card)] border border-line bg-surface">
        <legend className="sr-only">{t('consent.accounts')}</legend>
        <div className="border-b border-line px-4 py-3" aria-hidden="true">
          <p className="text-sm font-bold text-ink-muted">{t('consent.accounts')}</p>
          <p className="text-sm text-ink-muted">{t('consent.accountsLead')}</p>
        </div>
        <ul className="divide-y divide-line">
          {accounts.map((a) => (
            <li key={a.id}>
              <label className="flex min-h-12 cursor-pointer items-center gap-3 px-4 py-3">
                <input type="checkbox" name="accounts" value={a.id} defaultChecked={checkedAccounts.includes(a.id)} className="size-5 shrink-0 accent-primary" />
                <span className="flex flex-1 flex-wrap justify-between gap-x-3">
                  <span className="font-semibold">{t(`accountTypes.${a.type as 'ordinary'}`)}</span>
                  <span className="tabular text-ink-muted">
                    {a.branchName} {a.maskedNumber}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {children}
      <div className="fixed inset-x-0 bottom-0 z-10 border-t border-line bg-surface/95 px-4 py-3 backdrop-blur supports-[backdrop-filter]:bg-surface/85">
        <div className="mx-auto flex max-w-2xl gap-3">
          <SubmitButton variant="secondary" className="flex-1" formAction={denyAction} formNoValidate pendingLabel={t('consent.pending')}>
            {t('consent.deny')}
          </SubmitButton>
          <SubmitButton className="flex-1" pendingLabel={t('consent.pending')}>
            {t('consent.approve')}
          </SubmitButton>
        </div>
      </div>
    </form>
  );
}
