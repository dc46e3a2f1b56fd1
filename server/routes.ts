import fs from 'node:fs';
import path from 'node:path';

/**
 * The route pattern of a request path (`/links/[id]`, not `/links/6f1c…`), for the access log and
 * the metrics' labels: from the build's routes manifest (`next build` writes every page and route
 * handler with its regex), with the authorization server's endpoints (rewritten to one catch-all)
 * named one by one. A path that matches nothing is `(unmatched)`, so labels stay a bounded set.
 */
type ManifestRoute = { page: string; regex: string };
type Manifest = { staticRoutes?: ManifestRoute[]; dynamicRoutes?: ManifestRoute[] };

const OAUTH_ENDPOINTS = new Set(['par', 'authorize', 'token', 'revoke', 'introspect', 'jwks', 'interaction', 'session']);
const UUID_OR_NUMBER = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)$/i;

export type RouteMatcher = (pathname: string) => string;

export function routeMatcher(manifest: Manifest | null): RouteMatcher {
  const exact = new Set((manifest?.staticRoutes ?? []).map((r) => r.page));
  const dynamic = (manifest?.dynamicRoutes ?? [])
    .filter((r) => r.page !== '/_not-found')
    .map((r) => ({ page: r.page, regex: new RegExp(r.regex) }));
  return (pathname) => {
    if (pathname.startsWith('/_next/')) return pathname.startsWith('/_next/static/') ? '/_next/static' : '/_next';
    if (pathname === '/oauth' || pathname.startsWith('/oauth/')) {
      const endpoint = pathname.split('/')[2] ?? '';
      if (endpoint === '.well-known') return '/oauth/.well-known';
      return OAUTH_ENDPOINTS.has(endpoint) ? `/oauth/${endpoint}` : '/oauth/[...]';
    }
    if (pathname.startsWith('/.well-known/')) return pathname === '/.well-known/oauth-authorization-server/oauth' ? pathname : '(unmatched)';
    const trimmed = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    if (exact.has(trimmed)) return trimmed;
    for (const route of dynamic) if (route.regex.test(pathname)) return route.page;
    if (!manifest) {
      // `next dev` has no manifest yet: ids become [id], the rest is kept (bounded by the app's pages).
      return trimmed.split('/').map((segment) => (UUID_OR_NUMBER.test(segment) ? '[id]' : segment)).join('/') || '/';
    }
    return '(unmatched)';
  };
}

export function loadRouteMatcher(distDir: string): RouteMatcher {
  try {
    return routeMatcher(JSON.parse(fs.readFileSync(path.join(distDir, 'routes-manifest.json'), 'utf8')) as Manifest);
  } catch {
    return routeMatcher(null);
  }
}
