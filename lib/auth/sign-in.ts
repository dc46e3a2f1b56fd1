import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { credentials, customers, loginChallenges, sessions } from '@/lib/db/schema';
import { dummyPasswordHash, verifyPassword } from './password';
import { checkTotp } from './totp';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;
export const CHALLENGE_TTL_MINUTES = 5;
export const MAX_OTP_ATTEMPTS_PER_CHALLENGE = 3;
export const SESSION_IDLE_MINUTES = 15;
export const SESSION_ABSOLUTE_HOURS = 12;

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

// One generic failure for unknown ID, wrong password, wrong code and lockout (no account probing).
export type PasswordStepResult =
  | { ok: true; challenge: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'not_registered' };

/** Counts a failed attempt; the 5th locks the credential for 15 minutes. */
export async function recordFailure(db: Executor, customerId: string, now: Date): Promise<void> {
  const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
  await db
    .update(credentials)
    .set({
      failedAttempts: sql`${credentials.failedAttempts} + 1`,
      lockedUntil: sql`case when ${credentials.failedAttempts} + 1 >= ${MAX_FAILED_ATTEMPTS} then ${lockUntil.toISOString()}::timestamptz else ${credentials.lockedUntil} end`,
    })
    .where(eq(credentials.customerId, customerId));
}

function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/** Step 1 (Art. 2.1): logon ID + logon password. Returns a one-use challenge for step 2. */
export async function passwordStep(db: Executor, logonId: string, password: string, now: Date = new Date()): Promise<PasswordStepResult> {
  const [row] = await db
    .select({
      customerId: customers.id,
      registered: customers.directBankingRegistered,
      passwordHash: credentials.passwordHash,
      lockedUntil: credentials.lockedUntil,
    })
    .from(customers)
    .innerJoin(credentials, eq(credentials.customerId, customers.id))
    .where(eq(customers.logonId, logonId))
    .limit(1);
  if (!row) {
    await verifyPassword(await dummyPasswordHash(), password);
    return { ok: false, reason: 'invalid' };
  }
  if (isLocked(row.lockedUntil, now)) {
    await verifyPassword(await dummyPasswordHash(), password);
    return { ok: false, reason: 'invalid' };
  }
  if (!(await verifyPassword(row.passwordHash, password))) {
    await recordFailure(db, row.customerId, now);
    return { ok: false, reason: 'invalid' };
  }
  // Art. 2.1: direct-banking registration is required before linking.
  if (!row.registered) return { ok: false, reason: 'not_registered' };
  const challenge = newSecret();
  await db.insert(loginChallenges).values({
    idHash: sha256(challenge),
    customerId: row.customerId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MINUTES * 60_000),
  });
  return { ok: true, challenge };
}

export type OtpStepResult = { ok: true; customerId: string; sessionId: string } | { ok: false; restart: boolean };

/**
 * Verifies a one-time password for a customer and records the accepted time step atomically,
 * so a code is accepted once. Failures count toward the lockout.
 */
export async function consumeOtp(db: Executor, customerId: string, code: string, now: Date): Promise<boolean> {
  const [cred] = await db
    .select({ secret: credentials.totpSecret, lastStep: credentials.lastTotpStep, lockedUntil: credentials.lockedUntil })
    .from(credentials)
    .where(eq(credentials.customerId, customerId));
  if (!cred || isLocked(cred.lockedUntil, now)) return false;
  const check = await checkTotp(cred.secret, code, cred.lastStep, now);
  if (!check.valid) {
    await recordFailure(db, customerId, now);
    return false;
  }
  // Conditional update: of two requests with the same code, one wins.
  const accepted = await db
    .update(credentials)
    .set({ lastTotpStep: check.timeStep, failedAttempts: 0, lockedUntil: null })
    .where(and(eq(credentials.customerId, customerId), lt(credentials.lastTotpStep, check.timeStep)))
    .returning({ customerId: credentials.customerId });
  return accepted.length === 1;
}

/** Step 2: the one-time password for a live challenge. On success a new server-side session. */
export async function otpStep(
  db: Executor,
  challenge: string,
  code: string,
  meta: { userAgent: string | null },
  now: Date = new Date(),
): Promise<OtpStepResult> {
  const [pending] = await db
    .update(loginChallenges)
    .set({ attempts: sql`${loginChallenges.attempts} + 1` })
    .where(
      and(
        eq(loginChallenges.idHash, sha256(challenge)),
        isNull(loginChallenges.consumedAt),
        gt(loginChallenges.expiresAt, now),
        lt(loginChallenges.attempts, MAX_OTP_ATTEMPTS_PER_CHALLENGE),
      ),
    )
    .returning({ customerId: loginChallenges.customerId, attempts: loginChallenges.attempts });
  if (!pending) return { ok: false, restart: true };
  if (!(await consumeOtp(db, pending.customerId, code, now))) {
    return { ok: false, restart: pending.attempts >= MAX_OTP_ATTEMPTS_PER_CHALLENGE };
  }
  const [won] = await db
    .update(loginChallenges)
    .set({ consumedAt: now })
    .where(and(eq(loginChallenges.idHash, sha256(challenge)), isNull(loginChallenges.consumedAt)))
    .returning({ customerId: loginChallenges.customerId });
  if (!won) return { ok: false, restart: true };
  const sessionId = newSecret();
  await db.insert(sessions).values({
    idHash: sha256(sessionId),
    customerId: won.customerId,
    createdAt: now,
    lastSeenAt: now,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { ok: true, customerId: won.customerId, sessionId };
}

/** A session in force (idle < 15 min, age < 12 h, not ended) is touched and returned. */
export async function touchSession(db: Executor, sessionId: string, now: Date = new Date()): Promise<{ customerId: string } | null> {
  const idleCutoff = new Date(now.getTime() - SESSION_IDLE_MINUTES * 60_000);
  const absoluteCutoff = new Date(now.getTime() - SESSION_ABSOLUTE_HOURS * 3_600_000);
  const [row] = await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(
      and(
        eq(sessions.idHash, sha256(sessionId)),
        isNull(sessions.endedAt),
        gt(sessions.lastSeenAt, idleCutoff),
        gt(sessions.createdAt, absoluteCutoff),
      ),
    )
    .returning({ customerId: sessions.customerId });
  return row ?? null;
}

export async function endSession(db: Executor, sessionId: string, reason: string, now: Date = new Date()): Promise<void> {
  await db
    .update(sessions)
    .set({ endedAt: now, endedReason: reason })
    .where(and(eq(sessions.idHash, sha256(sessionId)), isNull(sessions.endedAt)));
}
