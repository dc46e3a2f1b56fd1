import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { decodeJwt } from 'jose';
import type { NextApiRequest, NextApiResponse } from 'next';
import { configuredStore, consumeLimits, limitersFor, limitPoints } from '@/lib/api/rate-limit';
import { initDb } from '@/lib/db';
import { DATABASE_RETRY_AFTER_S, isDatabaseUnavailable } from '@/lib/db/unavailable';
import { log } from '@/lib/observability/logger';
import { handleGrantManagement } from '@/lib/oauth/grant-endpoint';
import { getOauthProvider } from '@/lib/oauth/provider';
import { handleSsf } from '@/lib/ssf/endpoint';

// oidc-provider (Koa) mounted on one catch-all; `/oauth/*` is rewritten here (next.config.js).
export const config = { api: { bodyParser: false, externalResolver: true } };

/**
 * The bank's own endpoints under the issuer (Grant Management, Shared Signals) fail as OAuth
 * endpoints do, in JSON: 503 `temporarily_unavailable` with Retry-After while the database is away,
 * else 500 `server_error` with a reference that is also in the log (never Next's HTML error page).
 */
async function managementCall(res: NextApiResponse, handle: () => Promise<void>): Promise<void> {
  try {
    await handle();
  } catch (error) {
    if (res.headersSent) throw error;
    if (isDatabaseUnavailable(error)) {
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_S));
      return refuse(res, 503, 'temporarily_unavailable', 'The service is briefly unavailable; retry after a few seconds.');
    }
    const reference = randomUUID();
    log('oauth').error({ err: error, reference }, 'a management call failed');
    refuse(res, 500, 'server_error', `An unexpected failure at the bank; quote reference ${reference}.`);
  }
}

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
 * The token endpoint's traffic limit (per provider, lib/api/rate-limit.ts). The key is the client
 * the request claims to be, before oidc-provider authenticates it: a caller posing as a provider
 * spends that provider's allowance for the second, which is the price of refusing before the
 * assertion's signature is checked (docs/decisions.md 31). False when it answered 429.
 */
async function tokenLimit(body: Buffer, res: NextApiResponse): Promise<boolean> {
  const clientId = claimedClientId(body);
  if (!clientId) return true;
  const database = await initDb();
  const decision = await consumeLimits(await limitersFor(database.db, configuredStore(database.kind)), [{ name: 'token', key: clientId }], (error) =>
    log('rate-limit').warn({ err: error }, 'the traffic-limit store failed; the token request was let through'),
  );
  for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
  if (decision.allowed) return true;
  refuse(res, 429, 'too_many_requests', `Over the token endpoint's limit of ${limitPoints('token')} requests a second for this provider; retry after ${decision.retryAfterS} s.`);
  return false;
}

/**
 * RFC 7523 §3 lets the server refuse an assertion issued unreasonably far in the future, and
 * oidc-provider checks only `exp` and `nbf`: an `iat` more than MAX_IAT_SKEW_S ahead of this
 * server's clock is refused here, before the assertion reaches it (FAPI 2.0 SP §5.3.2.1 allows
 * at most 10 s). Only a refusal is decided here; the signature is oidc-provider's to check.
 */
const MAX_IAT_SKEW_S = 10;

function assertionFromTheFuture(body: Buffer, now: number = Date.now()): boolean {
  const assertion = new URLSearchParams(body.toString('utf8')).get('client_assertion');
  if (!assertion) return false;
  try {
    const { iat } = decodeJwt(assertion);
    return typeof iat === 'number' && iat > Math.floor(now / 1000) + MAX_IAT_SKEW_S;
  } catch {
    return false; // not a JWT: oidc-provider refuses it
  }
}

function refuse(res: NextApiResponse, status: number, error: string, description: string): void {
  res.status(status).setHeader('Cache-Control', 'no-store').json({ error, error_description: description });
}

