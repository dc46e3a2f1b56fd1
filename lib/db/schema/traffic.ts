import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Traffic-limit counters (lib/api/rate-limit.ts, rate-limiter-flexible's Drizzle store): one row
 * per limited key (`provider:<client_id>`, `link:<id>`, `token:<client_id>`) and window, shared by
 * every instance on this database. Expired rows are purged by the housekeeping run.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    points: integer('points').notNull().default(0),
    expire: timestamp('expire', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('rate_limits_expire_idx').on(t.expire)],
);

/**
 * Provider API calls per minute, provider and outcome (lib/api/call-stats.ts): counted in memory
 * by each instance and added here every 10 s and at shutdown, so the figures cover every instance.
 * The operator's service page and the daily report (CDR "Get Metrics") are read from it.
 * `client_id` is '' for calls that never authenticated. Outcomes: ok (2xx), refused (4xx but 429),
 * rejected (429, traffic limits), error (5xx but maintenance), unavailable (503, maintenance).
 */
export const apiCallStats = pgTable(
  'api_call_stats',
  {
    minute: timestamp('minute', { withTimezone: true, mode: 'date' }).notNull(),
    clientId: text('client_id').notNull(),
    outcome: text('outcome').notNull(),
    calls: integer('calls').notNull(),
    totalMs: bigint('total_ms', { mode: 'number' }).notNull(),
    within1000: integer('within_1000').notNull(),
    within1500: integer('within_1500').notNull(),
  },
  (t) => [primaryKey({ columns: [t.minute, t.clientId, t.outcome] })],
);

/**
 * Who runs a periodic job now (lib/jobs/lease.ts): the housekeeping run (the Art. 4 expiry sweep,
 * the purges) is taken by one instance at a time, which holds it until `until` or until it is done.
 */
export const jobLeases = pgTable('job_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  until: timestamp('until', { withTimezone: true, mode: 'date' }).notNull(),
});
