import { env, isSandbox } from '@/lib/env';
import { sandboxSecret } from './sandbox-secret';

/**
 * The key that seals the one-time-password secrets stored in the database (lib/auth/totp-seal.ts,
 * docs/decisions.md 26). Production must configure TOTP_KEY, kept apart from the database and its
 * backups; sandbox mode generates one into ./data once. Losing it means every customer enrols
 * their authenticator again.
 */
export function totpKey(): string {
  if (env.TOTP_KEY) return env.TOTP_KEY;
  if (!isSandbox) throw new Error('TOTP_KEY is required in production mode (at least 32 characters, e.g. `openssl rand -base64 32`).');
  return sandboxSecret('totp-key');
}