/** The same request, its body readable once more, for oidc-provider's own parser. */
function replay(req: NextApiRequest, body: Buffer): IncomingMessage {
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

/** The endpoints a provider's back end POSTs to, each authenticating with a client assertion. */
const POST_ONLY = new Set(['/par', '/token', '/revoke', '/introspect']);

/**
 * Providers are confidential clients calling from their servers: no OAuth endpoint answers a
 * browser's cross-origin request (no CORS headers, whatever oidc-provider would add).
 */
function withoutCors(res: NextApiResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) => (/^access-control-/i.test(name) ? res : setHeader(name, value))) as typeof res.setHeader;
}

/**
 * A query string or form body that oidc-provider would answer with a 500: percent-encoding that
 * does not decode, or a NUL, which no parameter has a use for and PostgreSQL's text cannot hold.
 */
function malformedParameters(encoded: string): boolean {
  try {
    return encoded.split('&').some((part) => decodeURIComponent(part.replace(/\+/g, ' ')).includes('\u0000'));
  } catch {
    return true;
  }
}

export default async function handler(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  const provider = await getOauthProvider(originOf(req));
  // The handler sees the original URL after a rewrite: strip either prefix.
  const url = req.url ?? '/';
  req.url = url.startsWith('/.well-known/oauth-authorization-server')
    ? '/.well-known/openid-configuration' // RFC 8414 path for the issuer <origin>/oauth
    : url.startsWith('/.well-known/ssf-configuration')
      ? '/.well-known/ssf-configuration' // SSF 1.0 §7.2: the issuer's path after the well-known name
      : url.replace(/^\/api\/oauth/, '').replace(/^\/oauth/, '') || '/';
  // oidc-provider derives its mount path (and so every endpoint URL) from originalUrl.
  (req as NextApiRequest & { originalUrl?: string }).originalUrl = `/oauth${req.url}`;
  withoutCors(res);
  const path = req.url.split('?')[0] ?? '/';
  const postOnly = POST_ONLY.has(path);
  // A preflight gets no CORS answer; a GET on a POST-only endpoint is a wrong method, not a missing page.
  if (req.method === 'OPTIONS' || (postOnly && req.method !== 'POST')) {
    res.setHeader('Allow', postOnly ? 'POST' : 'GET, HEAD');
    refuse(res, 405, 'invalid_request', `This endpoint takes ${postOnly ? 'POST' : 'GET'} only.`);
    return;
  }
  if (malformedParameters(req.url.split('?').slice(1).join('?'))) return refuse(res, 400, 'invalid_request', 'The query string is not valid percent-encoding, or holds a NUL.');
  // Grant Management's endpoint is the bank's own, beside oidc-provider's (lib/oauth/grant-endpoint.ts).
  if (path.startsWith('/grants/')) return managementCall(res, () => handleGrantManagement(req, res, provider, path));
  // The Shared Signals transmitter (lib/ssf/endpoint.ts).
  if (path.startsWith('/ssf/') || path === '/.well-known/ssf-configuration') {
    return managementCall(res, () => handleSsf(req, res, provider, path, new URLSearchParams(req.url!.split('?')[1] ?? '')));
  }
  let request: IncomingMessage = req;
  if (postOnly) {
    const body = await readBody(req);
    if (body === null) return refuse(res, 413, 'invalid_request', 'The request body is too large.');
    if (/^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '') && malformedParameters(body.toString('latin1'))) {
      return refuse(res, 400, 'invalid_request', 'The form body is not valid percent-encoding, or holds a NUL.');
    }
    if (assertionFromTheFuture(body)) return refuse(res, 401, 'invalid_client', `The client assertion's iat is more than ${MAX_IAT_SKEW_S} s in the future.`);
    if (path === '/token' && !(await tokenLimit(body, res))) return;
    request = replay(req, body);
  }
  // Koa writes the response itself (externalResolver); its promise is not the handler's to return.
  void provider.callback()(request, res);
}
