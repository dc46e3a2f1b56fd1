import { randomUUID } from 'node:crypto';
import { openDatabase } from '@/lib/db';
import { DATABASE_RETRY_AFTER_S, isDatabaseUnavailable } from '@/lib/db/unavailable';
import { currentRequestContext, currentRequestId } from '@/lib/observability/context';
import { log } from '@/lib/observability/logger';
import { metrics } from '@/lib/observability/metrics';
import { outcomeOf, recordCall } from './call-stats';
import { PROBLEMS, problemBody, type ProblemCode } from './problems';
import { rateLimitHeaders } from './rate-limit';

/** The problem code of each refusal this module made (metrics: refusals by reason). */
const problemCodes = new WeakMap<Response, string>();

/** RFC 9457 problem details for one refusal of the catalogue, with its challenge where one applies. */
export function problem(code: ProblemCode, detail: string, options: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {}): Response {
  const entry: { status: number; challenge?: string } = PROBLEMS[code];
  const headers = new Headers({ 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...options.headers });
  if (entry.challenge) {
    headers.set('WWW-Authenticate', `DPoP error="${entry.challenge}", error_description="${detail.replace(/"/g, "'")}", algs="ES256 PS256 EdDSA"`);
  }
  const response = new Response(JSON.stringify(problemBody(code, detail, options.extra)), { status: entry.status, headers });
  problemCodes.set(response, code);
  return response;
}

export const notFound = () => problem('not-found', 'No such resource.');

/**
 * Every provider API route handler, wrapped: the database unreachable answers 503 problem+json
 * with Retry-After (retry soon; issue 13), any other unexpected failure (a bug) 500, both with a
 * reference that is also in the server's log, never an HTML page or an empty body. Instructions run in one transaction and release their Idempotency-Key on
 * failure (lib/api/idempotent-post.ts), so a failed instruction was not carried out.
 */
export function apiRoute<A extends unknown[]>(handler: (request: Request, ...rest: A) => Promise<Response>): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    const started = performance.now();
    let response: Response;
    try {
      response = await handler(request, ...rest);
    } catch (error) {
      // The reference is the request's id: the same as the X-Request-Id header and every log line of the call.
      const reference = currentRequestId() ?? randomUUID();
      const notCarriedOut = 'An instruction that failed this way was not carried out and may be sent again with the same Idempotency-Key.';
      if (isDatabaseUnavailable(error)) {
        log('api').warn({ err: error, method: request.method }, 'provider API call: the database is unreachable');
        response = problem('temporarily-unavailable', `The bank's systems are briefly unavailable (reference ${reference}); retry after ${DATABASE_RETRY_AFTER_S} s. ${notCarriedOut}`, {
          extra: { reference },
          headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_S) },
        });
      } else {
        log('api').error({ err: error, method: request.method }, 'provider API call failed');
        response = problem('internal-error', `The bank could not complete this call (reference ${reference}). ${notCarriedOut}`, { extra: { reference } });
      }
    }
    recordDecision(response);
    const principal = currentRequestContext()?.principal;
    const clientId = principal?.startsWith('provider:') ? principal.slice('provider:'.length) : '';
    const ms = performance.now() - started;
    // The database this process has open (none in a unit test): figures are never a reason to open one.
    void openDatabase()
      .then((database) => database && recordCall(database.db, { clientId, outcome: outcomeOf(response.status, problemCodes.get(response)), ms }))
      .catch(() => {});
    for (const [name, value] of Object.entries(rateLimitHeaders.get(request) ?? {})) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
    return response;
  };
}

/** renkei_api_decisions_total, and a log line for each refusal (its reason, never the token or proof). */
function recordDecision(response: Response): void {
  const status = String(response.status);
  if (response.status < 400) {
    metrics.apiDecisions.inc({ outcome: 'allowed', status, reason: '' });
    return;
  }
  const reason = problemCodes.get(response) ?? 'other';
  metrics.apiDecisions.inc({ outcome: response.status >= 500 && response.status !== 503 ? 'error' : 'refused', status, reason });
  log('api').info({ status: response.status, reason }, 'provider API call refused');
}
