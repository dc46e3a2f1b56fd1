import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts, customers, payees } from './customers';
import { links } from './links';

// Art. 3.2: instructions relayed by a provider, persisted with their status.
export const instructions = pgTable(
  'instructions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    linkId: uuid('link_id')
      .notNull()
      .references(() => links.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    kind: text('kind').notNull(), // 'transfer' | 'direct_debit_transfer'
    status: text('status').notNull(), // 'completed'
    fromAccountId: uuid('from_account_id')
      .notNull()
      .references(() => accounts.id),
    payeeId: uuid('payee_id').references(() => payees.id),
    agreementId: uuid('agreement_id'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    memo: text('memo'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('instructions_link_idx').on(t.linkId, t.createdAt)],
);

// POST requests are idempotent per provider and Idempotency-Key: same key + same body → the same
// response; same key + another body → 422; a key still in flight → 409.
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    clientId: text('client_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull(), // 'in_flight' | 'done'
    responseStatus: integer('response_status'),
    // The response exactly as it was sent (bytes, not jsonb: a replay must be byte-identical).
    responseBody: text('response_body'),
    // The claim now holding the key (lib/api/idempotency.ts): only it may complete or release it.
    claimId: uuid('claim_id'),
    // When the key was (last) claimed.
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.key] })],
);

// Art. 3.2(2)(3): direct-debit agreements applied for through a provider, and the fund movements under them.
export const directDebitAgreements = pgTable(
  'direct_debit_agreements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    linkId: uuid('link_id')
      .notNull()
      .references(() => links.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    billerName: text('biller_name').notNull(),
    billerCode: text('biller_code').notNull(),
    customerReference: text('customer_reference').notNull(),
    status: text('status').notNull(), // 'active'
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('direct_debit_agreements_link_idx').on(t.linkId)],
);
