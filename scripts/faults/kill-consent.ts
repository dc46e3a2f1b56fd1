// `npm run faults -- --mode=kill-consent`: a process recording consents killed (`kill -9`) in the
// middle of them (issue 13 §3), on the PostgreSQL server.
//
//   npm run faults -- --mode=kill-consent [--concurrency=6] [--kill-after-ms=3000] [--rounds=3]
//
// A consent is one transaction of the app's recordConsent (lib/consent/consent.ts: the link created
// or renewed, its items, its accounts, its history row, the earlier grant revoked). The portal runs
// it in a Server Action behind the consent screen; this script runs the same function, with the
// app's own database pool, in a worker process of its own (this file with --worker) that records
// consents for the sandbox's customers with every provider, several at once, as fast as they
// commit, and prints each one that committed. After --kill-after-ms the worker's process is killed
// with SIGKILL: whatever transactions were open die with their connections. Then, for every link in
// the database: its current state is exactly what its newest consent history row says (items
// granted, accounts, terms version, not dated before the consent), and every consent the worker saw
// commit is there (its grant is the link's, or a later consent of the same link replaced it).
// --rounds kills and checks that many times on the same database. Figures:
// bench/faults-kill-consent.json and a summary on stdout.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { postgresServer, prepareDatabase } from '../bench/databases';
import { appEnv } from '../bench/server';
import { sleep } from '../bench/util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const CONCURRENCY = Number(option('concurrency') ?? 6);
const KILL_AFTER_MS = Number(option('kill-after-ms') ?? 3000);
const ROUNDS = Number(option('rounds') ?? 3);
const log = (message: string) => console.log(`[faults] ${message}`);

type Committed = { linkId: string; grantId: string; items: string[]; accounts: number; at: string };

