import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '@/lib/db/connect';

// Tables whose rows change on a read by design, left out of the digest: sessions (last seen),
// the staff access log (a look-up is recorded), the OAuth store (DPoP replay records, interactions),
// and the provider-event outbox (its delivery worker updates attempts and leases in the background).
const CHANGES_ON_READ = new Set(['sessions', 'staff_access_log', 'oauth_records', 'provider_events', '__drizzle_migrations']);

/** md5 of every row of every other table in the public schema, per table: equal digests = unchanged data. */
export async function databaseDigest(db: Executor): Promise<Record<string, string>> {
  const tables = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const digest: Record<string, string> = {};
  for (const { table_name: name } of rowsOf<{ table_name: string }>(tables)) {
    if (CHANGES_ON_READ.has(name)) continue;
    const result = await db.execute<{ digest: string | null; n: number }>(
      sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest, count(*)::int as n from ${sql.identifier(name)} t`,
    );
    const [row] = rowsOf<{ digest: string | null; n: number }>(result);
    digest[name] = `${row?.n ?? 0}:${row?.digest ?? ''}`;
  }
  return digest;
}

