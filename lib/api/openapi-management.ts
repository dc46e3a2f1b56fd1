import { z } from 'zod';
import { LINK_STATUSES } from '@/lib/domain/link-status';
import { uuidField } from './bounds';
import { header, rateLimited } from './openapi-headers';
import { MAX_POLL_EVENTS, MIN_VERIFICATION_INTERVAL_S, pollInputSchema, SSF_SCOPE, STREAM_STATUSES, streamInputSchema } from '@/lib/ssf/schemas';

// The provider's management calls in the OpenAPI document (issue 15): FAPI Grant Management
// (`<issuer>/grants/{grant_id}`, decision 46) and the Shared Signals transmitter (`<issuer>/ssf/…`,
// decision 47; its configuration document, like the authorization server's discovery, is a
// well-known document, not an operation). They live under the authorization server, not
// under /api/v1, so each path carries its own `servers`; they are called with the provider's own
// client-credentials DPoP token (`providerToken`), not a customer's, and answer OAuth-style
// errors (`{error, error_description}`), not problem+json. Request schemas are the ones the
// endpoints validate with (lib/ssf/schemas.ts); the response schemas describe what they return.

const ex = <T>(example: T) => ({ examples: [example] });
const stamp = (example: string) => z.iso.datetime().max(32).meta(ex(example));
const GRANT_ID = 'p4Fh2xq7Vn9Kc3LmT8sW1yZ0bR6dJ5eA';
const STREAM_ID = '2f9c1d7e-4b3a-4e8f-9a6b-5c0d1e2f3a4b';

const grantStatus = z.object({
  grant_id: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/).meta(ex(GRANT_ID)),
  status: z.enum(LINK_STATUSES).meta({ description: 'the link as the API enforces it (an extension of the draft)', ...ex('active') }),
  scopes: z
    .array(z.object({ scope: z.string().max(500).regex(/^[a-z_]+( [a-z_]+)*$/).meta(ex('balances statements')), resource: z.array(z.url().max(2000).meta(ex('https://bank.example/api/v1'))).max(1) }))
    .max(1),
  accounts: z.array(z.object({ account_id: uuidField().meta(ex('6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e')) })).max(100).meta({ description: 'the accounts in the consent (an extension of the draft)' }),
  created_at: stamp('2026-04-01T00:30:00.000Z'),
  last_updated: stamp('2026-04-02T09:15:00.000Z'),
  expires_at: stamp('2026-06-30T00:30:00.000Z'),
});
const oauthError = z.object({
  error: z.string().max(100).regex(/^[a-z_]+$/).meta(ex('not_found')),
  error_description: z.string().max(500).regex(/^[ -~]*$/).optional().meta(ex('No such grant.')),
});
const deliveryOut = z.object({
  method: z.enum(['urn:ietf:rfc:8935', 'urn:ietf:rfc:8936']),
  endpoint_url: z.url().max(2000).meta({ description: 'push: the receiver’s endpoint; poll: the transmitter’s poll endpoint', ...ex('https://bank.example/oauth/ssf/poll') }),
});
const eventUri = z.url().max(300).meta(ex('https://bank.example/events/link-revoked'));
const streamConfiguration = z.object({
  stream_id: uuidField().meta(ex(STREAM_ID)),
  iss: z.url().max(2000).meta(ex('https://bank.example/oauth')),
  aud: z.string().max(200).meta({ description: 'the provider’s client_id', ...ex('demo-provider') }),
  delivery: deliveryOut,
  events_supported: z.array(eventUri).max(100),
  events_requested: z.array(eventUri).max(100),
  events_delivered: z.array(eventUri).max(100),
  min_verification_interval: z.number().int().min(1).max(86_400).meta({ format: 'int32', ...ex(MIN_VERIFICATION_INTERVAL_S) }),
  description: z.string().max(500).optional(),
});
const streamStatus = z.object({
  stream_id: uuidField().meta(ex(STREAM_ID)),
  status: z.enum(STREAM_STATUSES),
  reason: z.string().max(500).optional(),
});
const streamStatusRequest = z.object({
  stream_id: z.string().max(200).optional().meta(ex(STREAM_ID)),
  status: z.enum(STREAM_STATUSES),
  reason: z.string().max(500).optional(),
});
const verificationRequest = z.object({
  stream_id: z.string().max(200).optional().meta(ex(STREAM_ID)),
  state: z.string().max(500).optional().meta({ description: 'echoed in the verification SET', ...ex('VGhpcyBpcyBhbiBleGFtcGxl') }),
});
const pollResponse = z.object({
  sets: z.record(uuidField(), z.string().max(20_000).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)).meta({
    description: 'the SETs, keyed by jti (RFC 8936 §2.5)',
    ...ex({ '4e1c9a2b-7d3f-4b8e-a1c6-9f0e2d3b4a5c': 'eyJhbGciOiJFUzI1NiIsInR5cCI6InNlY2V2ZW50K2p3dCJ9.eyJpc3MiOi4uLn0.c2lnbmF0dXJl' }),
  }),
  moreAvailable: z.boolean(),
});

function schema(s: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io }) as Record<string, unknown>;
  return rest;
}

