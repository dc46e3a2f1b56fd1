'use client';

import { useActionState, useEffect } from 'react';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ConsentState } from './actions';

/** When the request cannot be granted: back to the provider with error=access_denied. */
export function BackToProvider({ deny, label }: { deny: () => Promise<ConsentState>; label: string }) {
  const [state, action] = useActionState<ConsentState>(deny, { status: 'idle' });
  const returnTo = state.status === 'done' ? state.returnTo : null;
  useEffect(() => {
    if (returnTo) window.location.replace(returnTo);
  }, [returnTo]);
  return (
    <form action={action}>
      <SubmitButton variant="secondary">{label}</SubmitButton>
    </form>
  );
}
