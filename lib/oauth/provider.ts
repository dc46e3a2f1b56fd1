import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { getDb } from '@/lib/db';
import { PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';
import { env, isSandbox } from '@/lib/env';
import { setRequestPrincipal } from '@/lib/observability/context';
import { log } from '@/lib/observability/logger';
import { metrics } from '@/lib/observability/metrics';

const oauthLog = log('oauth');
import { createAdapterClass, installAtomicReplayDetection } from './adapter';
import { checkGrantRequest, GRANT_MANAGEMENT_ACTIONS_SUPPORTED, GRANT_MANAGEMENT_SCOPES, GrantRequestError } from './grant-management';
import { loadOauthKeys } from './keys';
import { onGrantRevoked } from './grant-revoked';
import { renderOauthError } from './render-error';
import { apiResource } from './scopes';
import { SSF_SCOPE } from '@/lib/ssf/streams';

const ACCESS_TOKEN_TTL = 10 * 60; // s

function requestedScopes(ctx: KoaContextWithOIDC): string[] {
  const scope = (ctx.oidc?.params as { scope?: unknown } | undefined)?.scope;
  return typeof scope === 'string' ? scope.split(' ') : [];
}

function isClientCredentials(ctx: KoaContextWithOIDC): boolean {
  return (ctx.oidc?.params as { grant_type?: unknown } | undefined)?.grant_type === 'client_credentials';
}
const AUTHORIZATION_CODE_TTL = 60; // s: single use and short (FAPI 2.0)
const MAX_LINK_DAYS = 365;

/**
 * A refresh token is issued for the provider's inactivity period (Art. 4); each use of the link
 * carries it (and the grant) forward to the link's new expiry (`extendGrantRecords`).
 */
function linkDays(client: { [key: string]: unknown }): number {
  const days = client.renkei_inactivity_days;
  return typeof days === 'number' && Number.isInteger(days) && days > 0 ? Math.min(days, MAX_LINK_DAYS) : 90;
}

async function createProvider(origin: string): Promise<Provider> {
  const issuer = `${origin}/oauth`;
  const resource = apiResource(origin);
  // Grant Management (lib/oauth/grant-management.ts): the audience of the provider's own management token.
  const grants = `${issuer}/grants`;
  // Shared Signals (lib/ssf): the audience of the provider's token for its stream and polling.
  const ssf = `${issuer}/ssf`;
  const keys = await loadOauthKeys();

  const configuration: Configuration = {
    adapter: createAdapterClass(getDb),
    jwks: keys.jwks as Configuration['jwks'],
    cookies: {
      keys: keys.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    // Only the authorization code flow, only private_key_jwt, PKCE S256, PAR required (FAPI 2.0 SP).
    responseTypes: ['code'],
    clientAuthMethods: ['private_key_jwt'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
      dpop_bound_access_tokens: true,
      id_token_signed_response_alg: 'PS256',
    },
    routes: {
      authorization: '/authorize',
      pushed_authorization_request: '/par',
      token: '/token',
      revocation: '/revoke',
      introspection: '/introspect',
      jwks: '/jwks',
    },
    enabledJWA: {
      clientAuthSigningAlgValues: ['PS256', 'ES256', 'EdDSA'],
      dPoPSigningAlgValues: ['PS256', 'ES256', 'EdDSA'],
      idTokenSigningAlgValues: ['PS256'],
      requestObjectSigningAlgValues: ['PS256', 'ES256', 'EdDSA'],
    },
    pkce: { required: () => true },
    // Grant Management (draft 02 § Authorization Request), checked at PAR and again at /authorize.
    extraParams: {
      grant_management_action: async (ctx, _value, client) => {
        try {
          await checkGrantRequest(await getDb(), client?.clientId ?? '', ctx.oidc.params ?? {});
        } catch (error) {
          if (error instanceof GrantRequestError) throw new errors.CustomOIDCProviderError(error.error, error.description);
          throw error;
        }
      },
      grant_id: null,
    },
    // Served by the adapter from the provider row, so token lifetimes can follow the link (Art. 4).
    extraClientMetadata: { properties: ['renkei_inactivity_days'] },
    scopes: ['openid', 'offline_access'],
    allowOmittingSingleRegisteredRedirectUri: false,
    acceptQueryParamAccessTokens: false,
    features: {
      devInteractions: { enabled: false },
      fapi: { enabled: true, profile: '2.0' },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true, allowUnregisteredRedirectUris: false },
      dPoP: { enabled: true },
      // A provider's token as itself, for the grant management endpoint only (decision 46).
      clientCredentials: { enabled: true },
      // A provider may introspect or revoke only its own tokens.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      registration: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // The customer's consent is for the API; the provider's own token (client credentials) is
        // for the grant management endpoint, and neither is ever issued for the other.
        defaultResource: (ctx) => (isClientCredentials(ctx) ? (requestedScopes(ctx).includes(SSF_SCOPE) ? ssf : grants) : resource),
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, indicator) => {
          if (indicator === resource && !isClientCredentials(ctx)) {
            return { scope: PERMISSION_ITEM_IDS.join(' '), audience: resource, accessTokenFormat: 'opaque', accessTokenTTL: ACCESS_TOKEN_TTL };
          }
          if (indicator === grants && isClientCredentials(ctx)) {
            return { scope: GRANT_MANAGEMENT_SCOPES.join(' '), audience: grants, accessTokenFormat: 'opaque', accessTokenTTL: ACCESS_TOKEN_TTL };
          }
          if (indicator === ssf && isClientCredentials(ctx)) {
            return { scope: SSF_SCOPE, audience: ssf, accessTokenFormat: 'opaque', accessTokenTTL: ACCESS_TOKEN_TTL };
          }
          throw new errors.InvalidTarget();
        },
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      ClientCredentials: ACCESS_TOKEN_TTL,
      AuthorizationCode: AUTHORIZATION_CODE_TTL,
      Interaction: 30 * 60,
      Session: 30 * 60,
      // Issued for the link's inactivity period (Art. 4) and carried forward while the link is used;
      // the link itself is checked on every API call.
      Grant: MAX_LINK_DAYS * 24 * 3600,
      RefreshToken: (_ctx, _token, client) => linkDays(client) * 24 * 3600,
      IdToken: 10 * 60,
    },
    // The link, not the customer's 30-minute browser session at the bank, decides how long tokens live
    // (Art. 4): without this, oidc-provider ties tokens granted without offline_access to that session.
    expiresWithSession: () => false,
    // A refresh token for every code (the link lives beyond one access token); FAPI 2.0: not rotated.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: false,
    // Consent is asked every time: never reuse an earlier grant of the browser session.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    // Art. 5.1: a provider that revokes a token stops the link.
    revokeGrantPolicy: () => true,
    interactions: { url: (_ctx, interaction) => `/consent/${interaction.uid}` },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    renderError: renderOauthError,
    discovery: { service_documentation: `${origin}/docs/providers` },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = true;
  // Client assertions' and DPoP proofs' jti: claimed in one atomic statement (lib/oauth/adapter.ts).
  installAtomicReplayDetection(provider.ReplayDetection as unknown as Parameters<typeof installAtomicReplayDetection>[0], getDb);
  // RFC 8414: advertise the API's scopes (the six permission items), which oidc-provider's
  // discovery leaves out because they belong to a resource server.
  provider.use(async (ctx, next) => {
    await next();
    // The access log names the provider once it has authenticated (token, PAR, revocation…).
    const clientId = ctx.oidc?.client?.clientId;
    if (clientId) setRequestPrincipal(`provider:${clientId}`);
    if (ctx.oidc?.route === 'discovery' && ctx.body && typeof ctx.body === 'object') {
      Object.assign(ctx.body, {
        scopes_supported: [...PERMISSION_ITEM_IDS, ...GRANT_MANAGEMENT_SCOPES, SSF_SCOPE],
        grant_management_endpoint: grants,
        grant_management_actions_supported: [...GRANT_MANAGEMENT_ACTIONS_SUPPORTED],
        grant_management_action_required: false,
      });
    }
    // Grant Management: every token response for a customer's grant names it (the link).
    if (ctx.oidc?.route === 'token' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object' && 'access_token' in ctx.body) {
      const grantId = ctx.oidc.entities?.Grant?.jti;
      if (grantId) (ctx.body as { grant_id?: string }).grant_id = grantId;
    }
  });
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    void onGrantRevoked(grantId, ctx.oidc.client?.clientId ?? null).catch((error: unknown) => oauthLog.error({ err: error, grantId }, 'grant.revoked handling failed'));
  });
  // Token endpoint outcomes by grant type (renkei_token_grants_total); errors are logged without the request's secrets.
  const grantType = (ctx: KoaContextWithOIDC) => {
    const value = (ctx.oidc?.params as { grant_type?: unknown } | undefined)?.grant_type;
    return value === 'authorization_code' || value === 'refresh_token' || value === 'client_credentials' ? value : 'other';
  };
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => metrics.tokenGrants.inc({ grant_type: grantType(ctx), result: 'success' }));
  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: Error & { error?: string }) => {
    metrics.tokenGrants.inc({ grant_type: grantType(ctx), result: error.error ?? 'error' });
    oauthLog.info({ error: error.error ?? error.name, description: error.message }, 'token request refused');
  });
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => oauthLog.error({ err: error }, 'authorization server error'));
  return provider;
}

const globalForOauth = globalThis as typeof globalThis & { __renkeiOauth?: Map<string, Promise<Provider>> };

/** One provider per issuer and process, on globalThis (Next loads modules several times). */
export function getOauthProvider(requestOrigin: string): Promise<Provider> {
  const origin = env.PUBLIC_ORIGIN ?? (isSandbox ? requestOrigin : undefined);
  if (!origin) throw new Error('PUBLIC_ORIGIN is required in production mode.');
  globalForOauth.__renkeiOauth ??= new Map();
  let provider = globalForOauth.__renkeiOauth.get(origin);
  if (!provider) {
    provider = createProvider(origin);
    globalForOauth.__renkeiOauth.set(origin, provider);
  }
  return provider;
}
