import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { credentials, customers, sessions, signInFailures } from '@/lib/db/schema';
import { DEMO_USERS } from '@/sandbox/demo-users';
import { openTestDatabase, onServer } from '@/test/db';
import {
  CHALLENGE_TTL_MINUTES,
  endSession,
  LOCKOUT_MINUTES,
  MAX_FAILED_ATTEMPTS,
  MAX_OTP_ATTEMPTS_PER_CHALLENGE,
  NETWORK_MAX_FAILURES,
  NETWORK_WINDOW_MINUTES,
  otpStep,
  passwordStep,
  sha256,
  SESSION_ABSOLUTE_HOURS,
  SESSION_IDLE_MINUTES,
  touchSession,
} from './sign-in';
import { totpCode } from './totp';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const META = { userAgent: 'vitest' };

const [DEMO, DEMO2, DEMO3] = DEMO_USERS;

// A fixed clock, 15 s into a 30 s TOTP step. Each customer's times only move forward in this file.
const T0 = new Date('2026-01-05T00:00:15.000Z');
const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

let database: Database;
const ids = new Map<string, string>();

function customerId(logonId: string): string {
  const id = ids.get(logonId);
  if (!id) throw new Error(`no customer ${logonId}`);
  return id;
}

async function credentialOf(logonId: string) {
  const [row] = await database.db
    .select({ failedAttempts: credentials.failedAttempts, lockedUntil: credentials.lockedUntil, lastTotpStep: credentials.lastTotpStep })
    .from(credentials)
    .where(eq(credentials.customerId, customerId(logonId)));
  if (!row) throw new Error(`no credential ${logonId}`);
  return row;
}

/** The failure counter of a logon ID from a network (null network: the unknown one), or of a network. */
async function counterOf(key: { logonId: string; network?: string } | { network: string }) {
  const id = 'logonId' in key ? `subject:customer:${customerId(key.logonId)}@${key.network ?? 'unknown'}` : `network:${key.network}`;
  const [row] = await database.db.select({ failures: signInFailures.failures, lockedUntil: signInFailures.lockedUntil }).from(signInFailures).where(eq(signInFailures.key, id));
  return row ?? null;
}

