// Shared by Server Actions and the client forms that show their answers: nothing server-only here
// (the unexpected-error helper, which logs, is in ./unexpected.ts).

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

/** The value to show in a field: what was typed when the action refused it, else the default. */
export function valueOf(state: ActionState, name: string, fallback = ''): string {
  return state.status === 'error' ? (state.values?.[name] ?? fallback) : fallback;
}

/** Remounts a form after each answer, so its fields take the values above (React resets forms after an action). */
export function formKey(state: ActionState): number {
  return state.status === 'idle' ? 0 : state.at;
}
