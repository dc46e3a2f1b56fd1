import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accountTypeEnum } from './enums';
import { staffUsers } from './staff';

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  customerNumber: text('customer_number').notNull().unique(),
  logonId: text('logon_id').notNull().unique(),
  nameJa: text('name_ja').notNull(),
  nameKana: text('name_kana').notNull(),
  nameEn: text('name_en').notNull(),
  // Art. 2.1: only customers registered for direct banking can link.
  directBankingRegistered: boolean('direct_banking_registered').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const credentials = pgTable('credentials', {
  customerId: uuid('customer_id')
    .primaryKey()
    .references(() => customers.id, { onDelete: 'cascade' }),
  passwordHash: text('password_hash').notNull(),
  totpSecret: text('totp_secret').notNull(),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  // Highest TOTP time step accepted so far: a code is never accepted twice.
  lastTotpStep: bigint('last_totp_step', { mode: 'number' }).notNull().default(0),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
});

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    type: accountTypeEnum('type').notNull(),
    branchCode: text('branch_code').notNull(),
    branchName: text('branch_name').notNull(),
    accountNumber: text('account_number').notNull(),
    // Integer yen. A card loan's balance is the amount owed (negative).
    balance: bigint('balance', { mode: 'number' }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('accounts_customer_idx').on(t.customerId)],
);

export const transactions = pgTable(
  'transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    bookedAt: timestamp('booked_at', { withTimezone: true }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
    description: text('description').notNull(),
  },
  (t) => [index('transactions_account_booked_idx').on(t.accountId, t.bookedAt)],
);

export const payees = pgTable(
  'payees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    bankName: text('bank_name').notNull(),
    branchName: text('branch_name').notNull(),
    accountType: text('account_type').notNull(),
    accountNumber: text('account_number').notNull(),
    holderNameKana: text('holder_name_kana').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('payees_customer_idx').on(t.customerId)],
);

export const sessions = pgTable(
  'sessions',
  {
    // sha256 of the random session id carried in the (encrypted) next-auth cookie.
    idHash: text('id_hash').primaryKey(),
    // Exactly one of the two: a customer's session or a bank staff member's (check constraint).
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    staffUserId: uuid('staff_user_id').references(() => staffUsers.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedReason: text('ended_reason'),
    userAgent: text('user_agent'),
  },
  (t) => [
    index('sessions_customer_idx').on(t.customerId).where(sql`ended_at is null`),
    check('sessions_one_subject', sql`num_nonnulls(${t.customerId}, ${t.staffUserId}) = 1`),
  ],
);

// Step 1 of sign-in (password verified) waiting for step 2 (one-time password).
export const loginChallenges = pgTable(
  'login_challenges',
  {
    idHash: text('id_hash').primaryKey(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    staffUserId: uuid('staff_user_id').references(() => staffUsers.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [check('login_challenges_one_subject', sql`num_nonnulls(${t.customerId}, ${t.staffUserId}) = 1`)],
);
