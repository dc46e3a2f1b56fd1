import 'server-only';
import { randomUUID } from 'node:crypto';
import { errorReference } from '@/lib/observability/context';
import { log } from '@/lib/observability/logger';
import { refused, type ActionState } from './state';

/**
 * Anything a Server Action did not expect: logged once with a reference (the request id when
 * there is one), and answered with a message that quotes it (`message(ref)`), keeping what was typed.
 */
export function unexpectedFailure(component: string, error: unknown, message: (ref: string) => string, values?: Record<string, string>): ActionState {
  const ref = errorReference(randomUUID);
  log(component).error({ err: error, ref }, 'a form action failed');
  return refused(message(ref), { code: 'unexpected', values });
}
