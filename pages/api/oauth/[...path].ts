import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { decodeJwt } from 'jose';
import type { NextApiRequest, NextApiResponse } from 'next';
import { configuredStore, consumeLimits, limitersFor, limitPoints } from '@/lib/api/rate-limit';
import { initDb } from '@/lib/db';
import { log } from '@/lib/observability/logger';
import { getOauthProvider } from '@/lib/oauth/provider';

// oidc-provider (Koa) mounted on one catch-all; `/oauth/*` is rewritten here (next.config.js).
export const config = { api: { bodyParser: false, externalResolver: true } };

/** oidc-provider's own limit for a request body. */
const BODY_LIMIT = 56 * 1024;

function originOf(req: NextApiRequest): string {
  const proto = (req.headers['x-forwarded-proto'] as string | undefined)?.split(',')[0] ?? 'http';
  const host = (req.headers['x-forwarded-host'] as string | undefined) ?? req.headers.host ?? 'localhost';
  return `${proto}://${host}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req) {
    received += (chunk as Buffer).length;
    if (received > BODY_LIMIT) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, received);
}

/** The client a token request says it is (its client assertion's `sub`, or `client_id`); checked by oidc-provider after this. */
function claimedClientId(body: Buffer): string | null {
  const form = new URLSearchParams(body.toString('utf8'));
  const assertion = form.get('client_assertion');
  if (assertion) {
    try {
      const claims = decodeJwt(assertion);
      if (typeof claims.sub === 'string') return claims.sub.slice(0, 200);
    } catch {
      // not a JWT: oidc-provider refuses it
    }
  }
  return form.get('client_id')?.slice(0, 200) ?? null;
}

/**
 * The token endpoint's traffic limit (per provider, lib/api/rate-limit.ts). The body is read here
 * to learn which provider is asking, then handed to oidc-provider as a stream again, unchanged.
 * The key is the client the request claims to be, before oidc-provider authenticates it: a caller
 * posing as a provider spends that provider's allowance for the second, which is the price of
 * refusing before the assertion's signature is checked (docs/decisions.md 31).
 */
async function tokenLimit(req: NextApiRequest, res: NextApiResponse): Promise<IncomingMessage | null> {
  const body = await readBody(req);
  if (body === null) {
    res.status(413).setHeader('Cache-Control', 'no-store').json({ error: 'invalid_request', error_description: 'The request body is too large.' });
    return null;
  }
  const clientId = claimedClientId(body);
  if (clientId) {
    const database = await initDb();
    const decision = await consumeLimits(await limitersFor(database.db, configuredStore(database.kind)), [{ name: 'token', key: clientId }], (error) =>
      log('rate-limit').warn({ err: error }, 'the traffic-limit store failed; the token request was let through'),
    );
    for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
    if (!decision.allowed) {
      res.status(429).setHeader('Cache-Control', 'no-store').json({
        error: 'too_many_requests',
        error_description: `Over the token endpoint's limit of ${limitPoints('token')} requests a second for this provider; retry after ${decision.retryAfterS} s.`,
      });
      return null;
    }
  }
  // The same request, its body readable once more, for oidc-provider's own parser.
  return Object.assign(Readable.from([body]), {
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    originalUrl: (req as NextApiRequest & { originalUrl?: string }).originalUrl,
  }) as unknown as IncomingMessage;
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
  let request: IncomingMessage = req;
  if (req.method === 'POST' && req.url.split('?')[0] === '/token') {
    const limited = await tokenLimit(req, res);
    if (!limited) return;
    request = limited;
  }
  // Koa writes the response itself (externalResolver); its promise is not the handler's to return.
  void provider.callback()(request, res);
}
