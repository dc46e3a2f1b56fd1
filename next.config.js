// @ts-check
const createNextIntlPlugin = require('next-intl/plugin');

const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // One PGlite (and later one oidc-provider) per process: keep them out of the bundles.
  // pino, prom-client: one logger and one metrics registry, shared with server/main.ts (lib/observability).
  // pdfkit reads its own font metrics from its package folder at run time.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'postgres', 'oidc-provider', 'pino', 'pino-pretty', 'prom-client', 'rate-limiter-flexible', 'ioredis', 'pdfkit'],
  async rewrites() {
    return {
      beforeFiles: [
        // RFC 8414 discovery for the issuer <origin>/oauth, and the authorization server itself.
        { source: '/.well-known/oauth-authorization-server/oauth', destination: '/api/oauth/.well-known/oauth-authorization-server' },
        // OpenID Shared Signals 1.0 §7.2: the transmitter's configuration for the issuer <origin>/oauth.
        { source: '/.well-known/ssf-configuration/oauth', destination: '/api/oauth/.well-known/ssf-configuration' },
        { source: '/oauth/:path*', destination: '/api/oauth/:path*' },
      ],
    };
  },
  // forbidden(): a staff session presented to a customer page or action gets a real 403.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

module.exports = withNextIntl(nextConfig);
