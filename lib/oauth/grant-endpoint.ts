import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { REPLAY_RECORD_MS } from '@/lib/api/call-state';
import { DpopError, verifyDpopProof } from '@/lib/api/dpop';
import { configuredStore, consumeLimits, limitersFor, limitPoints } from '@/lib/api/rate-limit';
import { initDb } from '@/lib/db';
import { oauthRecords } from '@/lib/db/schema';
import { setRequestPrincipal } from '@/lib/observability/context';
import { log } from '@/lib/observability/logger';
import { queryGrant, revokeGrant } from './grant-management';
import { apiResource } from './scopes';

// The grant management endpoint, <issuer>/grants/<grant_id> (FAPI Grant Management draft 02
// § Grant Management API): GET queries, DELETE revokes. The caller is the provider as itself: a
// client-credentials access token from the token endpoint, DPoP-bound like every token here,
// with the audience <issuer>/grants and scope grant_management_query / grant_management_revoke
// (docs/decisions.md 46). A grant that is not the caller's is a 404, the same as an unknown one.

const SCOPE_FOR = { GET: 'grant_management_query', DELETE: 'grant_management_revoke' } as const;

function send(res: ServerResponse, status: number, body: Record<string, unknown> | null, headers: Record<string, string> = {}): void {
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

/** RFC 9449 §7.1 / RFC 6750 §3: a refused token says why in WWW-Authenticate too. */
function refuseToken(res: ServerResponse, status: 401 | 403, error: 'invalid_token' | 'invalid_dpop_proof' | 'insufficient_scope', description: string): void {
  const challenge = `DPoP error="${error}", error_description="${description.replace(/"/g, "'")}", algs="ES256 PS256 EdDSA"`;
  send(res, status, { error, error_description: description }, { 'WWW-Authenticate': challenge });
}

export async function handleGrantManagement(req: IncomingMessage, res: ServerResponse, provider: Provider, path: string): Promise<void> {
  const method = req.method === 'GET' || req.method === 'DELETE' ? req.method : null;
  if (!method) return send(res, 405, { error: 'invalid_request', error_description: 'The grant resource takes GET or DELETE.' }, { Allow: 'GET, DELETE' });
  let grantId: string;
  try {
    grantId = decodeURIComponent(path.slice('/grants/'.length));
  } catch {
    return send(res, 404, { error: 'not_found', error_description: 'No such grant.' });
  }
  if (!grantId || grantId.includes('/') || grantId.length > 200) return send(res, 404, { error: 'not_found', error_description: 'No such grant.' });

  const [scheme, accessToken, ...rest] = (req.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'dpop' || !accessToken || rest.length > 0) {
    return refuseToken(res, 401, 'invalid_token', 'Send a management access token as Authorization: DPoP <token> with a DPoP proof');
  }
  const proofHeader = req.headers.dpop;
  if (typeof proofHeader !== 'string' || proofHeader.includes(',')) return refuseToken(res, 401, 'invalid_dpop_proof', 'Exactly one DPoP proof is required');
  const resource = `${provider.issuer}/grants`;
  let proof;
  try {
    proof = await verifyDpopProof(proofHeader, { method, htu: `${resource}/${encodeURIComponent(grantId)}`, accessToken });
  } catch (error) {
    return refuseToken(res, 401, 'invalid_dpop_proof', error instanceof DpopError ? error.message : 'the DPoP proof is invalid');
  }
  const database = await initDb();
  const db = database.db;
  const now = new Date();
  const fresh = await db
    .insert(oauthRecords)
    .values({ model: 'DPoPProof', id: `${proof.jkt}:${proof.jti}`, payload: {}, expiresAt: new Date(now.getTime() + REPLAY_RECORD_MS) })
    .onConflictDoNothing()
    .returning({ id: oauthRecords.id });
  if (fresh.length === 0) return refuseToken(res, 401, 'invalid_dpop_proof', 'This DPoP proof was already used');

  const token = await provider.ClientCredentials.find(accessToken);
  if (!token || token.isExpired) return refuseToken(res, 401, 'invalid_token', 'The access token is unknown, expired or revoked');
  if (token.jkt !== proof.jkt) return refuseToken(res, 401, 'invalid_token', 'The access token is not bound to this DPoP key');
  const audience = (token as unknown as { aud?: string | string[] }).aud;
  if (!(Array.isArray(audience) ? audience.includes(resource) : audience === resource)) {
    return refuseToken(res, 401, 'invalid_token', `The access token is not for ${resource}`);
  }
  const clientId = token.clientId;
  if (!clientId) return refuseToken(res, 401, 'invalid_token', 'The access token names no client');
  setRequestPrincipal(`provider:${clientId}`);
  const scopes = new Set((token.scope ?? '').split(' '));
  if (!scopes.has(SCOPE_FOR[method])) return refuseToken(res, 403, 'insufficient_scope', `This request needs the scope ${SCOPE_FOR[method]}`);

  // The provider's allowance at the authorization server (the token endpoint's limit).
  const limits = await consumeLimits(await limitersFor(db, configuredStore(database.kind)), [{ name: 'token', key: clientId }], (error) =>
    log('rate-limit').warn({ err: error }, 'the traffic-limit store failed; the grant management call was let through'),
  );
  for (const [name, value] of Object.entries(limits.headers)) res.setHeader(name, value);
  if (!limits.allowed) {
    return send(res, 429, { error: 'too_many_requests', error_description: `Over the limit of ${limitPoints('token')} requests a second for this provider; retry after ${limits.retryAfterS} s.` });
  }

  if (method === 'GET') {
    const grant = await queryGrant(db, clientId, grantId, apiResource(new URL(provider.issuer).origin), now);
    return grant ? send(res, 200, grant) : send(res, 404, { error: 'not_found', error_description: 'No such grant.' });
  }
  return (await revokeGrant(db, clientId, grantId, now)) ? send(res, 204, null) : send(res, 404, { error: 'not_found', error_description: 'No such grant.' });
}
