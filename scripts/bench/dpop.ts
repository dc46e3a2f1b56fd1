// DPoP proofs for the access token, signed synchronously so that autocannon can add them per request.
import { createHash, KeyObject, randomUUID, sign } from 'node:crypto';
import { exportJWK } from 'jose';
import type { ProviderSession } from '../../e2e/support/oauth-client';

/** Signs one proof for a request: its method and full URL. */
export type ProofSigner = (method: string, htu: string) => string;

/** Synchronous ES256 DPoP proofs (RFC 9449) with Node's crypto, for autocannon's synchronous setupRequest. */
export async function proofSigner(session: ProviderSession, accessToken: string): Promise<ProofSigner> {
  const key = KeyObject.from(session.dpopKeys.privateKey);
  const { kty, crv, x, y } = await exportJWK(session.dpopKeys.publicKey);
  const header = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })).toString('base64url');
  const ath = createHash('sha256').update(accessToken).digest('base64url');
  return (method: string, htu: string): string => {
    const payload = Buffer.from(JSON.stringify({ htm: method, htu, jti: randomUUID(), ath, iat: Math.floor(Date.now() / 1000) })).toString('base64url');
    const input = `${header}.${payload}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };
}
