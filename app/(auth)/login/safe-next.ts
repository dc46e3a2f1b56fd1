/** Only same-site relative paths are followed after sign-in (no open redirect). */
export function safeNext(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith('/login') || value.startsWith('/staff/login') || value.startsWith('/api/')) return fallback;
  return value;
}

/** Carries the one-use sign-in challenge from step 1 to step 2 (httpOnly, 5 minutes). */
export const CHALLENGE_COOKIE = 'renkei_login_challenge';
