import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Executor } from '@/lib/db/connect';
import { chainedConnections, providers } from '@/lib/db/schema';
import { PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';

const item = z.enum(PERMISSION_ITEM_IDS);

const jwk = z
  .object({ kty: z.enum(['RSA', 'EC', 'OKP']), kid: z.string().min(1).optional(), use: z.literal('sig').optional(), alg: z.string().optional() })
  .passthrough()
  .refine((k) => !('d' in k) && !('p' in k) && !('q' in k), 'jwks must hold public keys only (a private key was found)');

function redirectUri(sandbox: boolean, what = 'redirect URIs') {
  return z
    .string()
    .url()
    .refine((value) => {
      const url = new URL(value);
      if (url.hash) return false;
      if (url.protocol === 'https:') return true;
      // Sandbox only: http://localhost and http://127.0.0.1 on any port, so a provider can be tried locally.
      return sandbox && url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
    }, sandbox ? `${what} must be https (or http://localhost / http://127.0.0.1 in sandbox mode), without a fragment` : `${what} must be https, without a fragment`);
}

/** SPEC §7: RFC 7591 client metadata plus a `renkei` object. */
export function registrationSchema(sandbox: boolean) {
  return z.object({
    client_name: z.string().min(1).max(200),
    redirect_uris: z.array(redirectUri(sandbox)).min(1).max(10),
    token_endpoint_auth_method: z.literal('private_key_jwt'),
    token_endpoint_auth_signing_alg: z.enum(['PS256', 'ES256', 'EdDSA']).optional(),
    grant_types: z.array(z.enum(['authorization_code', 'refresh_token'])).optional(),
    response_types: z.array(z.literal('code')).optional(),
    dpop_bound_access_tokens: z.literal(true).optional(),
    jwks: z.object({ keys: z.array(jwk).min(1) }),
    initiate_login_uri: redirectUri(sandbox, 'initiate_login_uri').optional(),
    renkei: z.object({
      client_id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/).optional(),
      name_ja: z.string().min(1).max(100),
      name_en: z.string().min(1).max(100).optional(),
      legal_name_ja: z.string().min(1).max(200).optional(),
      legal_name_en: z.string().min(1).max(200).optional(),
      registration_number: z.string().min(1).max(100),
      // 利用目的: what the customer's data is for, as the customer will read it (issue 14 §1).
      purpose_ja: z.string({ error: 'purpose_ja (利用目的, the purpose of use in Japanese) is required' }).trim().min(1, 'purpose_ja (利用目的) must not be empty').max(400),
      purpose_en: z.string().trim().min(1).max(400).optional(),
      permitted_items: z.array(item).min(1),
      inactivity_days: z.number().int().min(1).max(365).default(90),
      chained_connections: z
        .array(
          z.object({
            name: z.string().min(1).max(100),
            purpose: z.string().min(1).max(300).optional(),
            purpose_ja: z.string().min(1).max(300).optional(),
            purpose_en: z.string().min(1).max(300).optional(),
            items: z.array(item).min(1),
            since: z.string().date().optional(),
          }),
        )
        .default([]),
      // RFC 8935 push: the same transport rule as redirect URIs.
      events_endpoint: redirectUri(sandbox, 'the events endpoint').optional(),
    }),
  });
}

export type ProviderRegistration = z.infer<ReturnType<typeof registrationSchema>>;

export class RegistrationError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid provider registration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'RegistrationError';
  }
}

export function parseRegistration(input: unknown, sandbox: boolean): ProviderRegistration {
  const parsed = registrationSchema(sandbox).safeParse(input);
  if (!parsed.success) throw new RegistrationError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  const r = parsed.data;
  const extra: string[] = [];
  for (const [index, c] of r.renkei.chained_connections.entries()) {
    const notPermitted = c.items.filter((i) => !r.renkei.permitted_items.includes(i));
    if (notPermitted.length > 0) extra.push(`renkei.chained_connections.${index}.items: ${notPermitted.join(', ')} not in permitted_items`);
    if (!c.purpose && !c.purpose_ja) extra.push(`renkei.chained_connections.${index}: purpose (or purpose_ja) is required`);
  }
  const alg = signingAlg(r, extra);
  if (extra.length > 0) throw new RegistrationError(extra);
  return { ...r, token_endpoint_auth_signing_alg: alg };
}

type SigningAlg = NonNullable<ProviderRegistration['token_endpoint_auth_signing_alg']>;
type PublicJwk = ProviderRegistration['jwks']['keys'][number] & { crv?: unknown; n?: unknown };