/** The worker: consents as fast as they commit, CONCURRENCY at a time, until it is killed. */
async function worker(url: string): Promise<void> {
  const { openPostgres } = await import('../../lib/db/connect');
  const { recordConsent } = await import('../../lib/consent/consent');
  const { accounts, customers, providers } = await import('../../lib/db/schema');
  const { eq } = await import('drizzle-orm');
  const database = await openPostgres(url, { max: CONCURRENCY + 1 });
  const db = database.db;
  const people = await db.select({ id: customers.id }).from(customers);
  const owned = await db.select({ id: accounts.id, customerId: accounts.customerId }).from(accounts);
  const grantees = (await db.select({ clientId: providers.clientId, items: providers.permittedItems }).from(providers).where(eq(providers.status, 'active'))).filter((p) => p.items.length > 0);
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const subset = <T>(list: T[]) => {
    const chosen = list.filter(() => Math.random() < 0.5);
    return chosen.length > 0 ? chosen : [pick(list)];
  };
  let refused = 0;
  const lane = async () => {
    for (;;) {
      const customer = pick(people);
      const theirs = owned.filter((a) => a.customerId === customer.id).map((a) => a.id);
      if (theirs.length === 0) continue;
      const provider = pick(grantees);
      const items = subset(provider.items);
      const accountIds = subset(theirs);
      const grantId = randomUUID();
      try {
        const { linkId } = await recordConsent(db, { kind: 'customer', customerId: customer.id, sessionId: 'faults' }, { clientId: provider.clientId, scope: items.join(' '), items, accountIds, grantId });
        const line: Committed = { linkId, grantId, items, accounts: accountIds.length, at: new Date().toISOString() };
        process.stdout.write(`${JSON.stringify(line)}\n`);
      } catch {
        refused++; // a link the bank holds, a deadlock between two consents of one customer…: not committed
        if (refused % 100 === 0) process.stderr.write(`refused ${refused}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
}

type LinkCheck = { links: number; mismatched: string[]; withoutConsent: string[] };

/**
 * Every link consented to since `since` (this run's; the seed's links have item changes after their
 * consent) against its newest consent history row, and every link with no such row at all.
 */
async function checkLinks(sql: postgres.Sql, since: Date): Promise<LinkCheck> {
  const rows = await sql<{ id: string; grant_id: string | null; consented_at: Date; terms_version_id: string; items: string[] | null; accounts: number; detail: { items: string[]; accounts: number; termsVersion: string } | null; history_at: Date | null }[]>`
    select l.id, l.grant_id, l.consented_at, l.terms_version_id,
      (select array_agg(i.item::text order by i.item) from link_items i where i.link_id = l.id and i.granted) as items,
      (select count(*)::int from link_accounts a where a.link_id = l.id) as accounts,
      h.detail, h.at as history_at
    from links l
    left join lateral (
      select h.detail, h.at from link_history h
      where h.link_id = l.id and h.event in ('consent_given', 'consent_renewed', 'consent_updated')
      -- the newest, as the link's page reads it: by time, then id
      order by h.at desc, h.id desc limit 1
    ) h on true
    where l.consented_at >= ${since}`;
  const mismatched: string[] = [];
  const withoutConsent: string[] = [];
  for (const r of rows) {
    if (!r.detail) {
      continue; // counted over every link below
    }
    const granted = [...(r.items ?? [])].sort().join(' ');
    const said = [...r.detail.items].sort().join(' ');
    if (granted !== said || r.accounts !== r.detail.accounts || r.terms_version_id !== r.detail.termsVersion || (r.history_at?.getTime() ?? 0) < r.consented_at.getTime()) {
      mismatched.push(r.id);
      if (process.env.FAULTS_DEBUG) console.log(JSON.stringify({ id: r.id, granted, said, accounts: [r.accounts, r.detail.accounts], terms: [r.terms_version_id, r.detail.termsVersion], at: [r.history_at, r.consented_at] }));
    }
  }
  return { links: rows.length, mismatched, withoutConsent };
}

async function main(): Promise<void> {
  // A fresh database on the local server, as the bench makes one (dropped at the end).
  const pg = await postgresServer();
  if ('unreachable' in pg) throw new Error(`PostgreSQL: ${pg.unreachable}`);
  const url = new URL(pg.url);
  const name = url.pathname.slice(1);
  await prepareDatabase('postgres', url.toString());
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  const rounds: Record<string, unknown>[] = [];
  let ok = true;
  /** Transactions open on this database, other than the checker's own. */
  const openTransactions = async () =>
    (await sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid() and xact_start is not null`)[0]?.n ?? 0;
  const startedAt = new Date();
  const [{ n: linksBefore } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from links`;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const committed: Committed[] = [];
      const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, '--worker', `--concurrency=${CONCURRENCY}`], {
        cwd: ROOT,
        env: { ...process.env, ...appEnv('postgres', url.toString()) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) committed.push(JSON.parse(line) as Committed);
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Killed once consents are flowing, after KILL_AFTER_MS of them.
      while (committed.length === 0) await sleep(20);
      await sleep(KILL_AFTER_MS);
      const open = await openTransactions();
      child.kill('SIGKILL');
      await exited;
      // The server notices the dead connections and rolls their transactions back.
      for (let i = 0; i < 50; i++) {
        if ((await openTransactions()) === 0) break;
        await sleep(100);
      }
      const check = await checkLinks(sql, startedAt);
      const current = new Map((await sql<{ id: string; grant_id: string | null }[]>`select id, grant_id from links`).map((l) => [l.id, l.grant_id]));
      // A committed consent is there: the link carries its grant, or a grant the worker never
      // printed — a later consent of the same link that committed just before the kill (consents of
      // one link take its row lock, so they commit, and are printed, in order).
      const printed = new Set(committed.map((c) => c.grantId));
      const lastOfLink = new Map<string, Committed>();
      for (const c of committed) lastOfLink.set(c.linkId, c);
      const lost = [...lastOfLink.values()].filter((c) => {
        const grant = current.get(c.linkId);
        return grant === undefined || (grant !== c.grantId && (grant === null || printed.has(grant)));
      });
      const [{ n: withoutAny } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from links l where not exists (select 1 from link_history h where h.link_id = l.id and h.event in ('consent_given', 'consent_renewed', 'consent_updated'))`;
      check.withoutConsent.length = withoutAny;
      const entry = {
        round,
        linksBefore,
        consentsCommitted: committed.length,
        transactionsOpenAtKill: open,
        links: check.links,
        linksNotMatchingTheirConsent: check.mismatched.length,
        linksWithoutConsent: check.withoutConsent.length,
        committedConsentsMissing: lost.length,
      };
      rounds.push(entry);
      const good = check.mismatched.length === 0 && check.withoutConsent.length === 0 && lost.length === 0;
      ok &&= good;
      log(`round ${round}: killed with ${entry.transactionsOpenAtKill} consent transactions open after ${committed.length} committed; ${check.links} links: ${check.mismatched.length} not as their consent says, ${check.withoutConsent.length} without a consent, ${lost.length} committed consents missing — ${good ? 'PASS' : 'FAIL'}`);
    }
  } finally {
    fs.writeFileSync(path.join(ROOT, 'bench', 'faults-kill-consent.json'), `${JSON.stringify({ date: new Date().toISOString(), concurrency: CONCURRENCY, killAfterMs: KILL_AFTER_MS, rounds }, null, 2)}\n`);
    await sql.end();
    await pg.drop();
  }
  if (!ok) process.exitCode = 1;
}

if (process.argv.includes('--worker')) {
  worker(process.env.DATABASE_URL as string).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
