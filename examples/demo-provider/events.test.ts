import { CompactSign, createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSetReceiver } from './events';

// The demo provider's POST /events logic, without starting its server: SETs signed the way the
// bank signs them (typ secevent+jwt, kid), verified against a JWKS.
const ISSUER = 'http://localhost:3000/oauth';
const TYPE = 'https://schemas.renkei.example/secevent/event-type/link-revoked';
let bankKey: CryptoKey;
let otherKey: CryptoKey;
let jwks: { keys: JWK[] };

beforeAll(async () => {
  const bank = await generateKeyPair('ES256');
  bankKey = bank.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  jwks = { keys: [{ ...(await exportJWK(bank.publicKey)), kid: 'bank-1', alg: 'ES256', use: 'sig' }] };
});

function receiver() {
  return createSetReceiver({ audience: 'demo-provider', verification: async () => ({ issuer: ISSUER, keys: createLocalJWKSet(jwks) }) });
}

let counter = 0;
async function set(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; typ?: string } = {}): Promise<string> {
  counter += 1;
  const payload = {
    iss: ISSUER,
    aud: 'demo-provider',
    iat: 1_790_000_000,
    jti: `jti-${counter}`,
    sub_id: { format: 'iss_sub', iss: ISSUER, sub: 'customer-1' },
    events: { [TYPE]: { initiator: 'customer', link_id: 'link-1' } },
    ...claims,
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', kid: 'bank-1', typ: options.typ ?? 'secevent+jwt' })
    .sign(options.key ?? bankKey);
}

const MEDIA = 'application/secevent+jwt';

describe('demo provider: receiving the bank’s Security Event Tokens (RFC 8935)', () => {
  it('accepts a valid SET with 202, once per jti, and lists it', async () => {
    const r = receiver();
    const token = await set({ jti: 'abc' });
    expect(await r.receive(MEDIA, token, 1000)).toEqual({ status: 202 });
    expect(await r.receive(MEDIA, token, 2000)).toEqual({ status: 202 }); // a retry: acknowledged, not stored twice
    expect(r.events()).toEqual([
      { jti: 'abc', type: 'link-revoked', typeUri: TYPE, issuedAt: 1_790_000_000_000, receivedAt: 1000, subject: 'iss_sub customer-1', detail: { initiator: 'customer', link_id: 'link-1' } },
    ]);
  });

  it('refuses with RFC 8935 error codes', async () => {
    const r = receiver();
    expect(await r.receive('application/json', await set())).toMatchObject({ status: 400, body: { err: 'invalid_request' } });
    expect(await r.receive(MEDIA, await set({}, { key: otherKey }))).toMatchObject({ status: 400, body: { err: 'invalid_key' } });
    expect(await r.receive(MEDIA, await set({ iss: 'https://elsewhere.example/oauth' }))).toMatchObject({ status: 400, body: { err: 'invalid_issuer' } });
    expect(await r.receive(MEDIA, await set({ aud: 'someone-else' }))).toMatchObject({ status: 400, body: { err: 'invalid_audience' } });
    expect(await r.receive(MEDIA, await set({}, { typ: 'JWT' }))).toMatchObject({ status: 400, body: { err: 'invalid_request' } });
    expect(await r.receive(MEDIA, await set({ events: {} }))).toMatchObject({ status: 400, body: { err: 'invalid_request' } });
    expect(await r.receive(MEDIA, 'not a jwt')).toMatchObject({ status: 400, body: { err: 'invalid_request' } });
    expect(r.events()).toHaveLength(0);
  });

  it('keeps the newest 50', async () => {
    const r = receiver();
    for (let i = 0; i < 55; i += 1) await r.receive(MEDIA, await set({ jti: `n-${i}` }));
    expect(r.events()).toHaveLength(50);
    expect(r.events()[0]?.jti).toBe('n-54');
    expect(r.events()[49]?.jti).toBe('n-5');
  });
});
