import { generate, verify } from 'otplib';

// Art. 2.1 本人確認: TOTP, 30 s, 6 digits, SHA-1 (RFC 6238). One step of clock skew either way.
const TOLERANCE_SECONDS = 30;

export type TotpCheck = { valid: true; timeStep: number } | { valid: false };

/** Checks a code; a code whose time step is not after `afterTimeStep` is refused (no replay). */
export async function checkTotp(secret: string, code: string, afterTimeStep: number, now: Date = new Date()): Promise<TotpCheck> {
  if (!/^\d{6}$/.test(code)) return { valid: false };
  const epochSeconds = Math.floor(now.getTime() / 1000);
  // A last-accepted step at or past the newest acceptable one (a clock that went back, or replicas
  // with skewed clocks) refuses the code rather than throwing.
  if (afterTimeStep >= Math.floor((epochSeconds + TOLERANCE_SECONDS) / 30)) return { valid: false };
  let result: Awaited<ReturnType<typeof verify>>;
  try {
    result = await verify({ secret, token: code, epoch: epochSeconds, epochTolerance: TOLERANCE_SECONDS, afterTimeStep });
  } catch {
    return { valid: false };
  }
  if (!result.valid) return { valid: false };
  const timeStep = 'timeStep' in result && typeof result.timeStep === 'number' ? result.timeStep : Math.floor(epochSeconds / 30) + (result.delta ?? 0);
  return { valid: true, timeStep };
}

export function totpCode(secret: string, now: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
}
