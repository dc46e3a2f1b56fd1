import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';

export const DPOP_ALGS = ['ES256', 'PS256', 'EdDSA'] as const;
const IAT_WINDOW_SECONDS = 60;

export type DpopProof = { jkt: string; jti: string; iat: number };
type ImportedKey = { key: Awaited<ReturnType<typeof importJWK>>; jkt: string };

// A provider signs every proof with the same key: its import and thumbprint are pure functions of
// the JWK as sent, kept for the most recent keys (nothing about a token, link or consent is kept).
const KEY_CACHE_SIZE = 1_000;
const globalForDpop = globalThis as typeof globalThis & { __renkeiDpopKeys?: Map<string, ImportedKey> };
const importedKeys = (globalForDpop.__renkeiDpopKeys ??= new Map<string, ImportedKey>());

async function importProofKey(jwk: JWK, alg: string): Promise<ImportedKey> {
  const cacheKey = `${alg} ${JSON.stringify(jwk)}`;
  const cached = importedKeys.get(cacheKey);
  if (cached) return cached;
  const imported = { key: await importJWK(jwk, alg), jkt: await calculateJwkThumbprint(jwk, 'sha256') };
  if (importedKeys.size >= KEY_CACHE_SIZE) importedKeys.delete(importedKeys.keys().next().value!);
  importedKeys.set(cacheKey, imported);
  return imported;
}
export class DpopError extends Error {}

/** The htu a proof must carry: the request URL without query and fragment (RFC 9449 §4.3). */
export function htuOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Verifies a DPoP proof (RFC 9449 §4.3): typ, alg, a public jwk, the signature, htm, htu, iat
 * window and ath for the presented access token. Replay (jti) is checked by the caller.
 */
export async function verifyDpopProof(proof: string, input: { method: string; htu: string; accessToken: string; now?: Date }): Promise<DpopProof> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw new DpopError('the DPoP proof is not a JWS');
  }
  if (header.typ !== 'dpop+jwt') throw new DpopError('typ must be dpop+jwt');
  if (!header.alg || !(DPOP_ALGS as readonly string[]).includes(header.alg)) throw new DpopError('unsupported alg');
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== 'object' || 'd' in jwk) throw new DpopError('a public jwk is required in the header');
  let payload: Record<string, unknown>;
  let jkt: string;
  try {
    const imported = await importProofKey(jwk, header.alg);
    jkt = imported.jkt;
    ({ payload } = await jwtVerify(proof, imported.key, { typ: 'dpop+jwt', algorithms: [...DPOP_ALGS] }));
  } catch {
    throw new DpopError('the DPoP proof signature is invalid');
  }
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (payload.htm !== input.method) throw new DpopError('htm does not match the request method');
  if (payload.htu !== input.htu) throw new DpopError('htu does not match the request URL');
  if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > IAT_WINDOW_SECONDS) throw new DpopError('iat is outside the acceptable window');
  if (typeof payload.jti !== 'string' || payload.jti.length < 8 || payload.jti.length > 200) throw new DpopError('jti is missing');
  const ath = createHash('sha256').update(input.accessToken).digest('base64url');
  if (payload.ath !== ath) throw new DpopError('ath does not match the access token');
  return { jkt, jti: payload.jti, iat: payload.iat };
}
