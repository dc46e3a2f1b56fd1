import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { credentials, customers, staffCredentials, staffUsers } from '@/lib/db/schema';
import { seedDatabase } from '@/lib/db/seed';
import { DEMO_STAFF, DEMO_USERS } from '@/sandbox/demo-users';
import { onServer, openTestDatabase } from '@/test/db';
import { consumeOtp } from './sign-in';
import { totpCode } from './totp';
import { isSealed, openTotpSecret, sealStoredTotpSecrets, sealTotpSecret, TotpSealError } from './totp-seal';

// The key is configuration: this file swaps it to show what a wrong key does.
const keys = vi.hoisted(() => ({ current: 'first-test-key-0123456789abcdefghijklmnopqrstuvwxyz' }));
vi.mock('./totp-key', () => ({ totpKey: () => keys.current }));
const FIRST_KEY = keys.current;

const [DEMO, DEMO2] = DEMO_USERS;
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const alice = { realm: 'customer', subjectId: '6f1c1d2e-0000-4000-8000-000000000001' } as const;

describe('one-time-password secrets sealed at rest', () => {
  it('seals with a fresh IV each time, keeps no plaintext, and opens only for its owner, key and bytes', () => {
    const a = sealTotpSecret(SECRET, alice);
    const b = sealTotpSecret(SECRET, alice);
    expect(a).not.toBe(b);
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain(SECRET);
    expect(openTotpSecret(a, alice)).toBe(SECRET);
    expect(() => openTotpSecret(a, { realm: 'customer', subjectId: '6f1c1d2e-0000-4000-8000-000000000002' })).toThrow(TotpSealError);
    expect(() => openTotpSecret(a, { realm: 'staff', subjectId: alice.subjectId })).toThrow(TotpSealError);
    const last = a.at(-2) === 'A' ? 'B' : 'A';
    expect(() => openTotpSecret(`${a.slice(0, -2)}${last}${a.at(-1)}`, alice)).toThrow(TotpSealError);
    expect(() => openTotpSecret(SECRET, alice)).toThrow(/not sealed/);
    expect(() => openTotpSecret('v1.short.x', alice)).toThrow(/malformed/);
    keys.current = 'second-test-key-0123456789abcdefghijklmnopqrstuvwxyz';
    try {
      expect(() => openTotpSecret(a, alice)).toThrow(/TOTP_KEY/);
    } finally {
      keys.current = FIRST_KEY;
    }
  });
});

describe(`stored secrets (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  let database: Database;
  const now = new Date('2026-03-02T00:00:15.000Z');
  let demoId: string;
  let demo2Id: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    const rows = await database.db.select({ id: customers.id, logonId: customers.logonId }).from(customers);
    demoId = rows.find((r) => r.logonId === DEMO.logonId)!.id;
    demo2Id = rows.find((r) => r.logonId === DEMO2.logonId)!.id;
  });
  afterAll(async () => {
    await database?.close();
  });

  const storedOf = async (id: string) => (await database.db.select({ s: credentials.totpSecret }).from(credentials).where(eq(credentials.customerId, id)))[0]!.s;

  it('the seed stores every customer and staff secret sealed, none as issued', async () => {
    const customerSecrets = await database.db.select({ s: credentials.totpSecret }).from(credentials);
    const staffSecrets = await database.db.select({ s: staffCredentials.totpSecret }).from(staffCredentials);
    expect(customerSecrets.length).toBe(DEMO_USERS.length);
    expect(staffSecrets.length).toBe(DEMO_STAFF.length);
    const published = new Set([...DEMO_USERS, ...DEMO_STAFF].map((u) => u.totpSecret as string));
    for (const { s } of [...customerSecrets, ...staffSecrets]) {
      expect(isSealed(s)).toBe(true);
      expect(published.has(s)).toBe(false);
    }
  });

  it('seals secrets stored as issued (an older database), once; sign-in works before and after', async () => {
    await database.db.update(credentials).set({ totpSecret: DEMO.totpSecret }).where(eq(credentials.customerId, demoId));
    const [staff] = await database.db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.logonId, DEMO_STAFF[0].logonId));
    await database.db.update(staffCredentials).set({ totpSecret: DEMO_STAFF[0].totpSecret }).where(eq(staffCredentials.staffUserId, staff!.id));
    // Not sealed: refused (fail closed), whatever the code.
    expect(await consumeOtp(database.db, demoId, await totpCode(DEMO.totpSecret, now), now)).toBe(false);
    expect(await sealStoredTotpSecrets(database.db)).toBe(2);
    expect(await sealStoredTotpSecrets(database.db)).toBe(0);
    expect(isSealed(await storedOf(demoId))).toBe(true);
    const later = new Date(now.getTime() + 30_000);
    expect(await consumeOtp(database.db, demoId, await totpCode(DEMO.totpSecret, later), later)).toBe(true);
  });

  it("a sealed secret copied onto another customer's row does not open: that row takes no code at all", async () => {
    const original = await storedOf(demoId);
    await database.db.update(credentials).set({ totpSecret: await storedOf(demo2Id) }).where(eq(credentials.customerId, demoId));
    try {
      const t = new Date(now.getTime() + 120_000);
      expect(await consumeOtp(database.db, demoId, await totpCode(DEMO2.totpSecret, t), t)).toBe(false);
      expect(await consumeOtp(database.db, demoId, await totpCode(DEMO.totpSecret, t), t)).toBe(false);
    } finally {
      await database.db.update(credentials).set({ totpSecret: original, failedAttempts: 0, lockedUntil: null }).where(eq(credentials.customerId, demoId));
    }
  });

  it('with another key nothing opens; in the sandbox, the next start seals the demo users again', async () => {
    keys.current = 'third-test-key-0123456789abcdefghijklmnopqrstuvwxyz';
    try {
      const t = new Date(now.getTime() + 180_000);
      expect(await consumeOtp(database.db, demo2Id, await totpCode(DEMO2.totpSecret, t), t)).toBe(false);
      await seedDatabase(database.db, { sandbox: true, now });
      const t2 = new Date(now.getTime() + 210_000);
      expect(await consumeOtp(database.db, demo2Id, await totpCode(DEMO2.totpSecret, t2), t2)).toBe(true);
    } finally {
      keys.current = FIRST_KEY;
    }
  });
});
