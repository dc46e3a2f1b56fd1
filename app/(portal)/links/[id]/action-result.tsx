'use client';

import { ResultMessage } from '@/components/ui/result-message';
import type { ActionState } from '@/lib/actions/state';

/** The result message after a change on the link page. */
export function ActionResult({ state }: { state: ActionState }) {
  return <ResultMessage state={state} testId="action-result" />;
}
