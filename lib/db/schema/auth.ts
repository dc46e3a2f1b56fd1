import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from './customers';
import { staffUsers } from './staff';

// Signing in (Art. 2.1; SPEC §5), for customers and bank staff alike: credentials, the step
// between password and one-time password, and server-side sessions that can be ended.

/** One shape for both realms, so one sign-in implementation serves customers and staff. */
const secretColumns = () => ({
  passwordHash: text('password_hash').notNull(),
  totpSecret: text('totp_secret').notNull(),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  // Highest TOTP time step accepted so far: a code is never accepted twice.
  lastTotpStep: bigint('last_totp_step', { mode: 'number' }).notNull().default(0),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
});

export const credentials = pgTable('credentials', {
  customerId: uuid('customer_id')
    .primaryKey()
    .references(() => customers.id, { onDelete: 'cascade' }),
  ...secretColumns(),
});

export const staffCredentials = pgTable('staff_credentials', {
  staffUserId: uuid('staff_user_id')
    .primaryKey()
    .references(() => staffUsers.id, { onDelete: 'cascade' }),
  ...secretColumns(),
});

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
    // The client network the password came from: a lockout there refuses this challenge too.
    network: text('network').notNull().default('unknown'),
  },
  (t) => [check('login_challenges_one_subject', sql`num_nonnulls(${t.customerId}, ${t.staffUserId}) = 1`)],
);

/**
 * Failed sign-ins counted where every instance sees them (issue 16, defect 3; decision 41): per
 * client network across logon IDs (`network:<net>`), and per logon ID from one network
 * (`subject:<realm>:<id>@<net>`). An attempt is claimed before any secret is checked; a row whose
 * lock is in force claims nothing.
 */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    windowEndsAt: timestamp('window_ends_at', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [index('sign_in_failures_window_idx').on(t.windowEndsAt)],
);
