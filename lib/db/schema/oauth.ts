import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

// oidc-provider's storage (codes, PAR request_uris, grants, tokens, sessions, interactions, DPoP/
// assertion replay records). One table; `consume` is one conditional update.
export const oauthRecords = pgTable(
  'oauth_records',
  {
    model: text('model').notNull(),
    id: text('id').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    grantId: text('grant_id'),
    uid: text('uid'),
    userCode: text('user_code'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index('oauth_records_grant_idx').on(t.grantId),
    index('oauth_records_uid_idx').on(t.uid),
    index('oauth_records_expires_idx').on(t.expiresAt),
  ],
);

// One consent decision per interaction: a double-submitted consent gives one grant.
export const consentDecisions = pgTable('consent_decisions', {
  interactionUid: text('interaction_uid').primaryKey(),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  returnTo: text('return_to').notNull(),
  // Set once the winning decision's result is saved in the interaction: a concurrent submit of the
  // same consent waits for it before it sends the browser on (issue 16, defect 9).
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
