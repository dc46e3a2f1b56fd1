'use client';

import { useEffect, useRef } from 'react';
import { Alert } from '@/components/ui/alert';
import type { FormState } from './form-state';

/** The result of an operator action: announced, and focused so keyboard users land on it. */
export function FormResult({ state }: { state: FormState }) {
  const ref = useRef<HTMLDivElement>(null);
  const at = state.status === 'idle' ? 0 : state.at;
  useEffect(() => {
    if (at) ref.current?.focus();
  }, [at]);
  if (state.status === 'idle') return null;
  return (
    <div ref={ref} tabIndex={-1} className="outline-none" data-testid="operations-result">
      <Alert tone={state.status === 'success' ? 'success' : 'critical'} live={state.status === 'success' ? 'polite' : 'assertive'}>
        {state.message}
      </Alert>
    </div>
  );
}
