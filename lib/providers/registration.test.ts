import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import demo from '@/examples/demo-provider/registration.json';
import { parseRegistration, RegistrationError } from './registration';

const run = promisify(execFile);
const clone = () => JSON.parse(JSON.stringify(demo)) as Record<string, unknown> & { renkei: Record<string, unknown>; redirect_uris: string[] };

describe('provider registration (SPEC §7)', () => {
  it('accepts the demo provider in sandbox mode', () => {
    expect(parseRegistration(demo, true).renkei.permitted_items).toContain('balances');
  });

  it('refuses http redirect URIs in production, and anything but localhost in sandbox', () => {
    expect(() => parseRegistration(demo, false)).toThrow(/https/);
    const other = clone();
    other.redirect_uris = ['http://example.com/cb'];
    expect(() => parseRegistration(other, true)).toThrow(RegistrationError);
    other.redirect_uris = ['https://example.com/cb#frag'];
    expect(() => parseRegistration(other, true)).toThrow(/fragment/);
  });

  it('requires the purpose of use (利用目的) in Japanese, and says so; English is optional (issue 14 §1)', () => {
    const missing = clone();
    delete missing.renkei.purpose_ja;
    expect(() => parseRegistration(missing, true)).toThrow(/renkei\.purpose_ja: purpose_ja \(利用目的, the purpose of use in Japanese\) is required/);
    const blank = clone();
    blank.renkei.purpose_ja = '   ';
    expect(() => parseRegistration(blank, true)).toThrow(/renkei\.purpose_ja: purpose_ja \(利用目的\) must not be empty/);
    const jaOnly = clone();
    delete jaOnly.renkei.purpose_en;
    expect(parseRegistration(jaOnly, true).renkei.purpose_ja).toMatch(/家計/);
  });

  it('takes initiate_login_uri (where a customer links again at the provider) under the redirect URIs’ rule', () => {
    const other = clone() as ReturnType<typeof clone> & { initiate_login_uri?: string };
    expect(parseRegistration(other, true).initiate_login_uri).toBe('http://localhost:4000/');
    other.initiate_login_uri = 'http://provider.example/start';
    expect(() => parseRegistration(other, true)).toThrow(/initiate_login_uri must be https/);
    other.initiate_login_uri = 'javascript:alert(1)';
    expect(() => parseRegistration(other, true)).toThrow(RegistrationError);
  });

  it('holds the events endpoint to the same rule: https, or localhost in sandbox only', () => {
    const other = clone();
    other.renkei.events_endpoint = 'http://example.com/events';
    expect(() => parseRegistration(other, true)).toThrow(/events endpoint/);
    other.renkei.events_endpoint = 'http://localhost:4000/events';
    expect(parseRegistration(other, true).renkei.events_endpoint).toBe('http://localhost:4000/events');
    other.redirect_uris = ['https://example.com/cb'];
    delete (other as Record<string, unknown>).initiate_login_uri; // the demo's is http://localhost
    expect(() => parseRegistration(other, false)).toThrow(/events endpoint/);
    other.renkei.events_endpoint = 'https://provider.example/events';
    expect(parseRegistration(other, false).renkei.events_endpoint).toBe('https://provider.example/events');
  });

  it('refuses unknown items, private keys, other auth methods and chained items the provider is not permitted', () => {
    const bad = clone();
    bad.renkei.permitted_items = ['balances', 'everything'];
    expect(() => parseRegistration(bad, true)).toThrow(/permitted_items/);
    const secret = clone();
    secret.token_endpoint_auth_method = 'client_secret_basic';
    expect(() => parseRegistration(secret, true)).toThrow(/token_endpoint_auth_method/);
    const privateKey = clone();
    (privateKey.jwks as { keys: Record<string, unknown>[] }).keys[0]!.d = 'secret';
    expect(() => parseRegistration(privateKey, true)).toThrow(/public keys only/);
    const chained = clone();
    chained.renkei.chained_connections = [{ name: 'x', purpose: 'y', items: ['transfers', 'direct_debit_transfers'] }];
    expect(() => parseRegistration(chained, true)).toThrow(/direct_debit_transfers not in permitted_items/);
  });

  it('takes the client-assertion algorithm from the keys, and refuses keys that cannot sign it', () => {
    const bare = clone();
    delete bare.token_endpoint_auth_signing_alg;
    expect(parseRegistration(bare, true).token_endpoint_auth_signing_alg).toBe('ES256'); // an EC P-256 key, not the PS256 default
    const mismatch = clone();
    mismatch.token_endpoint_auth_signing_alg = 'PS256';
    expect(() => parseRegistration(mismatch, true)).toThrow(/PS256 needs a matching key in jwks \(the keys sign ES256\)/);
    const weakRsa = clone();
    weakRsa.jwks = { keys: [{ kty: 'RSA', e: 'AQAB', n: Buffer.alloc(128, 1).toString('base64url') }] };
    delete weakRsa.token_endpoint_auth_signing_alg;
    expect(() => parseRegistration(weakRsa, true)).toThrow(/at least 2048 bits \(got 1024\)/);
    const otherCurve = clone();
    (otherCurve.jwks as { keys: Record<string, unknown>[] }).keys[0]!.crv = 'P-384';
    expect(() => parseRegistration(otherCurve, true)).toThrow(/P-256/);
    const mixed = clone();
    delete mixed.token_endpoint_auth_signing_alg;
    (mixed.jwks as { keys: Record<string, unknown>[] }).keys.push({ kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 2).toString('base64url') });
    expect(() => parseRegistration(mixed, true)).toThrow(/required when jwks holds keys for several algorithms/);
  });

  it('registers from the command line and prints the client_id; a second run with the same id is refused', async () => {
    const name = `register-test-${process.pid}-${Date.now()}`;
    const file = path.join(os.tmpdir(), `${name}.json`);
    const input = clone();
    input.renkei.client_id = `cli-${process.pid}`;
    fs.writeFileSync(file, JSON.stringify(input));
    const env = { ...process.env, PGLITE_DIR: name, DATABASE_URL: '' };
    const args = ['--conditions=react-server', '--import', 'tsx', 'scripts/provider-register.ts', file];
    try {
      const { stdout } = await run(process.execPath, args, { env });
      expect(stdout.trim()).toBe(`cli-${process.pid}`);
      await expect(run(process.execPath, args, { env })).rejects.toMatchObject({ stderr: expect.stringContaining('already registered') });
      fs.writeFileSync(file, '{ not json');
      await expect(run(process.execPath, args, { env })).rejects.toMatchObject({ stderr: expect.stringContaining('Cannot read') });
    } finally {
      fs.rmSync(file, { force: true });
      fs.rmSync(path.join(process.cwd(), 'data', name), { recursive: true, force: true });
    }
  }, 60_000);
});
