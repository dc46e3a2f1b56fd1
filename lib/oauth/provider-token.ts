import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { REPLAY_RECORD_MS } from '@/lib/api/call-state';
import { DpopError, verifyDpopProof } from '@/lib/api/dpop';
import { configuredStore, consumeLimits, limitersFor, limitPoints } from '@/lib/api/rate-limit';
import { initDb } from '@/lib/db';
import type { Db } from '@/lib/db/connect';
import { oauthRecords } from '@/lib/db/schema';
import { setRequestPrincipal } from '@/lib/observability/context';
import { log } from '@/lib/observability/logger';

// The provider as itself, at the bank's own endpoints beside oidc-provider (Grant Management,
// Shared Signals): a client-credentials access token from the token endpoint, DPoP-bound like every
// token here, for one audience (decision 46). Every refusal says why, in the body and in
// WWW-Authenticate (RFC 6750 §3, RFC 9449 §7.1).

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === null) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

export function refuseToken(res: ServerResponse, status: 401 | 403, error: 'invalid_token' | 'invalid_dpop_proof' | 'insufficient_scope', description: string): void {
  // A header value is ASCII: quotes and anything outside printable ASCII become plain characters.
  const ascii = description.replace(/[’‘]/g, "'").replace(/"/g, "'").replace(/[^\x20-\x7e]/g, '?');
  const challenge = `DPoP error="${error}", error_description="${ascii}", algs="ES256 PS256 EdDSA"`;
  sendJson(res, status, { error, error_description: description }, { 'WWW-Authenticate': challenge });
}

export type ProviderCaller = { db: Db; clientId: string; scopes: Set<string> };

/**
 * Checks the request's management token for `audience` and the one `scope` it needs; answers the
 * refusal itself and returns null, or returns the provider. `htu` is the request's public URL
 * without query (the DPoP proof's). These calls count against the provider's allowance for API
 * calls (RATE_LIMIT_PROVIDER_PER_S), not the token endpoint's: a receiver that polls must never
 * starve its own token requests.
 */
export async function authenticateProvider(
  req: IncomingMessage,
  res: ServerResponse,
  provider: Provider,
  input: { method: string; htu: string; audience: string; scope: string },
): Promise<ProviderCaller | null> {
  const [scheme, accessToken, ...rest] = (req.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'dpop' || !accessToken || rest.length > 0) {
    refuseToken(res, 401, 'invalid_token', 'Send the provider\'s own access token as Authorization: DPoP <token> with a DPoP proof');
    return null;
  }
  const proofHeader = req.headers.dpop;
  if (typeof proofHeader !== 'string' || proofHeader.includes(',')) {
    refuseToken(res, 401, 'invalid_dpop_proof', 'Exactly one DPoP proof is required');
    return null;
  }
  let proof;
  try {
    proof = await verifyDpopProof(proofHeader, { method: input.method, htu: input.htu, accessToken });
  } catch (error) {
    refuseToken(res, 401, 'invalid_dpop_proof', error instanceof DpopError ? error.message : 'the DPoP proof is invalid');
    return null;
  }
  const database = await initDb();
  const db = database.db;
  const now = new Date();
  const fresh = await db
    .insert(oauthRecords)
    .values({ model: 'DPoPProof', id: `${proof.jkt}:${proof.jti}`, payload: {}, expiresAt: new Date(now.getTime() + REPLAY_RECORD_MS) })
    .onConflictDoNothing()
    .returning({ id: oauthRecords.id });
  if (fresh.length === 0) {
    refuseToken(res, 401, 'invalid_dpop_proof', 'This DPoP proof was already used');
    return null;
  }
  const token = await provider.ClientCredentials.find(accessToken);
  if (!token || token.isExpired) {
    refuseToken(res, 401, 'invalid_token', 'The access token is unknown, expired or revoked');
    return null;
  }
  if (token.jkt !== proof.jkt) {
    refuseToken(res, 401, 'invalid_token', 'The access token is not bound to this DPoP key');
    return null;
  }
  const audience = (token as unknown as { aud?: string | string[] }).aud;
  if (!(Array.isArray(audience) ? audience.includes(input.audience) : audience === input.audience)) {
    refuseToken(res, 401, 'invalid_token', `The access token is not for ${input.audience}`);
    return null;
  }
  const clientId = token.clientId;
  if (!clientId) {
    refuseToken(res, 401, 'invalid_token', 'The access token names no client');
    return null;
  }
  setRequestPrincipal(`provider:${clientId}`);
  const scopes = new Set((token.scope ?? '').split(' ').filter(Boolean));
  if (!scopes.has(input.scope)) {
    refuseToken(res, 403, 'insufficient_scope', `This request needs the scope ${input.scope}`);
    return null;
  }
  const limits = await consumeLimits(await limitersFor(db, configuredStore(database.kind)), [{ name: 'provider', key: clientId }], (error) =>
    log('rate-limit').warn({ err: error }, 'the traffic-limit store failed; the provider’s call was let through'),
  );
  for (const [name, value] of Object.entries(limits.headers)) res.setHeader(name, value);
  if (!limits.allowed) {
    sendJson(res, 429, { error: 'too_many_requests', error_description: `Over the limit of ${limitPoints('provider')} calls a second for this provider; retry after ${limits.retryAfterS} s.` });
    return null;
  }
  return { db, clientId, scopes };
}
