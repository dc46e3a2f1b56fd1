import { createHash, randomBytes } from 'node:crypto';
import { log } from '@/lib/observability/logger';
import { metrics } from '@/lib/observability/metrics';
import { and, eq, gt, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { credentials, customers, loginChallenges, sessions, staffCredentials, staffUsers } from '@/lib/db/schema';
import { dummyPasswordHash, verifyPassword } from './password';
import { checkTotp } from './totp';
import { openTotpSecret, TotpSealError } from './totp-seal';

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

/**
 * Customers and bank staff sign in the same way (password, then a one-time password) against
 * two credential tables of the same shape; a realm says which. The session row records whose it is.
 */
export type Realm = 'customer' | 'staff';

// staff_credentials has exactly the columns of credentials, keyed by staff_user_id instead.
const CREDENTIALS = { customer: credentials, staff: staffCredentials as unknown as typeof credentials } as const;
const CREDENTIAL_KEY = { customer: credentials.customerId, staff: staffCredentials.staffUserId } as const;

/** The subject columns of a session or challenge row for a realm. */
function subjectColumns(realm: Realm, id: string): { customerId: string | null; staffUserId: string | null } {
  return realm === 'customer' ? { customerId: id, staffUserId: null } : { customerId: null, staffUserId: id };
}

// One generic failure for unknown ID, wrong password, wrong code and lockout (no account probing).
export type PasswordStepResult =
  | { ok: true; challenge: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'not_registered' };

/**
 * Claims one sign-in attempt before any secret is checked, in one conditional update: while the
 * credential is locked nothing is claimed, and the attempt that reaches the 5th locks it for
 * 15 minutes. So a burst of parallel guesses gets 5 checks at most. An expired lock starts afresh.
 */
async function claimAttempt(db: Executor, realm: Realm, subjectId: string, now: Date) {
  const credentials = CREDENTIALS[realm];
  const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
  const nowIso = now.toISOString();
  const next = sql`(case when ${credentials.lockedUntil} is not null and ${credentials.lockedUntil} <= ${nowIso}::timestamptz then 1 else ${credentials.failedAttempts} + 1 end)`;
  const [row] = await db
    .update(credentials)
    .set({
      failedAttempts: next,
      lockedUntil: sql`case when ${next} >= ${MAX_FAILED_ATTEMPTS} then ${lockUntil}::timestamptz else null end`,
    })
    .where(and(eq(CREDENTIAL_KEY[realm], subjectId), or(isNull(credentials.lockedUntil), lte(credentials.lockedUntil, now))))
    .returning({ passwordHash: credentials.passwordHash, secret: credentials.totpSecret, lastStep: credentials.lastTotpStep });
  return row ?? null;
}

/** A correct password gives its claimed attempt back (the one-time password step resets the count). */
async function releaseAttempt(db: Executor, realm: Realm, subjectId: string): Promise<void> {
  const credentials = CREDENTIALS[realm];
  const remaining = sql`greatest(${credentials.failedAttempts} - 1, 0)`;
  await db
    .update(credentials)
    .set({ failedAttempts: remaining, lockedUntil: sql`case when ${remaining} >= ${MAX_FAILED_ATTEMPTS} then ${credentials.lockedUntil} else null end` })
    .where(eq(CREDENTIAL_KEY[realm], subjectId));
}

/** Step 1 (Art. 2.1): logon ID + logon password. Returns a one-use challenge for step 2. */
export async function passwordStep(
  db: Executor,
  logonId: string,
  password: string,
  now: Date = new Date(),
  realm: Realm = 'customer',
): Promise<PasswordStepResult> {
  const row = await findSubject(db, realm, logonId);
  const claimed = row ? await claimAttempt(db, realm, row.id, now) : null;
  if (!row || !claimed) {
    await verifyPassword(await dummyPasswordHash(), password); // same cost whether the ID exists or is locked
    countSignIn(realm, 'password', row ? 'locked' : 'failure');
    return { ok: false, reason: 'invalid' };
  }
  if (!(await verifyPassword(claimed.passwordHash, password))) {
    countSignIn(realm, 'password', 'failure');
    return { ok: false, reason: 'invalid' };
  }
  await releaseAttempt(db, realm, row.id);
  // Art. 2.1: direct-banking registration is required before linking.
  if (!row.registered) {
    countSignIn(realm, 'password', 'not_registered');
    return { ok: false, reason: 'not_registered' };
  }
  countSignIn(realm, 'password', 'success');
  const challenge = newSecret();
  await db.insert(loginChallenges).values({
    idHash: sha256(challenge),
    ...subjectColumns(realm, row.id),
    createdAt: now,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MINUTES * 60_000),
  });
  return { ok: true, challenge };
}

