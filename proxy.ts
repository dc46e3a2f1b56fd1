import { NextResponse, type NextRequest } from 'next/server';

// Next 16's middleware. It only sets security headers and redirects optimistically when there is
// no session cookie at all; every real check is in the data layer (CVE-2025-29927 is why).
const SESSION_COOKIES = ['authjs.session-token', '__Secure-authjs.session-token'];
const PROTECTED = [/^\/$/, /^\/links(\/|$)/];

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self'${dev ? " 'unsafe-inline'" : ` 'nonce-${nonce}'`}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Called by providers' servers, which send no Origin; each authenticates every request itself
// (client assertions, DPoP-bound tokens).
const MACHINE_PATHS = [/^\/oauth(\/|$)/, /^\/api\/v1\//, /^\/\.well-known\//];

/**
 * A mutation from a browser must come from this site: `Sec-Fetch-Site: same-origin`, or an
 * `Origin` equal to this site's (the request's own origin, or PUBLIC_ORIGIN behind a proxy).
 * Next.js checks a Server Action's Origin only when there is one; a replay without it, or with
 * `Origin: null`, is refused here (issue 16, defect 2). A plain form post (sign-in without
 * JavaScript) carries Origin, so it passes.
 */
function crossSiteMutation(request: NextRequest): boolean {
  if (!MUTATING.has(request.method) || MACHINE_PATHS.some((re) => re.test(request.nextUrl.pathname))) return false;
  if (request.headers.get('sec-fetch-site') === 'same-origin') return false;
  const origin = request.headers.get('origin');
  return !origin || (origin !== request.nextUrl.origin && origin !== process.env.PUBLIC_ORIGIN);
}

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (crossSiteMutation(request)) {
    return withTransportHeaders(
      new NextResponse('Forbidden: this request did not come from this site.', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } }),
    );
  }
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  const staffArea = /^\/staff(\/|$)/.test(pathname) && !/^\/staff\/login(\/|$)/.test(pathname);
  if (!hasSession && (staffArea || PROTECTED.some((re) => re.test(pathname)))) {
    const url = request.nextUrl.clone();
    url.pathname = staffArea ? '/staff/login' : '/login';
    url.search = `?next=${encodeURIComponent(pathname + search)}`;
    return withTransportHeaders(NextResponse.redirect(url, 303));
  }

  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  response.headers.set('X-Frame-Options', 'DENY');
  // same-origin, not no-referrer: with no-referrer Chrome sends `Origin: null` on a form post made before
  // hydration, and Next refuses that Server Action (its CSRF check). No referrer leaves the site either way.
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  response.headers.set('Cache-Control', 'no-store');
  return withTransportHeaders(response);
}

/**
 * On every response this proxy makes, redirects included. server/main.ts sets the same two on every
 * response of the process (404s, static files, the authorization server), where this proxy does not run.
 */
function withTransportHeaders(response: NextResponse): NextResponse {
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
  return response;
}

const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
