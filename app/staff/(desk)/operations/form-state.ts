// What an operator form's Server Action answers (shared by actions.ts and the client forms).
export type FormState =
  | { status: 'idle' }
  | { status: 'success'; message: string; at: number }
  | {
      status: 'error';
      message: string;
      /** Per field, already translated. */
      fieldErrors: Record<string, string>;
      /** What was typed, so the form shows it again (no secrets in these forms). */
      values: Record<string, string>;
      at: number;
    };

export const IDLE: FormState = { status: 'idle' };

/** The value to show in a field: what was typed when the action refused it, else the default. */
export function valueOf(state: FormState, name: string, fallback = ''): string {
  return state.status === 'error' ? (state.values[name] ?? fallback) : fallback;
}

/** Remounts a form after each answer, so its fields take the values above (React resets forms after an action). */
export function formKey(state: FormState): number {
  return state.status === 'idle' ? 0 : state.at;
}
