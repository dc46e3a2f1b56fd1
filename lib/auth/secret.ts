import 'server-only';
import { env, isSandbox } from '@/lib/env';
import { sandboxSecret } from './sandbox-secret';

/**
 * The key next-auth encrypts its cookie with. Production must configure AUTH_SECRET;
 * sandbox mode generates one into ./data once, so the quick start needs no configuration.
 */
export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (!isSandbox) throw new Error('AUTH_SECRET is required in production mode (at least 32 characters, e.g. `openssl rand -base64 32`).');
  return sandboxSecret('auth-secret');
}