export const MANAGEMENT_SCHEMAS = {
  GrantStatus: schema(grantStatus),
  OAuthError: schema(oauthError),
  StreamRequest: schema(streamInputSchema, 'input'),
  StreamConfiguration: schema(streamConfiguration),
  StreamStatus: schema(streamStatus),
  StreamStatusRequest: schema(streamStatusRequest, 'input'),
  VerificationRequest: schema(verificationRequest, 'input'),
  PollRequest: schema(pollInputSchema, 'input'),
  PollResponse: schema(pollResponse),
};

/** The provider's own token: client credentials at the token endpoint, DPoP-bound, with a `resource` of the endpoint's audience. */
export function providerTokenScheme(origin: string) {
  return {
    type: 'oauth2',
    description:
      'The provider as itself (not a customer’s token): client_credentials at the token endpoint with private_key_jwt and DPoP, `resource` = `<issuer>/grants` for Grant Management or `<issuer>/ssf` for the Shared Signals endpoints. Short-lived: a new one is asked for when it expires (client credentials have no refresh token). Every JWT follows the JWT best current practices of RFC8725, as for the API.',
    flows: {
      clientCredentials: {
        tokenUrl: `${origin}/oauth/token`,
        scopes: {
          grant_management_query: 'query the provider’s own grants',
          grant_management_revoke: 'revoke the provider’s own grants (stops the link)',
          [SSF_SCOPE]: 'manage the provider’s event stream and poll it',
        },
      },
    },
  };
}

