import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from './customers';
import { links } from './links';
import { providers } from './providers';

// Bank staff (SPEC §1): `staff` may only read; `operator` may also act (Art. 5.2, 6.1, 7, 9).
export const STAFF_ROLES = ['staff', 'operator'] as const;
export const staffRoleEnum = pgEnum('staff_role', STAFF_ROLES);

export const staffUsers = pgTable('staff_users', {
  id: uuid('id').primaryKey().defaultRandom(),
  logonId: text('logon_id').notNull().unique(),
  name: text('name').notNull(),
  role: staffRoleEnum('role').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// SPEC §5: every staff view of customer data (append-only; shown to the customer).
export const staffAccessLog = pgTable(
  'staff_access_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    staffUserId: uuid('staff_user_id')
      .notNull()
      .references(() => staffUsers.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    linkId: uuid('link_id').references(() => links.id),
    view: text('view').notNull(), // StaffView: 'search' | 'customer' | 'link' | 'disclosures'
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('staff_access_log_customer_idx').on(t.customerId, t.at)],
);

// Operator actions that are not about one link (provider-wide, maintenance, terms, disclosures),
// append-only. Link-level effects are also written to each link's history.
export const operationsLog = pgTable(
  'operations_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    // staff_users.id, or 'cli:<os user>' for scripted operations.
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('operations_log_target_idx').on(t.targetType, t.targetId, t.id)],
);

// Art. 6.1: announced maintenance; the API answers 503 + Retry-After inside a window.
export const maintenanceWindows = pgTable(
  'maintenance_windows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    noteJa: text('note_ja').notNull(),
    noteEn: text('note_en').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [index('maintenance_windows_ends_idx').on(t.endsAt)],
);

// Art. 7: customer information disclosed to a provider for an incident investigation.
export const disclosures = pgTable(
  'disclosures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id),
    // What was disclosed, in the bank's words (shown to the customer as written).
    information: text('information').notNull(),
    // Art. 7 (1) leak, (2) unauthorised access, (3) fraud or suspected fraud, (4) system failure.
    reason: integer('reason').notNull(),
    disclosedAt: timestamp('disclosed_at', { withTimezone: true }).notNull(),
    note: text('note').notNull().default(''),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('disclosures_customer_idx').on(t.customerId, t.disclosedAt)],
);

// RFC 8417 Security Event Tokens for providers, pushed (RFC 8935) from this durable outbox.
// Written in the same transaction as the change it reports; a worker delivers with retries.
export const providerEvents = pgTable(
  'provider_events',
  {
    jti: text('jti').primaryKey(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id),
    linkId: uuid('link_id'),
    eventType: text('event_type').notNull(),
    // The SET claims (iss, iat, jti, aud, sub_id, events); signed at delivery with these exact claims.
    claims: jsonb('claims').$type<Record<string, unknown>>().notNull(),
    // 'pending' | 'delivered' | 'failed' (gave up after the last retry) | 'no_endpoint', and with an
    // SSF stream: 'poll' (waiting for the provider to poll and acknowledge), 'held' (stream paused),
    // 'not_requested' (the stream does not ask for this event type, or is disabled)
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    // A worker holds a row while sending; a crash lets the lease lapse and another attempt follow.
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('provider_events_due_idx').on(t.state, t.nextAttemptAt),
    // The staff notifications list, newest first across providers and per provider, in its full
    // order (created_at, jti): one expiry sweep writes thousands of events with one created_at, and
    // an index on created_at alone left the planner sorting all of them (60 ms at 60 000; issue 13).
    index('provider_events_provider_newest_idx').on(t.providerId, t.createdAt, t.jti),
    index('provider_events_newest_idx').on(t.createdAt, t.jti),
    // SSF poll (RFC 8936) and a paused stream's release: one provider's events in a state, oldest first.
    index('provider_events_provider_state_idx').on(t.providerId, t.state, t.createdAt),
  ],
);

// OpenID Shared Signals Framework 1.0: the provider's event stream (one per provider, the receiver
// being the provider itself). Without a row, events go to the registered `events_endpoint` as
// before; with one, its delivery method, status and requested events decide (lib/ssf/streams.ts).
export const ssfStreams = pgTable('ssf_streams', {
  providerId: uuid('provider_id')
    .primaryKey()
    .references(() => providers.id),
  streamId: text('stream_id').notNull().unique(),
  // 'push' (RFC 8935, to endpointUrl) | 'poll' (RFC 8936, the provider polls <issuer>/ssf/poll)
  deliveryMethod: text('delivery_method').notNull(),
  endpointUrl: text('endpoint_url'),
  // The receiver's Authorization header value for push, if it asked for one (SSF 1.0 §8.1.1).
  authorizationHeader: text('authorization_header'),
  // Event type URIs; null = every event the bank supports.
  eventsRequested: jsonb('events_requested').$type<string[] | null>(),
  description: text('description'),
  // 'enabled' | 'paused' (events held, delivered in order on enable) | 'disabled' (none kept)
  status: text('status').notNull().default('enabled'),
  reason: text('reason'),
  lastVerificationAt: timestamp('last_verification_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