async function findSubject(db: Executor, realm: Realm, logonId: string): Promise<{ id: string; registered: boolean } | null> {
  if (realm === 'staff') {
    const [staff] = await db
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .innerJoin(staffCredentials, eq(staffCredentials.staffUserId, staffUsers.id))
      .where(eq(staffUsers.logonId, logonId))
      .limit(1);
    return staff ? { id: staff.id, registered: true } : null;
  }
  const [customer] = await db
    .select({ id: customers.id, registered: customers.directBankingRegistered })
    .from(customers)
    .innerJoin(credentials, eq(credentials.customerId, customers.id))
    .where(eq(customers.logonId, logonId))
    .limit(1);
  return customer ?? null;
}

export type OtpStepResult =
  | { ok: true; customerId: string | null; staffUserId: string | null; sessionId: string }
  | { ok: false; restart: boolean };

/**
 * Verifies a one-time password for a customer and records the accepted time step atomically,
 * so a code is accepted once. Failures count toward the lockout.
 */
export async function consumeOtp(db: Executor, customerId: string, code: string, now: Date, realm: Realm = 'customer'): Promise<boolean> {
  const credentials = CREDENTIALS[realm];
  const key = CREDENTIAL_KEY[realm];
  const claimed = await claimAttempt(db, realm, customerId, now);
  if (!claimed) {
    countSignIn(realm, 'otp', 'locked');
    return false;
  }
  let secret: string;
  try {
    secret = openTotpSecret(claimed.secret, { realm, subjectId: customerId });
  } catch (error) {
    if (!(error instanceof TotpSealError)) throw error;
    // Fail closed, and say why in the server's log: no code can be right for this credential.
    log('auth').error({ realm, subjectId: customerId, reason: error.message }, 'a one-time-password secret does not open');
    countSignIn(realm, 'otp', 'failure');
    return false;
  }
  const check = await checkTotp(secret, code, claimed.lastStep, now);
  if (!check.valid) {
    countSignIn(realm, 'otp', 'failure');
    return false; // the claimed attempt stays counted
  }
  // Conditional update: of two requests with the same code, one wins.
  const accepted = await db
    .update(credentials)
    .set({ lastTotpStep: check.timeStep, failedAttempts: 0, lockedUntil: null })
    .where(and(eq(key, customerId), lt(credentials.lastTotpStep, check.timeStep)))
    .returning({ subjectId: key });
  countSignIn(realm, 'otp', accepted.length === 1 ? 'success' : 'failure');
  return accepted.length === 1;
}

/** Sign-in outcomes for the metrics and the log (never the logon ID, a password or a code). */
function countSignIn(realm: Realm, step: 'password' | 'otp', outcome: 'success' | 'failure' | 'locked' | 'not_registered'): void {
  metrics.signIns.inc({ realm, step, outcome });
  log('auth').info({ realm, step, outcome }, 'sign-in step');
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
    .returning({ customerId: loginChallenges.customerId, staffUserId: loginChallenges.staffUserId, attempts: loginChallenges.attempts });
  if (!pending) return { ok: false, restart: true };
  const realm: Realm = pending.staffUserId ? 'staff' : 'customer';
  const subjectId = pending.staffUserId ?? pending.customerId;
  if (!subjectId) return { ok: false, restart: true };
  if (!(await consumeOtp(db, subjectId, code, now, realm))) {
    return { ok: false, restart: pending.attempts >= MAX_OTP_ATTEMPTS_PER_CHALLENGE };
  }
  const [won] = await db
    .update(loginChallenges)
    .set({ consumedAt: now })
    .where(and(eq(loginChallenges.idHash, sha256(challenge)), isNull(loginChallenges.consumedAt)))
    .returning({ customerId: loginChallenges.customerId, staffUserId: loginChallenges.staffUserId });
  if (!won) return { ok: false, restart: true };
  const sessionId = newSecret();
  await db.insert(sessions).values({
    idHash: sha256(sessionId),
    customerId: won.customerId,
    staffUserId: won.staffUserId,
    createdAt: now,
    lastSeenAt: now,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { ok: true, customerId: won.customerId, staffUserId: won.staffUserId, sessionId };
}

/** A session in force (idle < 15 min, age < 12 h, not ended) is touched and returned. */
export async function touchSession(
  db: Executor,
  sessionId: string,
  now: Date = new Date(),
): Promise<{ customerId: string | null; staffUserId: string | null } | null> {
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
    .returning({ customerId: sessions.customerId, staffUserId: sessions.staffUserId });
  return row ?? null;
}

export async function endSession(db: Executor, sessionId: string, reason: string, now: Date = new Date()): Promise<void> {
  await db
    .update(sessions)
    .set({ endedAt: now, endedReason: reason })
    .where(and(eq(sessions.idHash, sha256(sessionId)), isNull(sessions.endedAt)));
}
