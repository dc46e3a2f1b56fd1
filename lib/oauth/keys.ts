import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { env, isSandbox } from '@/lib/env';

export type OauthKeys = { jwks: { keys: JWK[] }; cookieKeys: string[] };

/**
 * Signing keys (JWKS) and cookie keys of the authorization server: from configuration in
 * production; sandbox mode generates them into ./data/oauth-keys.json once.
 */
export async function loadOauthKeys(): Promise<OauthKeys> {
  if (env.OAUTH_JWKS && env.OAUTH_COOKIE_KEYS) {
    return { jwks: JSON.parse(env.OAUTH_JWKS) as { keys: JWK[] }, cookieKeys: env.OAUTH_COOKIE_KEYS.split(',').map((k) => k.trim()) };
  }
  if (!isSandbox) throw new Error('OAUTH_JWKS and OAUTH_COOKIE_KEYS are required in production mode.');
  const file = path.join(process.cwd(), 'data', 'oauth-keys.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as OauthKeys;
  const { privateKey } = await generateKeyPair('PS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'PS256', use: 'sig', kid: `renkei-${Date.now()}` };
  const keys: OauthKeys = { jwks: { keys: [jwk] }, cookieKeys: [randomBytes(32).toString('base64url')] };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, JSON.stringify(keys), { flag: 'wx', mode: 0o600 });
    return keys;
  } catch {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as OauthKeys; // written by another module instance
  }
}
