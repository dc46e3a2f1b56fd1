import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DpopError, htuOf, verifyDpopProof } from './dpop';

const URL_ = 'https://bank.example/api/v1/accounts';
const TOKEN = 'opaque-access-token';

async function proof(overrides: { header?: Record<string, unknown>; payload?: Record<string, unknown>; withPrivate?: boolean } = {}) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = overrides.withPrivate ? await exportJWK(privateKey) : await exportJWK(publicKey);
  const jwt = await new SignJWT({ htm: 'GET', htu: URL_, jti: 'a-unique-id-123', ath: createHash('sha256').update(TOKEN).digest('base64url'), ...overrides.payload })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk, ...overrides.header })
    .setIssuedAt(typeof overrides.payload?.iat === 'number' ? overrides.payload.iat : undefined)
    .sign(privateKey);
  return jwt;
}

const verify = (p: string, input: Partial<{ method: string; htu: string; accessToken: string }> = {}) =>
  verifyDpopProof(p, { method: 'GET', htu: URL_, accessToken: TOKEN, ...input });

describe('DPoP proof verification (RFC 9449 §4.3)', () => {
  it('accepts a good proof and returns the key thumbprint', async () => {
    const result = await verify(await proof());
    expect(result.jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.jti).toBe('a-unique-id-123');
  });

  it.each([
    ['wrong typ', { header: { typ: 'JWT' } }, /typ/],
    ['private key in the header', { withPrivate: true }, /public jwk/],
    ['wrong method', { payload: { htm: 'POST' } }, /htm/],
    ['wrong htu', { payload: { htu: 'https://bank.example/api/v1/payees' } }, /htu/],
    ['old iat', { payload: { iat: Math.floor(Date.now() / 1000) - 3600 } }, /iat/],
    ['future iat', { payload: { iat: Math.floor(Date.now() / 1000) + 3600 } }, /iat/],
    ['no jti', { payload: { jti: undefined } }, /jti/],
    ['ath of another token', { payload: { ath: 'x' } }, /ath/],
  ])('refuses %s', async (_name, overrides, message) => {
    await expect(verify(await proof(overrides as never))).rejects.toThrow(message);
  });

  it('refuses garbage and a tampered signature', async () => {
    await expect(verify('not.a.jwt')).rejects.toBeInstanceOf(DpopError);
    const good = await proof();
    const [h, p, s] = good.split('.');
    await expect(verify(`${h}.${p}.${s!.slice(0, -4)}AAAA`)).rejects.toThrow(/signature/);
  });

  it('htu ignores the query and fragment', () => {
    expect(htuOf(new URL('https://bank.example/api/v1/x?from=1#f'))).toBe('https://bank.example/api/v1/x');
  });
});
