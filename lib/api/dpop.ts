import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';

export const DPOP_ALGS = ['ES256', 'PS256', 'EdDSA'] as const;
const IAT_WINDOW_SECONDS = 60;

export type DpopProof = { jkt: string; jti: string; iat: number };
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
  try {
    const key = await importJWK(jwk, header.alg);
    ({ payload } = await jwtVerify(proof, key, { typ: 'dpop+jwt', algorithms: [...DPOP_ALGS] }));
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
  return { jkt: await calculateJwkThumbprint(jwk, 'sha256'), jti: payload.jti, iat: payload.iat };
}
