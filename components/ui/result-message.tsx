'use client';

import { useEffect, useRef } from 'react';
import { Alert } from './alert';

export type ResultState = { status: 'idle' } | { status: 'success' | 'error'; message: string; at: number };

/** The result message after a change: announced, and focused so keyboard users land on it. */
export function ResultMessage({ state, testId }: { state: ResultState; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const at = state.status === 'idle' ? 0 : state.at;
  useEffect(() => {
    if (at) ref.current?.focus();
  }, [at]);
  if (state.status === 'idle') return null;
  return (
    <div ref={ref} tabIndex={-1} className="outline-none" data-testid={testId}>
      <Alert tone={state.status === 'success' ? 'success' : 'critical'} live={state.status === 'success' ? 'polite' : 'assertive'}>
        {state.message}
      </Alert>
    </div>
  );
}
