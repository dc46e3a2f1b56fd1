import { date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { permissionItemEnum, providerStatusEnum } from './enums';

export const providers = pgTable('providers', {
  id: uuid('id').primaryKey().defaultRandom(),
  // OAuth client_id (issue: authorization server); unique per provider.
  clientId: text('client_id').notNull().unique(),
  nameJa: text('name_ja').notNull(),
  nameEn: text('name_en').notNull(),
  legalNameJa: text('legal_name_ja').notNull(),
  legalNameEn: text('legal_name_en').notNull(),
  // 電子決済等代行業者 registration, e.g. 関東財務局長（電代）第12号.
  registrationNumber: text('registration_number').notNull(),
  // 利用目的 (issue 14 §1; EU FiDA Art. 8): what the provider uses the customer's data for, in its
  // own words, shown on the consent screen, the dashboard and the link. Required at registration.
  purposeJa: text('purpose_ja').notNull().default(''),
  purposeEn: text('purpose_en').notNull().default(''),
  // OpenID Connect / RFC 7591 `initiate_login_uri`: where a customer starts linking again at the
  // provider (issue 14 §6: an expired or stopped link comes back only through the provider).
  initiateLoginUri: text('initiate_login_uri'),
  // Art. 3.1: only items the provider is registered as needing.
  permittedItems: permissionItemEnum('permitted_items').array().notNull(),
  // Art. 4: inactivity period after which a link expires.
  inactivityDays: integer('inactivity_days').notNull().default(90),
  status: providerStatusEnum('status').notNull().default('active'),
  // Art. 5.2 (1)–(7) when the bank suspended or ended the provider.
  suspensionReason: integer('suspension_reason'),
  statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
  websiteUrl: text('website_url'),
  // RFC 7591 client metadata (redirect_uris, jwks, token_endpoint_auth_method, …) served to oidc-provider.
  clientMetadata: jsonb('client_metadata').$type<Record<string, unknown>>().notNull().default({}),
  // Where Security Event Tokens are pushed (issue: provider notifications).
  eventsEndpoint: text('events_endpoint'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// Art. 1.2 / 3.1: third parties a provider passes data to, declared per provider.
export const chainedConnections = pgTable('chained_connections', {
  id: uuid('id').primaryKey().defaultRandom(),
  providerId: uuid('provider_id')
    .notNull()
    .references(() => providers.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  purposeJa: text('purpose_ja').notNull(),
  purposeEn: text('purpose_en').notNull(),
  items: permissionItemEnum('items').array().notNull(),
  since: date('since', { mode: 'string' }).notNull(),
  // Art. 5.2 (last sentence): the bank asked the provider to stop this chained connection.
  bankStopRequestedAt: timestamp('bank_stop_requested_at', { withTimezone: true }),
  bankStopRequestNote: text('bank_stop_request_note'),
});
