import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
