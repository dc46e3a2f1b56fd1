import { randomUUID } from 'node:crypto';
import { errorReference } from '@/lib/observability/context';
import { log } from '@/lib/observability/logger';

/**
 * What every Server Action answers its form (portal, staff, operator): nothing yet, a result
 * message, or a refusal that keeps what was typed (`values`) with a message per field
 * (`fieldErrors`, already translated) and, for the portal, the domain's refusal `code`.
 */
export type ActionState =
  | { status: 'idle' }
  | { status: 'success'; message: string; at: number }
  | { status: 'error'; message: string; at: number; code?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

export const IDLE: ActionState = { status: 'idle' };

export function succeeded(message: string): ActionState {
  return { status: 'success', message, at: Date.now() };
}

export function refused(message: string, extra: { code?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> } = {}): ActionState {
  return { status: 'error', message, at: Date.now(), ...extra };
}

/**
 * Anything a Server Action did not expect: logged once with a reference (the request id when
 * there is one), and answered with a message that quotes it (`message(ref)`), keeping what was typed.
 */
export function unexpectedFailure(component: string, error: unknown, message: (ref: string) => string, values?: Record<string, string>): ActionState {
  const ref = errorReference(randomUUID);
  log(component).error({ err: error, ref }, 'a form action failed');
  return refused(message(ref), { code: 'unexpected', values });
}

/** The value to show in a field: what was typed when the action refused it, else the default. */
export function valueOf(state: ActionState, name: string, fallback = ''): string {
  return state.status === 'error' ? (state.values?.[name] ?? fallback) : fallback;
}

/** Remounts a form after each answer, so its fields take the values above (React resets forms after an action). */
export function formKey(state: ActionState): number {
  return state.status === 'idle' ? 0 : state.at;
}
