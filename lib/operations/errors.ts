/** A refused operator action, with a code the operator UI and the CLI map to a message. */
export class OperationError extends Error {
  constructor(
    readonly code:
      | 'not_found'
      | 'invalid'
      | 'not_active'
      | 'not_suspended'
      | 'final'
      | 'provider_not_active'
      | 'already_requested'
      | 'window_invalid'
      | 'terms_exists'
      | 'terms_not_future',
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'OperationError';
  }
}