/** A six-digit code that is not valid at `now` (none of the steps in the ±1 window). */
async function wrongCode(secret: string, now: Date): Promise<string> {
  const valid = new Set(await Promise.all([-30, 0, 30].map((s) => totpCode(secret, new Date(now.getTime() + s * SECOND)))));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

async function challengeFor(user: (typeof DEMO_USERS)[number], now: Date): Promise<string> {
  const result = await passwordStep(database.db, user.logonId, user.password, now);
  if (!result.ok) throw new Error(`password step failed for ${user.logonId}: ${result.reason}`);
  return result.challenge;
}

/** Full sign-in (password + one-time password) at `now`; returns the session id. */
async function signIn(user: (typeof DEMO_USERS)[number], now: Date): Promise<string> {
  const challenge = await challengeFor(user, now);
  const result = await otpStep(database.db, challenge, await totpCode(user.totpSecret, now), META, now);
  if (!result.ok) throw new Error(`otp step failed for ${user.logonId}`);
  return result.sessionId;
}

beforeAll(async () => {
  database = await openTestDatabase();
  const rows = await database.db.select({ id: customers.id, logonId: customers.logonId }).from(customers);
  for (const row of rows) ids.set(row.logonId, row.id);
});
afterAll(async () => {
  await database?.close();
});

describe(`sign-in (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  describe('password step (Art. 2.1)', () => {
    it('accepts the demo credentials and returns a challenge', async () => {
      const result = await passwordStep(database.db, DEMO.logonId, DEMO.password, T0);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(typeof result.challenge).toBe('string');
      expect(result.challenge.length).toBeGreaterThanOrEqual(32);
      // a new challenge each time
      const again = await passwordStep(database.db, DEMO.logonId, DEMO.password, T0);
      expect(again.ok && again.challenge).not.toBe(result.challenge);
    });

    it('refuses a wrong password with the generic result', async () => {
      expect(await passwordStep(database.db, DEMO.logonId, 'demo-Pass-2021', T0)).toEqual({ ok: false, reason: 'invalid' });
      expect(await passwordStep(database.db, DEMO.logonId, '', T0)).toEqual({ ok: false, reason: 'invalid' });
      expect(await passwordStep(database.db, DEMO.logonId, DEMO.password.toUpperCase(), T0)).toEqual({ ok: false, reason: 'invalid' });
    });

    it('gives an unknown logon ID the same result as a wrong password', async () => {
      expect(await passwordStep(database.db, 'nobody', DEMO.password, T0)).toEqual({ ok: false, reason: 'invalid' });
      expect(await passwordStep(database.db, 'DEMO', DEMO.password, T0)).toEqual({ ok: false, reason: 'invalid' });
      // malformed input is nobody too, not a database error (SEC-INPUT-1)
      expect(await passwordStep(database.db, 'de\u0000mo', DEMO.password, T0)).toEqual({ ok: false, reason: 'invalid' });
      expect(await passwordStep(database.db, 'demo\n', DEMO.password, T0)).toEqual({ ok: false, reason: 'invalid' });
    });

    it('refuses a customer not registered for direct banking, only once the password is right', async () => {
      expect(DEMO3.registered).toBe(false);
      expect(await passwordStep(database.db, DEMO3.logonId, DEMO3.password, T0)).toEqual({ ok: false, reason: 'not_registered' });
      expect(await passwordStep(database.db, DEMO3.logonId, 'wrong-password', T0)).toEqual({ ok: false, reason: 'invalid' });
    });
  });

  describe('lockout (demo2)', () => {
    it('locks after 5 wrong passwords, refuses even the right one while locked, and lets it in after the lockout', async () => {
      expect(MAX_FAILED_ATTEMPTS).toBe(5);
      // A challenge obtained before the lockout
      const earlier = await challengeFor(DEMO2, T0);
      for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) {
        expect(await passwordStep(database.db, DEMO2.logonId, `wrong-${i}`, T0)).toEqual({ ok: false, reason: 'invalid' });
      }
      // 4 failures: not locked yet
      expect(await counterOf({ logonId: DEMO2.logonId })).toEqual({ failures: 4, lockedUntil: null });
      expect(await passwordStep(database.db, DEMO2.logonId, 'wrong-5', T0)).toEqual({ ok: false, reason: 'invalid' });
      expect(await counterOf({ logonId: DEMO2.logonId })).toEqual({ failures: MAX_FAILED_ATTEMPTS, lockedUntil: new Date(T0.getTime() + LOCKOUT_MINUTES * MINUTE) });

      // The right password gives the same generic 'invalid' while locked
      expect(await passwordStep(database.db, DEMO2.logonId, DEMO2.password, at(MINUTE))).toEqual({ ok: false, reason: 'invalid' });
      expect(await passwordStep(database.db, DEMO2.logonId, DEMO2.password, at(LOCKOUT_MINUTES * MINUTE - SECOND))).toEqual({ ok: false, reason: 'invalid' });
      // and so does a valid one-time password on a challenge issued, from that network, before the lockout
      const duringLock = at(2 * MINUTE);
      const refused = await otpStep(database.db, earlier, await totpCode(DEMO2.totpSecret, duringLock), META, duringLock);
      expect(refused).toEqual({ ok: false, restart: true });

      // After the lockout the right password works again, and a full sign-in clears the counter
      const after = at(LOCKOUT_MINUTES * MINUTE);
      const result = await passwordStep(database.db, DEMO2.logonId, DEMO2.password, after);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const signedIn = await otpStep(database.db, result.challenge, await totpCode(DEMO2.totpSecret, after), META, after);
      expect(signedIn).toMatchObject({ ok: true, customerId: customerId(DEMO2.logonId) });
      expect(await counterOf({ logonId: DEMO2.logonId })).toBeNull();
      expect(await credentialOf(DEMO2.logonId)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    });

    it('does not let a burst of concurrent guesses get past the lockout', async () => {
      // demo2's counter was cleared by the sign-in above.
      const now = at(10 * HOUR);
      const guesses = Array.from({ length: 2 * MAX_FAILED_ATTEMPTS }, (_, i) => passwordStep(database.db, DEMO2.logonId, `burst-${i}`, now));
      // While their passwords are still being checked, the claim that reached the 5th has locked the
      // ID. (Waiting for that, not for a fixed time: a right password sent while fewer than 5 had
      // claimed is rightly checked, and on a server pool it may overtake guesses sent before it.)
      for (let polls = 0; !(await counterOf({ logonId: DEMO2.logonId }))?.lockedUntil; polls++) {
        if (polls > 1_000) throw new Error('the burst never locked the logon ID');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const right = await passwordStep(database.db, DEMO2.logonId, DEMO2.password, now);
      expect(await Promise.all(guesses)).toEqual(guesses.map(() => ({ ok: false, reason: 'invalid' })));
      // The right password is refused within the lockout
      expect(right).toEqual({ ok: false, reason: 'invalid' });
      // and of the 10 parallel guesses exactly 5 were checked: a claim made while the lock is in
      // force is neither counted nor checked.
      expect(await counterOf({ logonId: DEMO2.logonId })).toEqual({ failures: MAX_FAILED_ATTEMPTS, lockedUntil: new Date(now.getTime() + 15 * MINUTE) });
    });
  });

  // Issue 16, defect 3: credential stuffing (one client, many logon IDs), and never a lockout of the
  // real customer by someone failing on their ID elsewhere (decision 41).
  describe('throttling per client network', () => {
    const T3 = at(5 * HOUR);
    const STUFFER = { network: '198.51.100.7' };
    const CUSTOMER_HOME = { network: '203.0.113.9' };

    it(`checks ${NETWORK_MAX_FAILURES} failures from one network across logon IDs, then throttles it, right password included, for ${NETWORK_WINDOW_MINUTES} minutes`, async () => {
      expect([NETWORK_MAX_FAILURES, NETWORK_WINDOW_MINUTES]).toEqual([20, 15]);
      // 40 different logon IDs at once (some real, most not), as in the attack run
      const ids = Array.from({ length: 40 }, (_, i) => (i % 10 === 0 ? DEMO3.logonId : `stuffed-${i}`));
      const answers = await Promise.all(ids.map((id) => passwordStep(database.db, id, 'Password1!', T3, 'customer', STUFFER)));
      expect(answers.filter((a) => !a.ok && a.reason === 'invalid')).toHaveLength(NETWORK_MAX_FAILURES);
      expect(answers.filter((a) => !a.ok && a.reason === 'throttled')).toHaveLength(40 - NETWORK_MAX_FAILURES);
      expect(await counterOf(STUFFER)).toEqual({ failures: NETWORK_MAX_FAILURES, lockedUntil: new Date(T3.getTime() + NETWORK_WINDOW_MINUTES * MINUTE) });
      // No secret is checked while throttled: the right password gets the same refusal
      expect(await passwordStep(database.db, DEMO.logonId, DEMO.password, at(5 * HOUR + MINUTE), 'customer', STUFFER)).toEqual({ ok: false, reason: 'throttled' });
      // and bank staff signing in from that network too (one counter per network, both realms)
      expect(await passwordStep(database.db, 'staff', 'whatever', at(5 * HOUR + MINUTE), 'staff', STUFFER)).toEqual({ ok: false, reason: 'throttled' });
      // The customer at home is not affected
      expect(await passwordStep(database.db, DEMO.logonId, DEMO.password, at(5 * HOUR + MINUTE), 'customer', CUSTOMER_HOME)).toMatchObject({ ok: true });
      // After the window the network may try again; a right password gives its claim back
      const later = at(5 * HOUR + NETWORK_WINDOW_MINUTES * MINUTE);
      expect(await passwordStep(database.db, DEMO.logonId, DEMO.password, later, 'customer', STUFFER)).toMatchObject({ ok: true });
      expect(await counterOf(STUFFER)).toEqual({ failures: 0, lockedUntil: null });
    });

    it('never locks the customer out because someone failed on their ID from another network', async () => {
      const now = at(6 * HOUR);
      const elsewhere = { network: '2001:db8:7:1::42' };
      for (let i = 0; i < MAX_FAILED_ATTEMPTS + 2; i++) {
        expect(await passwordStep(database.db, DEMO2.logonId, `guess-${i}`, now, 'customer', elsewhere)).toEqual({ ok: false, reason: 'invalid' });
      }
      expect((await counterOf({ logonId: DEMO2.logonId, network: elsewhere.network }))?.lockedUntil?.getTime()).toBeGreaterThan(now.getTime());
      // locked there, right password included
      expect(await passwordStep(database.db, DEMO2.logonId, DEMO2.password, now, 'customer', elsewhere)).toEqual({ ok: false, reason: 'invalid' });
      // The customer signs in from home, both steps
      const result = await passwordStep(database.db, DEMO2.logonId, DEMO2.password, now, 'customer', CUSTOMER_HOME);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(await otpStep(database.db, result.challenge, await totpCode(DEMO2.totpSecret, now), META, now)).toMatchObject({ ok: true });
      // and that sign-in does not lift the lock of the network that guessed
      expect((await counterOf({ logonId: DEMO2.logonId, network: elsewhere.network }))?.lockedUntil?.getTime()).toBeGreaterThan(now.getTime());
    });

    it('locks the logon ID from every network after 5 wrong one-time passwords: whoever fails them knew the password', async () => {
      const now = at(7 * HOUR);
      const first = await passwordStep(database.db, DEMO2.logonId, DEMO2.password, now, 'customer', STUFFER);
      const second = await passwordStep(database.db, DEMO2.logonId, DEMO2.password, now, 'customer', STUFFER);
      if (!first.ok || !second.ok) throw new Error('no challenge');
      const wrong = await wrongCode(DEMO2.totpSecret, now);
      for (let i = 0; i < 3; i++) await otpStep(database.db, first.challenge, wrong, META, now);
      for (let i = 0; i < 2; i++) await otpStep(database.db, second.challenge, wrong, META, now);
      expect((await credentialOf(DEMO2.logonId)).lockedUntil?.getTime()).toBe(now.getTime() + LOCKOUT_MINUTES * MINUTE);
      expect(await passwordStep(database.db, DEMO2.logonId, DEMO2.password, at(7 * HOUR + MINUTE), 'customer', CUSTOMER_HOME)).toEqual({ ok: false, reason: 'invalid' });
      expect(await passwordStep(database.db, DEMO2.logonId, DEMO2.password, at(7 * HOUR + LOCKOUT_MINUTES * MINUTE), 'customer', CUSTOMER_HOME)).toMatchObject({ ok: true });
    });
  });

  describe('one-time password step', () => {
    const T1 = at(HOUR);

    it('signs in with the right code: customer id and a new session', async () => {
      const challenge = await challengeFor(DEMO, T1);
      const result = await otpStep(database.db, challenge, await totpCode(DEMO.totpSecret, T1), META, T1);
      expect(result).toMatchObject({ ok: true, customerId: customerId(DEMO.logonId) });
      if (!result.ok) return;
      expect(result.sessionId.length).toBeGreaterThanOrEqual(32);
      // stored hashed, never as is
      const [row] = await database.db.select({ customerId: sessions.customerId, userAgent: sessions.userAgent }).from(sessions).where(eq(sessions.idHash, sha256(result.sessionId)));
      expect(row).toEqual({ customerId: customerId(DEMO.logonId), userAgent: 'vitest' });
      expect(await database.db.select().from(sessions).where(eq(sessions.idHash, result.sessionId))).toHaveLength(0);
      // a successful sign-in clears the failures counted by the wrong password earlier
      expect(await counterOf({ logonId: DEMO.logonId })).toBeNull();
      expect((await credentialOf(DEMO.logonId)).failedAttempts).toBe(0);

      // The challenge is single-use: a second attempt, even with a fresh valid code, must start again
      const later = new Date(T1.getTime() + MINUTE);
      expect(await otpStep(database.db, challenge, await totpCode(DEMO.totpSecret, later), META, later)).toEqual({ ok: false, restart: true });
    });

    it('lets the customer retry a wrong code twice; the 3rd wrong code ends the challenge', async () => {
      expect(MAX_OTP_ATTEMPTS_PER_CHALLENGE).toBe(3);
      const now = new Date(T1.getTime() + 3 * MINUTE);
      const challenge = await challengeFor(DEMO, now);
      const wrong = await wrongCode(DEMO.totpSecret, now);
      expect(await otpStep(database.db, challenge, wrong, META, now)).toEqual({ ok: false, restart: false });
      expect(await otpStep(database.db, challenge, 'abcdef', META, now)).toEqual({ ok: false, restart: false });
      expect(await otpStep(database.db, challenge, wrong, META, now)).toEqual({ ok: false, restart: true });
      // now even the right code is refused on this challenge
      expect(await otpStep(database.db, challenge, await totpCode(DEMO.totpSecret, now), META, now)).toEqual({ ok: false, restart: true });
      // the three wrong codes count toward the lockout (the refused 4th attempt does not)
      expect((await credentialOf(DEMO.logonId)).failedAttempts).toBe(3);
    });

    it('refuses an expired challenge (older than 5 minutes), while the same code works on a fresh one', async () => {
      expect(CHALLENGE_TTL_MINUTES).toBe(5);
      const issued = new Date(T1.getTime() + 6 * MINUTE);
      const live = await challengeFor(DEMO, issued);
      const stale = await challengeFor(DEMO, issued);
      // still live just before the 5 minutes are up
      const before = new Date(issued.getTime() + 4 * MINUTE);
      expect(await otpStep(database.db, live, await totpCode(DEMO.totpSecret, before), META, before)).toMatchObject({ ok: true });
      const expired = new Date(issued.getTime() + CHALLENGE_TTL_MINUTES * MINUTE + SECOND);
      const code = await totpCode(DEMO.totpSecret, expired);
      expect(await otpStep(database.db, stale, code, META, expired)).toEqual({ ok: false, restart: true });
      // the code itself was fine
      const fresh = await challengeFor(DEMO, expired);
      expect(await otpStep(database.db, fresh, code, META, expired)).toMatchObject({ ok: true });
    });

    it('refuses a code already accepted (same time step) on a new challenge: no replay', async () => {
      const now = new Date(T1.getTime() + 15 * MINUTE);
      const code = await totpCode(DEMO.totpSecret, now);
      const first = await challengeFor(DEMO, now);
      expect(await otpStep(database.db, first, code, META, now)).toMatchObject({ ok: true });
      const second = await challengeFor(DEMO, now);
      expect(await otpStep(database.db, second, code, META, now)).toEqual({ ok: false, restart: false });
      // still refused 30 s later, although the code is inside the ±1 step window
      const nextStep = new Date(now.getTime() + 30 * SECOND);
      expect(await otpStep(database.db, second, code, META, nextStep)).toEqual({ ok: false, restart: false });
    });

    it('of two concurrent attempts with the same challenge and a valid code, exactly one signs in', async () => {
      const now = new Date(T1.getTime() + 20 * MINUTE);
      const challenge = await challengeFor(DEMO, now);
      const code = await totpCode(DEMO.totpSecret, now);
      const results = await Promise.all([otpStep(database.db, challenge, code, META, now), otpStep(database.db, challenge, code, META, now)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const created = await database.db
        .select({ idHash: sessions.idHash })
        .from(sessions)
        .where(and(eq(sessions.customerId, customerId(DEMO.logonId)), eq(sessions.createdAt, now)));
      expect(created).toHaveLength(1);
    });

    it('of two concurrent sign-ins with different challenges and the same code, exactly one signs in', async () => {
      const now = new Date(T1.getTime() + 25 * MINUTE);
      const [a, b] = [await challengeFor(DEMO, now), await challengeFor(DEMO, now)];
      const code = await totpCode(DEMO.totpSecret, now);
      const results = await Promise.all([otpStep(database.db, a, code, META, now), otpStep(database.db, b, code, META, now)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    });

    // Fails today: checkTotp passes lastTotpStep as otplib's afterTimeStep, which throws
    // AfterTimeStepRangeExceededError when it is beyond the current step + 1 instead of refusing the code.
    it('refuses, without throwing, a code older than the last accepted one (clock behind, e.g. another replica)', async () => {
      // demo's last accepted time step is T1 + 25 min; this server's clock reads T1 + 2 min.
      const behind = new Date(T1.getTime() + 2 * MINUTE);
      const challenge = await challengeFor(DEMO, behind);
      const before = (await credentialOf(DEMO.logonId)).lastTotpStep;
      const result = await otpStep(database.db, challenge, await totpCode(DEMO.totpSecret, behind), META, behind).catch((e: unknown) => `threw ${String(e)}`);
      expect(result).toEqual({ ok: false, restart: false });
      expect((await credentialOf(DEMO.logonId)).lastTotpStep).toBe(before);
    });
  });

  describe('sessions (idle 15 min, absolute 12 h)', () => {
    const T2 = at(3 * HOUR);

    it('uses the SPEC timeouts', () => {
      expect(SESSION_IDLE_MINUTES).toBe(15);
      expect(SESSION_ABSOLUTE_HOURS).toBe(12);
    });

    it('is in force right after sign-in and ends after 15 minutes idle', async () => {
      const sessionId = await signIn(DEMO, T2);
      expect(await touchSession(database.db, sessionId, T2)).toEqual({ customerId: customerId(DEMO.logonId), staffUserId: null });
      expect(await touchSession(database.db, sessionId, new Date(T2.getTime() + SESSION_IDLE_MINUTES * MINUTE + SECOND))).toBeNull();
      // and stays ended
      expect(await touchSession(database.db, sessionId, new Date(T2.getTime() + 20 * MINUTE))).toBeNull();
      expect(await touchSession(database.db, 'not-a-session', T2)).toBeNull();
    });

    it('stays alive when touched within 15 minutes; each touch extends the idle timeout', async () => {
      const start = new Date(T2.getTime() + 5 * MINUTE);
      const sessionId = await signIn(DEMO, start);
      const t = (m: number, s = 0) => new Date(start.getTime() + m * MINUTE + s * SECOND);
      expect(await touchSession(database.db, sessionId, t(14))).not.toBeNull();
      // 28 minutes after sign-in, 14 after the last touch
      expect(await touchSession(database.db, sessionId, t(28))).not.toBeNull();
      // 15 min + 1 s after the last touch
      expect(await touchSession(database.db, sessionId, t(43, 1))).toBeNull();
      const [row] = await database.db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions).where(eq(sessions.idHash, sha256(sessionId)));
      expect(row?.lastSeenAt.getTime()).toBe(t(28).getTime());
    });

    it('ends after 12 hours even if touched every 10 minutes', async () => {
      const start = new Date(T2.getTime() + 10 * MINUTE);
      const sessionId = await signIn(DEMO, start);
      let last = start;
      for (let m = 10; m < SESSION_ABSOLUTE_HOURS * 60; m += 10) {
        last = new Date(start.getTime() + m * MINUTE);
        expect(await touchSession(database.db, sessionId, last), `touch at ${m} min`).not.toBeNull();
      }
      expect(last.getTime()).toBe(start.getTime() + (SESSION_ABSOLUTE_HOURS * 60 - 10) * MINUTE);
      // 10 min + 1 s after the last touch (not idle), but 12 h + 1 s after sign-in
      expect(await touchSession(database.db, sessionId, new Date(start.getTime() + SESSION_ABSOLUTE_HOURS * HOUR + SECOND))).toBeNull();
    });

    it('can be ended; the next sign-in gets a different session id', async () => {
      const now = new Date(T2.getTime() + 15 * MINUTE);
      const first = await signIn(DEMO, now);
      const laterNow = new Date(now.getTime() + 3 * MINUTE);
      const second = await signIn(DEMO, laterNow);
      expect(second).not.toBe(first);
      expect(await touchSession(database.db, first, laterNow)).not.toBeNull();

      await endSession(database.db, first, 'sign_out', laterNow);
      expect(await touchSession(database.db, first, laterNow)).toBeNull();
      const [ended] = await database.db.select({ endedAt: sessions.endedAt, endedReason: sessions.endedReason }).from(sessions).where(eq(sessions.idHash, sha256(first)));
      expect(ended).toEqual({ endedAt: laterNow, endedReason: 'sign_out' });
      // ending one session leaves the other in force
      expect(await touchSession(database.db, second, laterNow)).toEqual({ customerId: customerId(DEMO.logonId), staffUserId: null });

      const third = await signIn(DEMO, new Date(laterNow.getTime() + 3 * MINUTE));
      expect(new Set([first, second, third]).size).toBe(3);
      const open = await database.db.select({ idHash: sessions.idHash }).from(sessions).where(and(eq(sessions.customerId, customerId(DEMO.logonId)), isNull(sessions.endedAt)));
      expect(open.map((s) => s.idHash)).not.toContain(sha256(first));
    });
  });
});
