import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { log } from '@/lib/observability/logger';
import { metrics } from '@/lib/observability/metrics';
import { and, eq, gt, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { credentials, customers, loginChallenges, sessions, signInFailures, staffCredentials, staffUsers } from '@/lib/db/schema';
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

/**
 * Claims one one-time-password attempt before the code is checked, in one conditional update on
 * the credential: while it is locked nothing is claimed, and the attempt that reaches the 5th
 * locks the logon ID for 15 minutes, from every network (whoever fails here knew the password;
 * decision 41). So a burst of parallel guesses gets 5 checks at most. An expired lock starts afresh.
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

// One generic failure for unknown ID, wrong password, wrong code, lockout and throttling (no
// account probing): 'throttled' is told apart only for the metrics and the log.
export type PasswordStepResult =
  | { ok: true; challenge: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled' }
  | { ok: false; reason: 'not_registered' };

/**
 * Where an attempt comes from (lib/security/client-network.ts): the client's network, or null
 * when it is not known (a script, a test), which counts as one network of its own.
 */
export type SignInSource = { network: string | null };
export const UNKNOWN_NETWORK = 'unknown';

/** Failed sign-ins from one network across logon IDs, per window, before that network is throttled. */
export const NETWORK_MAX_FAILURES = 20;
export const NETWORK_WINDOW_MINUTES = 15;
/** How long a throttled answer is held back (no secret is checked meanwhile). */
export const THROTTLED_DELAY_MS = 1_000;

type Counter = { key: string; limit: number; windowMs: number; lockMs: number };

/** Failures from one network, whatever the logon ID (credential stuffing). */
function networkCounter(network: string): Counter {
  const minutes = NETWORK_WINDOW_MINUTES * 60_000;
  return { key: `network:${network}`, limit: NETWORK_MAX_FAILURES, windowMs: minutes, lockMs: minutes };
}

/**
 * Wrong passwords for one logon ID from one network: the 5th locks the ID there for 15 minutes,
 * and only there, so someone failing on a customer's ID elsewhere never locks the customer out
 * (decision 41). The count lasts a day unless a sign-in from that network completes.
 */
function subjectCounter(realm: Realm, subjectId: string, network: string): Counter {
  return { key: `subject:${realm}:${subjectId}@${network}`, limit: MAX_FAILED_ATTEMPTS, windowMs: 24 * 3_600_000, lockMs: LOCKOUT_MINUTES * 60_000 };
}

/**
 * Claims one attempt on a counter before any secret is checked, in one statement on the shared
 * database: while its lock is in force nothing is claimed (null), and the claim that reaches the
 * limit sets the lock. A burst of parallel attempts therefore gets `limit` checks at most. An
 * ended window or lock starts afresh. Returns the attempts counted, this one included.
 */
async function claim(db: Executor, counter: Counter, now: Date): Promise<number | null> {
  const nowIso = now.toISOString();
  const windowEnds = new Date(now.getTime() + counter.windowMs).toISOString();
  const lockUntil = new Date(now.getTime() + counter.lockMs).toISOString();
  const fresh = sql`(${signInFailures.windowEndsAt} <= ${nowIso}::timestamptz or ${signInFailures.lockedUntil} <= ${nowIso}::timestamptz)`;
  const next = sql`(case when ${fresh} then 1 else ${signInFailures.failures} + 1 end)`;
  const [row] = await db
    .insert(signInFailures)
    .values({ key: counter.key, failures: 1, windowEndsAt: new Date(windowEnds), lockedUntil: counter.limit <= 1 ? new Date(lockUntil) : null })
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: {
        failures: next,
        windowEndsAt: sql`case when ${fresh} then ${windowEnds}::timestamptz else ${signInFailures.windowEndsAt} end`,
        lockedUntil: sql`case when ${next} >= ${counter.limit} then ${lockUntil}::timestamptz else null end`,
      },
      setWhere: or(isNull(signInFailures.lockedUntil), lte(signInFailures.lockedUntil, now)),
    })
    .returning({ failures: signInFailures.failures });
  return row?.failures ?? null;
}

/** A right password gives its claimed attempt back. */
async function release(db: Executor, counter: Counter): Promise<void> {
  const remaining = sql`greatest(${signInFailures.failures} - 1, 0)`;
  await db
    .update(signInFailures)
    .set({ failures: remaining, lockedUntil: sql`case when ${remaining} >= ${counter.limit} then ${signInFailures.lockedUntil} else null end` })
    .where(eq(signInFailures.key, counter.key));
}

async function isLocked(db: Executor, counter: Counter, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ key: signInFailures.key })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, counter.key), gt(signInFailures.lockedUntil, now)))
    .limit(1);
  return Boolean(row);
}

