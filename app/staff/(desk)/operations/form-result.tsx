'use client';

import { ResultMessage } from '@/components/ui/result-message';
import type { ActionState } from '@/lib/actions/state';

/** The result of an operator action on the operations page. */
export function FormResult({ state }: { state: ActionState }) {
  return <ResultMessage state={state} testId="operations-result" />;
}
