import { generate, verify } from 'otplib';

// Art. 2.1 本人確認: TOTP, 30 s, 6 digits, SHA-1 (RFC 6238). One step of clock skew either way.
const TOLERANCE_SECONDS = 30;

export type TotpCheck = { valid: true; timeStep: number } | { valid: false };

/** Checks a code; a code whose time step is not after `afterTimeStep` is refused (no replay). */
export async function checkTotp(secret: string, code: string, afterTimeStep: number, now: Date = new Date()): Promise<TotpCheck> {
  if (!/^\d{6}$/.test(code)) return { valid: false };
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    afterTimeStep,
  });
  if (!result.valid) return { valid: false };
  return { valid: true, timeStep: result.timeStep };
}

export function totpCode(secret: string, now: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
}