/** The algorithm a key can sign client assertions with here (FAPI 2.0: PS256, ES256, EdDSA), or why not. */
function algOfKey(key: PublicJwk): SigningAlg | string {
  if (key.kty === 'EC') return key.crv === 'P-256' ? 'ES256' : `an EC key must be on P-256 for ES256 (got ${String(key.crv)})`;
  if (key.kty === 'OKP') return key.crv === 'Ed25519' ? 'EdDSA' : `an OKP key must be Ed25519 for EdDSA (got ${String(key.crv)})`;
  const bits = typeof key.n === 'string' ? Buffer.from(key.n, 'base64url').length * 8 : 0;
  return bits >= 2048 ? 'PS256' : `an RSA key must have a modulus of at least 2048 bits (got ${bits})`;
}

/**
 * The client-assertion algorithm, checked against the keys: the one registered, which some key
 * must be able to sign with; or, when none is given, the one algorithm the keys all imply (so an
 * EC-only provider does not end up required to sign PS256). Problems are added to `issues`.
 */
function signingAlg(r: ProviderRegistration, issues: string[]): SigningAlg | undefined {
  const perKey = r.jwks.keys.map((k, index) => ({ index, alg: algOfKey(k as PublicJwk), declared: k.alg }));
  for (const k of perKey) {
    if (!['PS256', 'ES256', 'EdDSA'].includes(k.alg)) issues.push(`jwks.keys.${k.index}: ${k.alg}`);
    else if (k.declared !== undefined && k.declared !== k.alg) issues.push(`jwks.keys.${k.index}.alg: ${k.declared} does not fit this key (${k.alg})`);
  }
  const usable = [...new Set(perKey.map((k) => k.alg).filter((a): a is SigningAlg => a === 'PS256' || a === 'ES256' || a === 'EdDSA'))];
  if (r.token_endpoint_auth_signing_alg) {
    if (usable.length > 0 && !usable.includes(r.token_endpoint_auth_signing_alg)) {
      issues.push(`token_endpoint_auth_signing_alg: ${r.token_endpoint_auth_signing_alg} needs a matching key in jwks (the keys sign ${usable.join(', ')})`);
    }
    return r.token_endpoint_auth_signing_alg;
  }
  if (usable.length > 1) issues.push(`token_endpoint_auth_signing_alg: required when jwks holds keys for several algorithms (${usable.join(', ')})`);
  return usable.length === 1 ? usable[0] : undefined;
}

/** Registers a provider and its chained connections; returns its client_id. */
export async function registerProvider(db: Executor, registration: ProviderRegistration, now: Date = new Date()): Promise<string> {
  // initiate_login_uri is the bank's to show (the link page's "link again"), not the authorization server's.
  const { renkei, initiate_login_uri: initiateLoginUri, ...metadata } = registration;
  const clientId = renkei.client_id ?? `prv-${randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const [row] = await db
    .insert(providers)
    .values({
      clientId,
      nameJa: renkei.name_ja,
      nameEn: renkei.name_en ?? registration.client_name,
      legalNameJa: renkei.legal_name_ja ?? renkei.name_ja,
      legalNameEn: renkei.legal_name_en ?? renkei.name_en ?? registration.client_name,
      registrationNumber: renkei.registration_number,
      purposeJa: renkei.purpose_ja,
      purposeEn: renkei.purpose_en ?? '',
      initiateLoginUri: initiateLoginUri ?? null,
      permittedItems: renkei.permitted_items,
      inactivityDays: renkei.inactivity_days,
      clientMetadata: {
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        dpop_bound_access_tokens: true,
        ...metadata,
      },
      eventsEndpoint: renkei.events_endpoint ?? null,
    })
    .onConflictDoNothing({ target: providers.clientId })
    .returning({ id: providers.id });
  if (!row) throw new RegistrationError([`renkei.client_id: ${clientId} is already registered`]);
  if (renkei.chained_connections.length > 0) {
    await db.insert(chainedConnections).values(
      renkei.chained_connections.map((c) => ({
        providerId: row.id,
        name: c.name,
        purposeJa: c.purpose_ja ?? c.purpose ?? '',
        purposeEn: c.purpose_en ?? c.purpose ?? c.purpose_ja ?? '',
        items: c.items,
        since: c.since ?? now.toISOString().slice(0, 10),
      })),
    );
  }
  return clientId;
}
