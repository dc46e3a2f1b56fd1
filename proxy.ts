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

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  const staffArea = /^\/staff(\/|$)/.test(pathname) && !/^\/staff\/login(\/|$)/.test(pathname);
  if (!hasSession && (staffArea || PROTECTED.some((re) => re.test(pathname)))) {
    const url = request.nextUrl.clone();
    url.pathname = staffArea ? '/staff/login' : '/login';
    url.search = `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url, 303);
  }

  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  response.headers.set('X-Frame-Options', 'DENY');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  // same-origin, not no-referrer: with no-referrer Chrome sends `Origin: null` on a form post made before
  // hydration, and Next refuses that Server Action (its CSRF check). No referrer leaves the site either way.
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  response.headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