/**
 * The credential of a subject, unless it is locked: failed one-time passwords lock the ID
 * everywhere, since whoever fails them knew the password (decision 41).
 */
async function unlockedCredential(db: Executor, realm: Realm, subjectId: string, now: Date): Promise<{ passwordHash: string } | null> {
  const credentials = CREDENTIALS[realm];
  const [row] = await db
    .select({ passwordHash: credentials.passwordHash })
    .from(credentials)
    .where(and(eq(CREDENTIAL_KEY[realm], subjectId), or(isNull(credentials.lockedUntil), lte(credentials.lockedUntil, now))))
    .limit(1);
  return row ?? null;
}

/**
 * Step 1 (Art. 2.1): logon ID + logon password. Returns a one-use challenge for step 2.
 *
 * Two counters are claimed before the password is checked: the client network's (20 failures
 * in 15 minutes across logon IDs throttle that network for 15 minutes: no secret is checked, the
 * answer is the generic one, a second late) and the logon ID's from that network (5 failures lock
 * it there for 15 minutes).
 */
export async function passwordStep(
  db: Executor,
  logonId: string,
  password: string,
  now: Date = new Date(),
  realm: Realm = 'customer',
  source: SignInSource = { network: null },
): Promise<PasswordStepResult> {
  const network = source.network ?? UNKNOWN_NETWORK;
  const fromNetwork = networkCounter(network);
  const counted = await claim(db, fromNetwork, now);
  if (counted === null) {
    countSignIn(realm, 'password', 'throttled');
    await delay(THROTTLED_DELAY_MS);
    return { ok: false, reason: 'throttled' };
  }
  const failed = (outcome: 'failure' | 'locked'): PasswordStepResult => {
    countSignIn(realm, 'password', outcome);
    if (counted >= fromNetwork.limit) {
      log('auth').warn({ realm, network, failures: counted, minutes: NETWORK_WINDOW_MINUTES }, 'sign-ins from one network throttled: failures across logon IDs');
    }
    return { ok: false, reason: 'invalid' };
  };
  const row = await findSubject(db, realm, logonId);
  const fromSubject = row ? subjectCounter(realm, row.id, network) : null;
  const claimed = fromSubject ? await claim(db, fromSubject, now) : null;
  const credential = row && claimed !== null ? await unlockedCredential(db, realm, row.id, now) : null;
  if (!row || !credential) {
    await verifyPassword(await dummyPasswordHash(), password); // same cost whether the ID exists or is locked
    return failed(row ? 'locked' : 'failure');
  }
  if (!(await verifyPassword(credential.passwordHash, password))) return failed('failure');
  await release(db, fromNetwork);
  if (fromSubject) await release(db, fromSubject);
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
    network,
  });
  return { ok: true, challenge };
}

/** Housekeeping: counters whose window and lock both ended. */
export async function purgeSignInFailures(db: Executor, now: Date = new Date()): Promise<void> {
  await db.delete(signInFailures).where(and(lte(signInFailures.windowEndsAt, now), or(isNull(signInFailures.lockedUntil), lte(signInFailures.lockedUntil, now))));
}

async function findSubject(db: Executor, realm: Realm, logonId: string): Promise<{ id: string; registered: boolean } | null> {
  // No logon ID holds a control character (and PostgreSQL's text cannot hold a NUL): nobody.
  if (/[\u0000-\u001f\u007f]/.test(logonId)) return null;
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
function countSignIn(realm: Realm, step: 'password' | 'otp', outcome: 'success' | 'failure' | 'locked' | 'throttled' | 'not_registered'): void {
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
    .returning({ customerId: loginChallenges.customerId, staffUserId: loginChallenges.staffUserId, attempts: loginChallenges.attempts, network: loginChallenges.network });
  if (!pending) return { ok: false, restart: true };
  const realm: Realm = pending.staffUserId ? 'staff' : 'customer';
  const subjectId = pending.staffUserId ?? pending.customerId;
  if (!subjectId) return { ok: false, restart: true };
  // The logon ID was locked from the challenge's network after it was issued: start again.
  if (await isLocked(db, subjectCounter(realm, subjectId, pending.network), now)) {
    countSignIn(realm, 'otp', 'locked');
    return { ok: false, restart: true };
  }
  if (!(await consumeOtp(db, subjectId, code, now, realm))) {
    return { ok: false, restart: pending.attempts >= MAX_OTP_ATTEMPTS_PER_CHALLENGE };
  }
  // Both factors passed: the ID's wrong passwords from this network are forgiven (only from this
  // one: someone guessing elsewhere keeps their count).
  await db.delete(signInFailures).where(eq(signInFailures.key, subjectCounter(realm, subjectId, pending.network).key));
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
