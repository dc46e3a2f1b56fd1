import type { NextApiRequest, NextApiResponse } from 'next';
import { getOauthProvider } from '@/lib/oauth/provider';

// oidc-provider (Koa) mounted on one catch-all; `/oauth/*` is rewritten here (next.config.js).
export const config = { api: { bodyParser: false, externalResolver: true } };

function originOf(req: NextApiRequest): string {
  const proto = (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0] ?? 'http';
  const host = (req.headers['x-forwarded-host'] as string | undefined) ?? req.headers.host ?? 'localhost';
  return `${proto}://${host}`;
}

export default async function handler(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  const provider = await getOauthProvider(originOf(req));
  // The handler sees the original URL after a rewrite: strip either prefix.
  const url = req.url ?? '/';
  req.url = url.startsWith('/.well-known/oauth-authorization-server')
    ? '/.well-known/openid-configuration' // RFC 8414 path for the issuer <origin>/oauth
    : url.replace(/^\/api\/oauth/, '').replace(/^\/oauth/, '') || '/';
  // oidc-provider derives its mount path (and so every endpoint URL) from originalUrl.
  (req as NextApiRequest & { originalUrl?: string }).originalUrl = `/oauth${req.url}`;
  // Koa writes the response itself (externalResolver); its promise is not the handler's to return.
  void provider.callback()(req, res);
}
