import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accountTypeEnum } from './enums';

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
  // Staff search by part of a name (issue 13): every character and every pair of adjacent
  // characters of the three names, normalised (NFKC, lower case, no spaces, hiragana as katakana)
  // by renkei_search_grams() (migration 0016), under a GIN index. A two-character name (山田)
  // has one pair, which a trigram index cannot serve; one character is served by its unigram.
  searchGrams: text('search_grams')
    .array()
    .notNull()
    .generatedAlwaysAs(sql`renkei_search_grams(name_ja, name_kana, name_en)`),
}, (t) => [
  // No pending list (fastupdate off): every search would read it whole, up to 4 MB (10 ms at
  // 10 000 customers after their load); a customer's names change rarely, so writes can pay instead.
  index('customers_search_grams_idx').using('gin', t.searchGrams).with({ fastupdate: false }),
  // A name that starts with the query — the whole name, or its part after the first space (山田 太郎:
  // 山田太郎 and 太郎; Taro Yamada: taroyamada and yamada), normalised as above — is read in order
  // from a B-tree and stops at the page's twenty, whatever the bank's size (issue 13: a common
  // surname matched 59 000 of a million, and the bigram index builds all of them before the first).
  // The bigram index is only asked when fewer than twenty names start with the query.
  index('customers_name_ja_prefix_idx').using('btree', sql`renkei_search_norm(${t.nameJa}) collate "C"`),
  index('customers_name_kana_prefix_idx').using('btree', sql`renkei_search_norm(${t.nameKana}) collate "C"`),
  index('customers_name_en_prefix_idx').using('btree', sql`renkei_search_norm(${t.nameEn}) collate "C"`),
  index('customers_name_ja_tail_prefix_idx').using('btree', sql`renkei_search_tail(${t.nameJa}) collate "C"`),
  index('customers_name_kana_tail_prefix_idx').using('btree', sql`renkei_search_tail(${t.nameKana}) collate "C"`),
  index('customers_name_en_tail_prefix_idx').using('btree', sql`renkei_search_tail(${t.nameEn}) collate "C"`),
  // A prefix of a customer number (LIKE 'S0001%'), in number order, through one index whatever the
  // database's collation: byte order ("C") serves both.
  index('customers_number_c_idx').using('btree', sql`${t.customerNumber} collate "C"`),
]);

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
