/** Carries the one-use sign-in challenge from step 1 to step 2 (httpOnly, 5 minutes). */
export const CHALLENGE_COOKIE = 'renkei_login_challenge';
