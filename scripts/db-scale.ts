// `npm run db:scale -- --customers 1000000`: fills the configured database (DATABASE_URL, else
// the embedded one) with bank-sized generated data for the scale measurements (issue 13): per
// customer an ordinary account, three links over 20 providers, their items and accounts, and
// `--history` history rows per link. Set-based, a batch of customers per transaction; a run that
// stopped resumes where it stopped, and running it again with the same figure adds nothing.
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@/lib/db/connect';
import { openConfiguredDatabase } from '@/lib/db/open';
import { seedDatabase } from '@/lib/db/seed';
import { isSandbox } from '@/lib/env';
import { DEFERRED_INDEXES, ensureDemoLinks, ensureScaleProviders, generateCustomers, scaleCustomersPresent } from './scale/generate';

function positive(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} takes a whole number ≥ 1 (got ${JSON.stringify(value)})`);
    process.exit(2);
  }
  return n;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

async function main() {
  const { values } = parseArgs({ options: { customers: { type: 'string' }, history: { type: 'string' }, batch: { type: 'string' } } });
  const target = positive('customers', values.customers, 10_000);
  const history = positive('history', values.history, 10);
  const batch = positive('batch', values.batch, 10_000);
  const database = await openConfiguredDatabase();
  try {
    await seedDatabase(database.db, { sandbox: isSandbox });
    await ensureScaleProviders(database.db);
    const present = await scaleCustomersPresent(database.db);
    const remaining = Math.max(0, target - present);
    console.log(`${database.kind}: ${present.toLocaleString('en')} generated customers present, ${remaining.toLocaleString('en')} to add (history ${history} per link, batches of ${batch.toLocaleString('en')})`);
    const defer = remaining >= 100_000;
    if (defer) for (const index of DEFERRED_INDEXES) await database.db.execute(sql.raw(`drop index if exists "${index.name}"`));
    const started = Date.now();
    const tty = process.stderr.isTTY;
    for (let from = present + 1; from <= target; from += batch) {
      const to = Math.min(from + batch, target + 1);
      await generateCustomers(database.db, from, to, history);
      const done = to - 1 - present;
      const elapsed = Date.now() - started;
      const share = done / Math.max(1, remaining);
      const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '-');
      const line = `[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${(to - 1).toLocaleString('en')} / ${target.toLocaleString('en')} customers  ${duration(elapsed)}  ETA ${duration(elapsed / share - elapsed)}`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    }
    if (tty && remaining > 0) process.stderr.write('\n');
    // Built after a large load; also when an earlier run stopped before building them (create … if not exists).
    // An index over tens of millions of rows takes minutes: no statement timeout for it, more memory to sort.
    console.log(defer ? 'building the history indexes…' : 'checking the history indexes…');
    for (const index of DEFERRED_INDEXES) {
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`set local statement_timeout = 0`);
        await tx.execute(sql`set local maintenance_work_mem = '512MB'`);
        await tx.execute(sql.raw(index.create));
      });
    }
    const demo = await ensureDemoLinks(database.db);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 0`);
      await tx.execute(sql`analyze`);
    });
    const counts = rowsOf<Record<string, number>>(
      await database.db.execute(sql`select (select count(*) from customers)::bigint as customers, (select count(*) from links)::bigint as links, (select count(*) from link_history)::bigint as history`),
    )[0]!;
    console.log(`done in ${duration(Date.now() - started)}: ${Number(counts.customers).toLocaleString('en')} customers, ${Number(counts.links).toLocaleString('en')} links, ${Number(counts.history).toLocaleString('en')} history rows${demo > 0 ? `; demo got ${demo} more links` : ''}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.message}${error.cause instanceof Error ? `\n${error.cause.message}` : ''}` : error);
  process.exit(1);
});
