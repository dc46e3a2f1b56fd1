import type { OpenApiDoc } from './openapi-model';

// The authorization server's addresses and the protocol examples of the "connecting" section,
// from the origin and the OpenAPI document's security scheme (authorization and token URLs).

export type AuthorizationServer = {
  issuer: string;
  discoveryOidc: string;
  discoveryRfc8414: string;
  par: string;
  authorize: string;
  token: string;
  revoke: string;
  introspect: string;
  jwks: string;
  grants: string;
  ssfConfiguration: string;
};

export function authorizationServer(doc: OpenApiDoc, origin: string): AuthorizationServer {
  const issuer = `${origin}/oauth`;
  const flow = Object.values(doc.components?.securitySchemes ?? {})[0]?.flows?.authorizationCode;
  return {
    issuer,
    discoveryOidc: `${issuer}/.well-known/openid-configuration`,
    discoveryRfc8414: `${origin}/.well-known/oauth-authorization-server/oauth`,
    par: `${issuer}/par`,
    authorize: flow?.authorizationUrl ?? `${issuer}/authorize`,
    token: flow?.tokenUrl ?? `${issuer}/token`,
    revoke: `${issuer}/revoke`,
    introspect: `${issuer}/introspect`,
    jwks: `${issuer}/jwks`,
    grants: `${issuer}/grants`,
    ssfConfiguration: `${origin}/.well-known/ssf-configuration/oauth`,
  };
}

const REDIRECT_URI = 'https://provider.example/callback';
const ASSERTION = [
  `  --data-urlencode 'client_id=$CLIENT_ID'`,
  `  --data-urlencode 'client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer'`,
  `  --data-urlencode "client_assertion=$CLIENT_ASSERTION"`,
];

export function connectExamples(as: AuthorizationServer, apiServer: string, scope: string) {
  const par = [
    `curl -X POST '${as.par}'`,
    `  -H "DPoP: $DPOP_PROOF"`,
    ...ASSERTION,
    `  --data-urlencode 'response_type=code'`,
    `  --data-urlencode 'redirect_uri=${REDIRECT_URI}'`,
    `  --data-urlencode 'scope=${scope}'`,
    `  --data-urlencode "state=$STATE"`,
    `  --data-urlencode "code_challenge=$CODE_CHALLENGE"`,
    `  --data-urlencode 'code_challenge_method=S256'`,
  ].join(' \\\n');
  const parResponse = JSON.stringify({ request_uri: 'urn:ietf:params:oauth:request_uri:…', expires_in: 60 }, null, 2);
  const authorize = `${as.authorize}?client_id=$CLIENT_ID&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A…`;
  const callback = `${REDIRECT_URI}?code=…&state=…&iss=${encodeURIComponent(as.issuer)}`;
  const token = [
    `curl -X POST '${as.token}'`,
    `  -H "DPoP: $DPOP_PROOF"`,
    ...ASSERTION,
    `  --data-urlencode 'grant_type=authorization_code'`,
    `  --data-urlencode "code=$CODE"`,
    `  --data-urlencode 'redirect_uri=${REDIRECT_URI}'`,
    `  --data-urlencode "code_verifier=$CODE_VERIFIER"`,
  ].join(' \\\n');
  const tokenResponse = JSON.stringify({ access_token: '…', token_type: 'DPoP', expires_in: 600, refresh_token: '…', scope, grant_id: 'TSdqirmAxDa0_-DB_1bASQ…' }, null, 2);
  const refresh = [
    `curl -X POST '${as.token}'`,
    `  -H "DPoP: $DPOP_PROOF"`,
    ...ASSERTION,
    `  --data-urlencode 'grant_type=refresh_token'`,
    `  --data-urlencode "refresh_token=$REFRESH_TOKEN"`,
  ].join(' \\\n');
  const now = 1_775_001_600; // 2026-04-01T00:00:00Z
  const clientAssertion = JSON.stringify({ iss: '$CLIENT_ID', sub: '$CLIENT_ID', aud: as.issuer, jti: '4f6c1a0e-…', iat: now, exp: now + 60 }, null, 2);
  const dpopHeader = JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: '…', y: '…' } }, null, 2);
  const dpopPayload = JSON.stringify({ htm: 'GET', htu: `${apiServer}/accounts`, iat: now, jti: '0b5e3f7a-…', ath: 'base64url(SHA-256(access_token))' }, null, 2);
  return { par, parResponse, authorize, callback, token, tokenResponse, refresh, clientAssertion, dpopHeader, dpopPayload };
}

