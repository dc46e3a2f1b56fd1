'use client';

import { ResultMessage } from '@/components/ui/result-message';
import type { FormState } from './form-state';

/** The result of an operator action on the operations page. */
export function FormResult({ state }: { state: FormState }) {
  return <ResultMessage state={state} testId="operations-result" />;
}