const INT32_MAX = 2_147_483_647;
const retryAfter = { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: INT32_MAX } } };
// Every 2XX and 4XX once the provider is known carries the provider allowance's RateLimit headers (the calls count against it).
const errorBody = (description: string, headers: Record<string, unknown> = rateLimited) => ({ description, headers, content: { 'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } } } });
const ok = (description: string, content: Record<string, unknown>) => ({ description, headers: rateLimited, content });
const json = (ref: string, example?: unknown) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` }, ...(example !== undefined ? { example } : {}) } });
const challenge = (errors: string) => ({ 'WWW-Authenticate': header(`DPoP error=${errors} (RFC 9449)`, 500, '^DPoP [ -~]+$'), ...rateLimited });
const failures = {
  '4XX': errorBody('Any other refusal (e.g. 405 for another method), with its reason in `error_description`'),
  '500': errorBody('server_error: an unexpected failure at the bank; `error_description` carries a reference that is also in the bank’s log', {}),
  '503': errorBody('temporarily_unavailable: the bank’s database is briefly away; retry after Retry-After seconds', retryAfter),
};
const refusals = {
  '400': errorBody('invalid_request: the body or a parameter is not valid'),
  '401': errorBody('The provider’s token or DPoP proof is not valid, or is not for this endpoint', challenge('"invalid_token" or "invalid_dpop_proof"')),
  '403': errorBody('insufficient_scope: the token lacks this endpoint’s scope', challenge('"insufficient_scope"')),
  '429': errorBody('The provider’s call allowance is used up', { ...retryAfter, ...rateLimited }),
  ...failures,
};
const { '400': _noBody, ...refusalsWithoutBody } = refusals;
const streamIdQuery = { name: 'stream_id', in: 'query', required: false, schema: { type: 'string', maxLength: 200, pattern: '^[ -~]+$', examples: [STREAM_ID] }, description: 'the stream; optional, a provider has one' };
const noContent = (description: string) => ({ description, headers: rateLimited });
const notFound = (what: string) => errorBody(`not_found: ${what}`);

export function managementPaths(origin: string): Record<string, unknown> {
  const oauth = [{ url: `${origin}/oauth`, description: 'the authorization server (issuer)' }];
  const gm = (scope: string) => [{ providerToken: [scope] }];
  const ssf = [{ providerToken: [SSF_SCOPE] }];
  return {
    '/grants/{grant_id}': {
      servers: oauth,
      parameters: [{ name: 'grant_id', in: 'path', required: true, schema: { type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', examples: [GRANT_ID] }, description: 'the grant_id of the token response' }],
      get: {
        operationId: 'queryGrant',
        tags: ['Grants'],
        summary: 'Query a grant (FAPI Grant Management)',
        description: 'The link behind the grant: the items granted now (as scopes), its accounts, status, created, last updated and expiry. A grant of another provider is a 404, as an unknown one.',
        security: gm('grant_management_query'),
        responses: { '200': ok('OK', json('GrantStatus')), ...refusalsWithoutBody, '404': notFound('no such grant of this provider (ended, unknown or another’s)') },
      },
      delete: {
        operationId: 'revokeGrant',
        tags: ['Grants'],
        summary: 'Revoke a grant: stop the link (Art. 5.1)',
        description: 'Stops the link exactly as the provider’s token revocation does: the customer’s history, a signal, every token of the grant gone.',
        security: gm('grant_management_revoke'),
        responses: { '204': noContent('Revoked'), ...refusalsWithoutBody, '404': notFound('no such live grant of this provider') },
      },
    },
    '/ssf/stream': {
      servers: oauth,
      get: {
        operationId: 'getStream',
        tags: ['Signals'],
        summary: 'Read the event stream (SSF 1.0 §8.1.1.2)',
        description: 'With stream_id, the stream; without it, a list of the provider’s streams (none or one).',
        security: ssf,
        parameters: [streamIdQuery],
        responses: {
          '200': ok('OK', { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/StreamConfiguration' }, { type: 'array', maxItems: 1, items: { $ref: '#/components/schemas/StreamConfiguration' } }] } } }),
          ...refusalsWithoutBody,
          '404': notFound('no such stream'),
        },
      },
      post: {
        operationId: 'createStream',
        tags: ['Signals'],
        summary: 'Create the event stream (SSF 1.0 §8.1.1.1)',
        description: 'Push (RFC 8935) to the provider’s endpoint, or poll (RFC 8936) at the transmitter’s. Waiting events are re-stated for the new stream, oldest first.',
        security: ssf,
        requestBody: { required: true, content: json('StreamRequest', { delivery: { method: 'urn:ietf:rfc:8936' }, events_requested: ['https://bank.example/events/link-revoked'], description: 'Kakeibo app' }) },
        responses: { '201': ok('Created', json('StreamConfiguration')), ...refusals, '409': errorBody('conflict: the provider already has a stream') },
      },
      patch: {
        operationId: 'updateStream',
        tags: ['Signals'],
        summary: 'Update the event stream (SSF 1.0 §8.1.1.3)',
        description: 'Changes only the fields sent.',
        security: ssf,
        requestBody: { required: true, content: json('StreamRequest', { stream_id: STREAM_ID, events_requested: ['https://bank.example/events/link-revoked'] }) },
        responses: { '200': ok('OK', json('StreamConfiguration')), ...refusals, '404': notFound('no such stream') },
      },
      put: {
        operationId: 'replaceStream',
        tags: ['Signals'],
        summary: 'Replace the event stream (SSF 1.0 §8.1.1.4)',
        description: 'Fields not sent go back to their defaults.',
        security: ssf,
        requestBody: { required: true, content: json('StreamRequest', { stream_id: STREAM_ID, delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'https://provider.example/ssf' } }) },
        responses: { '200': ok('OK', json('StreamConfiguration')), ...refusals, '404': notFound('no such stream') },
      },
      delete: {
        operationId: 'deleteStream',
        tags: ['Signals'],
        summary: 'Delete the event stream (SSF 1.0 §8.1.1.5)',
        description: 'Events go to the registration’s events endpoint again, as before the stream.',
        security: ssf,
        parameters: [streamIdQuery],
        responses: { '204': noContent('Deleted'), ...refusalsWithoutBody, '404': notFound('no such stream') },
      },
    },
    '/ssf/status': {
      servers: oauth,
      get: {
        operationId: 'getStreamStatus',
        tags: ['Signals'],
        summary: 'Stream status (SSF 1.0 §8.1.2.1)',
        description: 'enabled, paused or disabled, with the reason given when it was set.',
        security: ssf,
        parameters: [streamIdQuery],
        responses: { '200': ok('OK', json('StreamStatus')), ...refusalsWithoutBody, '404': notFound('no such stream') },
      },
      post: {
        operationId: 'setStreamStatus',
        tags: ['Signals'],
        summary: 'Enable, pause or disable the stream (SSF 1.0 §8.1.2.2)',
        description: 'paused: events are held and delivered in order on enabling; disabled: events are not kept for the stream.',
        security: ssf,
        requestBody: { required: true, content: json('StreamStatusRequest', { stream_id: STREAM_ID, status: 'paused', reason: 'maintenance' }) },
        responses: { '200': ok('OK', json('StreamStatus')), ...refusals, '404': notFound('no such stream') },
      },
    },
    '/ssf/verify': {
      servers: oauth,
      post: {
        operationId: 'verifyStream',
        tags: ['Signals'],
        summary: 'Ask for a verification event (SSF 1.0 §8.1.4)',
        description: `A verification SET carrying \`state\` follows on the stream. At most one per ${MIN_VERIFICATION_INTERVAL_S} s (min_verification_interval).`,
        security: ssf,
        requestBody: { required: false, content: json('VerificationRequest', { stream_id: STREAM_ID, state: 'VGhpcyBpcyBhbiBleGFtcGxl' }) },
        responses: { '204': noContent('Accepted: the verification event is on its way'), ...refusals, '404': notFound('no such stream') },
      },
    },
    '/ssf/poll': {
      servers: oauth,
      post: {
        operationId: 'pollEvents',
        tags: ['Signals'],
        summary: 'Poll for events (RFC 8936)',
        description: `Acknowledges what was received (ack), reports what could not be processed (setErrs) and returns up to ${MAX_POLL_EVENTS} waiting SETs, oldest first. Unacknowledged events are returned again and kept at least 30 days.`,
        security: ssf,
        requestBody: { required: true, content: json('PollRequest', { ack: ['4e1c9a2b-7d3f-4b8e-a1c6-9f0e2d3b4a5c'], maxEvents: 10, returnImmediately: true }) },
        responses: { '200': ok('OK', json('PollResponse')), ...refusals },
      },
    },
  };
}