/** Grant Management (FAPI draft 02): changing a grant at PAR, the provider's own token, query and revoke. */
export function grantExamples(as: AuthorizationServer, apiServer: string) {
  const grantUrl = `${as.grants}/$GRANT_ID`;
  const update = [
    `  --data-urlencode 'scope=balances statements'`,
    `  --data-urlencode 'grant_management_action=update'`,
    `  --data-urlencode "grant_id=$GRANT_ID"`,
  ].join(' \\\n');
  const managementToken = [
    `curl -X POST '${as.token}'`,
    `  -H "DPoP: $DPOP_PROOF"`,
    ...ASSERTION,
    `  --data-urlencode 'grant_type=client_credentials'`,
    `  --data-urlencode 'scope=grant_management_query grant_management_revoke'`,
  ].join(' \\\n');
  const query = [`curl '${grantUrl}'`, `  -H "Authorization: DPoP $MANAGEMENT_TOKEN"`, `  -H "DPoP: $DPOP_PROOF"`].join(' \\\n');
  const queryResponse = JSON.stringify(
    {
      grant_id: '$GRANT_ID',
      status: 'active',
      scopes: [{ scope: 'balances statements', resource: [apiServer] }],
      accounts: [{ account_id: '3f0c…' }],
      created_at: '2026-04-01T00:00:00.000Z',
      last_updated: '2026-04-02T09:30:00.000Z',
      expires_at: '2026-07-01T09:30:00.000Z',
    },
    null,
    2,
  );
  const revoke = [`curl -X DELETE '${grantUrl}'`, `  -H "Authorization: DPoP $MANAGEMENT_TOKEN"`, `  -H "DPoP: $DPOP_PROOF"`].join(' \\\n');
  return { update, managementToken, query, queryResponse, revoke };
}

/** An example error as the API sends it (RFC 9457 body, RFC 9449 challenge). */
export const PROBLEM_EXAMPLE = {
  status: 401,
  statusText: 'Unauthorized',
  body: { type: 'https://renkei.example/problems/link-not-active', title: 'Unauthorized', status: 401, detail: 'The link is suspended.', link_status: 'suspended' },
};

export function problemExample(): string {
  const { body } = PROBLEM_EXAMPLE;
  return [
    `HTTP/1.1 ${PROBLEM_EXAMPLE.status} ${PROBLEM_EXAMPLE.statusText}`,
    'Content-Type: application/problem+json',
    `WWW-Authenticate: DPoP error="invalid_token", error_description="${body.detail}", algs="ES256 PS256 EdDSA"`,
    '',
    JSON.stringify(body, null, 2),
  ].join('\n');
}

/** Shared Signals (SSF 1.0): the provider's token, a poll stream, a poll with acknowledgement. */
export function signalExamples(as: AuthorizationServer) {
  const token = [
    `curl -X POST '${as.token}'`,
    `  -H "DPoP: $DPOP_PROOF"`,
    ...ASSERTION,
    `  --data-urlencode 'grant_type=client_credentials'`,
    `  --data-urlencode 'scope=ssf'`,
  ].join(' \\\n');
  const create = [
    `curl -X POST '${as.issuer}/ssf/stream'`,
    `  -H "Authorization: DPoP $SSF_TOKEN" -H "DPoP: $DPOP_PROOF"`,
    `  -H 'Content-Type: application/json'`,
    `  -d '{"delivery":{"method":"urn:ietf:rfc:8936"},"events_requested":["https://schemas.renkei.example/secevent/event-type/link-revoked"]}'`,
  ].join(' \\\n');
  const poll = [
    `curl -X POST '${as.issuer}/ssf/poll'`,
    `  -H "Authorization: DPoP $SSF_TOKEN" -H "DPoP: $DPOP_PROOF"`,
    `  -H 'Content-Type: application/json'`,
    `  -d '{"ack":["4f1c…"],"maxEvents":20}'`,
  ].join(' \\\n');
  const pollResponse = JSON.stringify({ sets: { '9b0e…': 'eyJ0eXAiOiJzZWNldmVudCtqd3QiLC…' }, moreAvailable: false }, null, 2);
  return { token, create, poll, pollResponse };
}
