import 'server-only';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env, isSandbox } from '@/lib/env';

/**
 * The key next-auth encrypts its cookie with. Production must configure AUTH_SECRET;
 * sandbox mode generates one into ./data once, so the quick start needs no configuration.
 */
export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (!isSandbox) throw new Error('AUTH_SECRET is required in production mode (at least 32 characters, e.g. `openssl rand -base64 32`).');
  const file = path.join(process.cwd(), 'data', 'auth-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    try {
      fs.writeFileSync(file, secret, { flag: 'wx', mode: 0o600 });
      return secret;
    } catch {
      return fs.readFileSync(file, 'utf8').trim(); // another module instance wrote it first
    }
  }
}
