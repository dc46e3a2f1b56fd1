import { asc, lte } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { termsVersions } from '@/lib/db/schema';
import type { TermsDocument } from './types';

export type TermsVersionDTO = { id: string; revisedOn: string; effectiveFrom: Date; publishedAt: Date };
export type TermsOverview = {
  inForce: (TermsVersionDTO & { body: TermsDocument }) | null;
  upcoming: (TermsVersionDTO & { body: TermsDocument })[];
  history: TermsVersionDTO[];
};

/** Art. 9: the version in force is the latest whose effective date (適用開始日) has come. */
export async function getTermsOverview(db: Executor, now: Date = new Date()): Promise<TermsOverview> {
  const rows = await db
    .select({
      id: termsVersions.id,
      revisedOn: termsVersions.revisedOn,
      effectiveFrom: termsVersions.effectiveFrom,
      publishedAt: termsVersions.publishedAt,
      body: termsVersions.body,
    })
    .from(termsVersions)
    .where(lte(termsVersions.publishedAt, now))
    .orderBy(asc(termsVersions.effectiveFrom));
  const past = rows.filter((r) => r.effectiveFrom.getTime() <= now.getTime());
  const inForce = past.at(-1) ?? null;
  return {
    inForce,
    upcoming: rows.filter((r) => r.effectiveFrom.getTime() > now.getTime()),
    history: rows.map(({ body: _body, ...meta }) => meta).reverse(),
  };
}
