import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { queryGrant, revokeGrant } from './grant-management';
import { authenticateProvider, sendJson } from './provider-token';
import { apiResource } from './scopes';

// The grant management endpoint, <issuer>/grants/<grant_id> (FAPI Grant Management draft 02
// § Grant Management API): GET queries, DELETE revokes. The caller is the provider as itself
// (lib/oauth/provider-token.ts): audience <issuer>/grants, scope grant_management_query /
// grant_management_revoke (decision 46). A grant that is not the caller's is a 404, the same as
// an unknown one.

const SCOPE_FOR = { GET: 'grant_management_query', DELETE: 'grant_management_revoke' } as const;
const notFound = { error: 'not_found', error_description: 'No such grant.' };

export async function handleGrantManagement(req: IncomingMessage, res: ServerResponse, provider: Provider, path: string): Promise<void> {
  const method = req.method === 'GET' || req.method === 'DELETE' ? req.method : null;
  if (!method) return sendJson(res, 405, { error: 'invalid_request', error_description: 'The grant resource takes GET or DELETE.' }, { Allow: 'GET, DELETE' });
  let grantId: string;
  try {
    grantId = decodeURIComponent(path.slice('/grants/'.length));
  } catch {
    return sendJson(res, 404, notFound);
  }
  if (!grantId || grantId.includes('/') || grantId.length > 200) return sendJson(res, 404, notFound);
  const resource = `${provider.issuer}/grants`;
  const caller = await authenticateProvider(req, res, provider, { method, htu: `${resource}/${encodeURIComponent(grantId)}`, audience: resource, scope: SCOPE_FOR[method] });
  if (!caller) return;
  const now = new Date();
  if (method === 'GET') {
    const grant = await queryGrant(caller.db, caller.clientId, grantId, apiResource(new URL(provider.issuer).origin), now);
    return grant ? sendJson(res, 200, grant) : sendJson(res, 404, notFound);
  }
  return (await revokeGrant(caller.db, caller.clientId, grantId, now)) ? sendJson(res, 204, null) : sendJson(res, 404, notFound);
}
