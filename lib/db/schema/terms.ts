import { date, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { TermsDocument } from '@/lib/terms/types';

// Art. 9: versions published with an effective date (適用開始日).
export const termsVersions = pgTable('terms_versions', {
  id: text('id').primaryKey(), // e.g. '2020-08-21'
  revisedOn: date('revised_on', { mode: 'string' }).notNull(),
  effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  body: jsonb('body').$type<TermsDocument>().notNull(),
});
