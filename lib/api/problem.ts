import { randomUUID } from 'node:crypto';

/** RFC 9457 problem details, with the RFC 6750 / RFC 9449 challenge where one applies. */
export function problem(
  status: number,
  title: string,
  detail: string,
  options: { code?: string; challenge?: 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof'; extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Response {
  const headers = new Headers({ 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...options.headers });
  if (options.challenge) {
    headers.set('WWW-Authenticate', `DPoP error="${options.challenge}", error_description="${detail.replace(/"/g, "'")}", algs="ES256 PS256 EdDSA"`);
  }
  return new Response(
    JSON.stringify({ type: `https://renkei.example/problems/${options.code ?? title.toLowerCase().replace(/\s+/g, '-')}`, title, status, detail, ...options.extra }),
    { status, headers },
  );
}

export const notFound = () => problem(404, 'Not Found', 'No such resource.', { code: 'not-found' });

/**
 * Every provider API route handler, wrapped: an unexpected failure (the database unreachable, a
 * bug) answers 500 problem+json with a reference that is also in the server's log, never an HTML
 * page or an empty body. Instructions run in one transaction and release their Idempotency-Key on
 * failure (lib/api/idempotent-post.ts), so a failed instruction was not carried out.
 */
export function apiRoute<A extends unknown[]>(handler: (request: Request, ...rest: A) => Promise<Response>): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    try {
      return await handler(request, ...rest);
    } catch (error) {
      const reference = randomUUID().slice(0, 8);
      console.error(`[api ${reference}] ${request.method} ${new URL(request.url).pathname}`, error);
      return problem(500, 'Internal Server Error', `The bank could not complete this call (reference ${reference}). An instruction that failed this way was not carried out and may be sent again with the same Idempotency-Key.`, {
        code: 'internal-error',
        extra: { reference },
      });
    }
  };
}
