/**
 * Whether an error means the database cannot be reached right now (issue 13, faults), rather than
 * a bug: the connection refused, reset, timed out or closed (Node and postgres-js codes), or the
 * server saying it is shutting down, starting or full (SQLSTATE class 08, 57P01–57P03, 53300).
 * Such a failure answers 503 with Retry-After, not 500 — the provider should simply retry.
 */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const DRIVER = new Set(['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);
const SERVER = new Set(['57P01', '57P02', '57P03', '53300']);

/** Seconds a client is asked to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_S = 5;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (NETWORK.has(code) || DRIVER.has(code) || SERVER.has(code) || code.startsWith('08')) return true;
  }
  return false;
}
