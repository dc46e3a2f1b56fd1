import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts, customers } from './customers';
import { actorTypeEnum, linkStatusEnum, permissionItemEnum } from './enums';
import { chainedConnections, providers } from './providers';
import { termsVersions } from './terms';

// One customer × one provider. A new consent renews the same row (history kept).
export const links = pgTable(
  'links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id),
    status: linkStatusEnum('status').notNull().default('active'),
    // Art. 5.2 (1)–(7) when suspended or terminated by the bank.
    suspensionReason: integer('suspension_reason'),
    // The operator's note, and whether the suspension came with its provider's ('provider') or alone ('link').
    suspensionNote: text('suspension_note'),
    suspendedVia: text('suspended_via'),
    termsVersionId: text('terms_version_id')
      .notNull()
      .references(() => termsVersions.id),
    consentedAt: timestamp('consented_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
    // The oidc-provider grant behind the provider's tokens; revoked with the link.
    grantId: text('grant_id'),
    // Optimistic concurrency: bumped by every change, checked by the portal's forms.
    version: integer('version').notNull().default(1),
    // Issue 14 §3: when housekeeping took an ended link out of the customer's view, two years (the
    // record period) after it ended; its items, accounts and usage counts went with it, its
    // history and receipts stay (decision 48). Cleared when a new consent brings the link back.
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    // The customer's view of the history starts here: what was before an archive stays the bank's record.
    recordFrom: timestamp('record_from', { withTimezone: true }),
  },
  (t) => [
    unique('links_customer_provider_uq').on(t.customerId, t.providerId),
    index('links_provider_idx').on(t.providerId),
    // Every provider API call finds its link by the token's grant.
    index('links_grant_idx').on(t.grantId),
    // The Art. 4 expiry sweep reads only the active links that are due (issue 13: no scan of all links).
    index('links_active_expiry_idx').on(t.expiresAt).where(sql`status = 'active'`),
    // The record-period purge reads only the ended links not yet archived, by when they ended.
    index('links_expired_record_idx').on(t.expiresAt).where(sql`status = 'expired' and archived_at is null`),
    index('links_ended_record_idx').on(t.statusChangedAt).where(sql`status in ('revoked', 'terminated') and archived_at is null`),
  ],
);

// Every item the provider requested; granted or revoked with timestamps.
export const linkItems = pgTable(
  'link_items',
  {
    linkId: uuid('link_id')
      .notNull()
      .references(() => links.id, { onDelete: 'cascade' }),
    item: permissionItemEnum('item').notNull(),
    granted: boolean('granted').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.linkId, t.item] })],
);

export const linkAccounts = pgTable(
  'link_accounts',
  {
    linkId: uuid('link_id')
      .notNull()
      .references(() => links.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.linkId, t.accountId] })],
);

// The customer asked the provider to stop passing data to a chained connection.
export const chainedConnectionStops = pgTable(
  'chained_connection_stops',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    linkId: uuid('link_id')
      .notNull()
      .references(() => links.id, { onDelete: 'cascade' }),
    chainedConnectionId: uuid('chained_connection_id')
      .notNull()
      .references(() => chainedConnections.id, { onDelete: 'cascade' }),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('chained_connection_stops_uq').on(t.linkId, t.chainedConnectionId)],
);

// Append-only (a trigger in the migration refuses UPDATE and DELETE).
export const linkHistory = pgTable(
  'link_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    linkId: uuid('link_id')
      .notNull()
      .references(() => links.id),
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    actorType: actorTypeEnum('actor_type').notNull(),
    actorId: text('actor_id'),
    event: text('event').notNull(),
    item: permissionItemEnum('item'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  // A link's history is read a page at a time, newest first: (at, id) after the link (issue 13).
  (t) => [index('link_history_link_idx').on(t.linkId, t.id), index('link_history_link_at_idx').on(t.linkId, t.at.desc(), t.id.desc())],
);

// Art. 4 / transparency: how often the provider used each item, per day (Asia/Tokyo).
export const linkUsageDaily = pgTable(
  'link_usage_daily',
  {
    linkId: uuid('link_id')
      .notNull()
      .references(() => links.id, { onDelete: 'cascade' }),
    item: permissionItemEnum('item').notNull(),
    day: text('day').notNull(), // YYYY-MM-DD in Asia/Tokyo
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.linkId, t.item, t.day] })],
);

// How many links each provider has per stored status (issue 13: the staff provider directory
// without counting millions of links). Statement-level triggers on `links` (migration 0016) append
// one row per provider and status to `provider_link_count_changes` in the same transaction as every
// insert, status change and delete, whoever writes, without updating a shared row (concurrent
// consents at one provider neither queue nor deadlock on a counter); housekeeping folds the
// changes into `provider_link_counts`. The directory sums both and moves the active links already
// past their expiry (read through the partial expiry index) to expired, as effectiveStatus() does.
export const providerLinkCounts = pgTable(
  'provider_link_counts',
  {
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id, { onDelete: 'cascade' }),
    status: linkStatusEnum('status').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.status] })],
);

export const providerLinkCountChanges = pgTable('provider_link_count_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  providerId: uuid('provider_id').notNull(),
  status: linkStatusEnum('status').notNull(),
  n: integer('n').notNull(),
});

// Receipts (控え, issue 14 §2): the customer's own copy of each change that establishes, amends or
// ends what a provider may do — consent and renewal, an item granted or revoked, a stop by the
// customer or the provider, expiry, the bank's suspension, resumption and termination. Written by
// the lifecycle (lib/links/lifecycle.ts) in the same transaction as the change and its history
// row, with what was in force after it, so a receipt reads the same however the link changes
// later. Append-only (migration 0017), like the history it acknowledges.
export const receipts = pgTable(
  'receipts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // The receipt number the customer quotes (R + zero-padded sequence).
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    linkId: uuid('link_id')
      .notNull()
      .references(() => links.id, { onDelete: 'cascade' }),
    historyId: bigint('history_id', { mode: 'number' }).notNull(),
    event: text('event').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorType: actorTypeEnum('actor_type').notNull(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('receipts_customer_idx').on(t.customerId, t.seq.desc()), index('receipts_link_idx').on(t.linkId, t.seq.desc())],
);
