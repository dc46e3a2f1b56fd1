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
