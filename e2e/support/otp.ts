import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';

const STEP_SECONDS = 30;

/**
 * A one-time password the server has not accepted yet. The server refuses a code whose time step
 * is not after the last one it accepted (no replay), so every code used in a run is recorded and
 * the next one is taken from a later step (the server accepts ±1 step), waiting if need be.
 */
export async function freshOtp(secret: string): Promise<string> {
  const file = path.join(os.tmpdir(), `renkei-e2e-otp-${process.env.E2E_RUN_ID ?? 'local'}.json`);
  const used: Record<string, number> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const current = Math.floor(Date.now() / 1000 / STEP_SECONDS);
  const step = Math.max((used[secret] ?? 0) + 1, current);
  const waitMs = (step - 1) * STEP_SECONDS * 1000 - Date.now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs + 1500));
  used[secret] = step;
  fs.writeFileSync(file, JSON.stringify(used));
  return generate({ secret, epoch: step * STEP_SECONDS });
}
