import { sql } from 'drizzle-orm';
import { sealStoredTotpSecrets } from '@/lib/auth/totp-seal';
import { termsDocuments } from '@/lib/terms/documents';
import { log } from '@/lib/observability/logger';
import type { Db, Executor } from './connect';
import { termsVersions } from './schema';

const JST_MIDNIGHT = (isoDate: string) => new Date(`${isoDate}T00:00:00+09:00`);

/** The terms in force since 2020-08-21 are real data: seeded in every mode. */
async function seedTerms(db: Executor, sandbox: boolean): Promise<void> {
  const current = termsDocuments['2020-08-21'];
  if (!current) throw new Error('terms 2020-08-21 missing');
  await db
    .insert(termsVersions)
    .values({ id: '2020-08-21', revisedOn: '2020-08-21', effectiveFrom: JST_MIDNIGHT('2020-08-21'), publishedAt: JST_MIDNIGHT('2020-08-21'), body: current })
    .onConflictDoNothing();
  const upcoming = termsDocuments['2027-04-01'];
  if (sandbox && upcoming) {
    // Sandbox: an announced future revision (demo data), so the portal shows an upcoming version.
    await db
      .insert(termsVersions)
      .values({ id: '2027-04-01', revisedOn: '2027-04-01', effectiveFrom: JST_MIDNIGHT('2027-04-01'), publishedAt: JST_MIDNIGHT('2026-10-01'), body: upcoming })
      .onConflictDoNothing();
  }
}

/** Idempotent: terms always; in sandbox mode the demo data of SPEC §7 (sandbox/seed.ts, loaded only then). */
export async function seedDatabase(db: Db, options: { sandbox: boolean; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  const sandboxData = options.sandbox ? (await import('@/sandbox/seed')).seedSandboxData : null;
  await db.transaction(async (tx) => {
    // Several processes may start at once on one PostgreSQL server: one seeds, the others wait.
    await tx.execute(sql`select pg_advisory_xact_lock(72737266)`);
    await seedTerms(tx, options.sandbox);
    const sealed = await sealStoredTotpSecrets(tx);
    if (sealed > 0) log('seed').info({ sealed }, 'sealed one-time-password secrets stored as issued');
    if (sandboxData) await sandboxData(tx, now);
  });
}
