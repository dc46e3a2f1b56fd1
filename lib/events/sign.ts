import { calculateJwkThumbprint, CompactSign, importJWK, type JWK } from 'jose';
import { loadOauthKeys } from '@/lib/oauth/keys';

type SigningKey = { key: Awaited<ReturnType<typeof importJWK>>; alg: string; kid: string };

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The algorithm oidc-provider would use for this key when it carries no `alg` (PS256 for RSA: FAPI 2.0). */
function defaultAlg(jwk: JWK): string | undefined {
  if (jwk.kty === 'RSA') return 'PS256';
  if (jwk.kty === 'EC') return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[jwk.crv ?? ''];
  if (jwk.kty === 'OKP') return 'EdDSA';
  return undefined;
}

function publicPart(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete copy[member];
  return copy as JWK;
}

async function loadSigningKey(): Promise<SigningKey> {
  const { jwks } = await loadOauthKeys();
  // The authorization server's own signing key, so providers verify notifications with the JWKS
  // they already fetch from <issuer>/jwks (no second key to distribute or rotate).
  const jwk = jwks.keys.find((k) => (k.use === undefined || k.use === 'sig') && typeof k.d === 'string' && (k.alg ?? defaultAlg(k)));
  if (!jwk) throw new Error('No private signing key in the authorization server JWKS');
  const alg = jwk.alg ?? defaultAlg(jwk) ?? 'PS256';
  // Without a kid, the JWK thumbprint (RFC 7638), which is what oidc-provider publishes as kid.
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicPart(jwk)));
  return { key: await importJWK(jwk, alg), alg, kid };
}

let signingKey: Promise<SigningKey> | undefined;

function currentSigningKey(): Promise<SigningKey> {
  signingKey ??= loadSigningKey().catch((error: unknown) => {
    signingKey = undefined; // try again next time (e.g. the key file is being written)
    throw error;
  });
  return signingKey;
}

/**
 * The claims as a JWS in compact form (RFC 8417 §2.3: `typ` `secevent+jwt`). The stored claims
 * are signed as they are, so every retry carries the same `jti`, `iat` and events.
 */
export async function signSecurityEvent(claims: Record<string, unknown>): Promise<string> {
  const { key, alg, kid } = await currentSigningKey();
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg, kid, typ: 'secevent+jwt' }).sign(key);
}
