// Every refusal the provider API gives, in one place: its HTTP status, RFC 9457 title and, where
// one applies, the RFC 6750 / RFC 9449 challenge. `problem()` (lib/api/problem.ts), the OpenAPI
// document (the Problem schema's `type` values) and the /docs/providers error table read it.
export const PROBLEMS = {
  'invalid-request': { status: 400, title: 'Bad Request' },
  'invalid-json': { status: 400, title: 'Bad Request' },
  'invalid-parameter': { status: 400, title: 'Bad Request' },
  'idempotency-key-required': { status: 400, title: 'Bad Request' },
  'invalid-token': { status: 401, title: 'Unauthorized', challenge: 'invalid_token' },
  'invalid-dpop-proof': { status: 401, title: 'Unauthorized', challenge: 'invalid_dpop_proof' },
  'provider-not-active': { status: 401, title: 'Unauthorized', challenge: 'invalid_token' },
  'link-not-active': { status: 401, title: 'Unauthorized', challenge: 'invalid_token' },
  'insufficient-scope': { status: 403, title: 'Forbidden', challenge: 'insufficient_scope' },
  'not-found': { status: 404, title: 'Not Found' },
  'idempotency-key-in-flight': { status: 409, title: 'Conflict' },
  'body-too-large': { status: 413, title: 'Content Too Large' },
  'idempotency-key-reused': { status: 422, title: 'Unprocessable Content' },
  // The business refusals of an instruction (one row on /docs/providers).
  'account-not-eligible': { status: 422, title: 'Unprocessable Content', business: true },
  'unknown-payee': { status: 422, title: 'Unprocessable Content', business: true },
  'unknown-agreement': { status: 422, title: 'Unprocessable Content', business: true },
  'insufficient-funds': { status: 422, title: 'Unprocessable Content', business: true },
  'rate-limited': { status: 429, title: 'Too Many Requests', header: 'Retry-After' },
  'internal-error': { status: 500, title: 'Internal Server Error' },
  maintenance: { status: 503, title: 'Service Unavailable', header: 'Retry-After' },
  'temporarily-unavailable': { status: 503, title: 'Service Unavailable', header: 'Retry-After' },
} as const satisfies Record<string, { status: number; title: string; challenge?: Challenge; header?: string; business?: true }>;

export type Challenge = 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof';
export type ProblemCode = keyof typeof PROBLEMS;
export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

export const PROBLEM_TYPE_BASE = 'https://renkei.example/problems/';

export function problemType(code: ProblemCode): string {
  return `${PROBLEM_TYPE_BASE}${code}`;
}

/** The JSON body of a refusal (an instruction stores it with its Idempotency-Key). */
export function problemBody(code: ProblemCode, detail: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { status, title } = PROBLEMS[code];
  return { type: problemType(code), title, status, detail, ...extra };
}

/** An instruction's refusal as its outcome: the catalogue's status and the body. */
export function refusal(code: ProblemCode, detail: string): { status: number; body: Record<string, unknown> } {
  return { status: PROBLEMS[code].status, body: problemBody(code, detail) };
}
