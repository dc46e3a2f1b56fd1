// `npm run bench -- --scale`: the hot queries at bank size (issue 13 §1). For each size (default
// 10 000 and 1 000 000 customers) a database `renkei_scale_<size>` on the PostgreSQL server is
// filled by `npm run db:scale` (kept between runs: the generator resumes and adds nothing when the
// size is there; `--fresh` drops it first), then each hot path's statements are timed in this
// process, one call after another, the same functions the pages and jobs call:
//   the dashboard's reads (6, 20 and 50 links), the link page (first page of a 10-row and of a
//   5 000-row history), the consent-checked read (renkei_api_call_state), the staff search (kana,
//   kanji, Latin part of a name; a logon ID; no match), the staff provider directory and
//   notifications list, the Art. 4 expiry sweep (the due links, per batch of 500; and the run
//   with nothing due), the record-period archive with nothing due, and the provider-event due query;
//   with --render also the dashboard (20 and 50 links) and the link page over HTTP from the
//   production server on that database (render.ts; uses the last `next build`); --profile writes
//   that server's V8 CPU profile to data/bench-profiles/scale-<size>/.
// Figures: bench/scale-results.json and a table on stdout (bench/README.md explains them).
// Run with the react-server condition (main.ts spawns it so): the app's modules are server-only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { and, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { readCallState } from '@/lib/api/call-state';
import type { CustomerPrincipal, StaffPrincipal } from '@/lib/auth/types';
import { openPostgres, rowsOf, type Db } from '@/lib/db/connect';
import { customers, links, oauthRecords, staffUsers } from '@/lib/db/schema';
import { claimDueEvents } from '@/lib/events/delivery';
import { listProviderEvents } from '@/lib/events/queries';
import { dashboardLists, parseDashboardQuery } from '@/lib/links/dashboard-view';
import { expireInactiveLinks, EXPIRY_BATCH } from '@/lib/links/expiry';
import { getLink, listLinks } from '@/lib/links/queries';
import { purgePastLinkRecords } from '@/lib/links/retention';
import { foldProviderLinkCounts } from '@/lib/providers/link-counts';
import { listDisclosuresForCustomer, listProvidersForStaff, listStaffLookupsForCustomer, searchCustomers } from '@/lib/staff/queries';
import { scaleCustomerNumber } from '@/scripts/scale/generate';
import { openRenderer } from './render';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SIZES = (option('sizes') ?? '10000,1000000').split(',').map((s) => Number(s.replace(/_/g, '')));
const ITERATIONS = Number(option('iterations') ?? 200);
const WARMUP = 20;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BUSY_HISTORY = 5_000;
const REARM = 2_000;
const GOALS = { dashboardP95Ms: 80, staffSearchP95Ms: 100, growth: 1.2 };
const RENDER = process.argv.includes('--render');

type Figure = { p50: number; p95: number; mean: number; n: number };
type SizeRun = { customers: number; links: number; history: number; generateS: number; databaseMb: number; figures: Record<string, Figure>; sweep: { due: number; batches: number; totalMs: number; perBatchMs: number } };

const log = (message: string) => console.log(`[bench:scale] ${message}`);
const round = (ms: number) => Math.round(ms * 100) / 100;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(label: string, figures: Record<string, Figure>, run: (i: number) => Promise<unknown>, iterations = ITERATIONS): Promise<void> {
  for (let i = 0; i < Math.min(WARMUP, iterations); i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run(i + WARMUP);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  figures[label] = { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), mean: round(samples.reduce((a, b) => a + b, 0) / samples.length), n: samples.length };
  log(`  ${label.padEnd(34)} p50 ${figures[label]!.p50.toFixed(2).padStart(8)} ms   p95 ${figures[label]!.p95.toFixed(2).padStart(8)} ms`);
}

async function ensureDatabase(size: number): Promise<string> {
  const name = `renkei_scale_${size}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    if (process.argv.includes('--fresh')) await admin.unsafe(`drop database if exists ${name} with (force)`);
    const [exists] = await admin<{ n: number }[]>`select count(*)::int as n from pg_database where datname = ${name}`;
    if (!exists?.n) await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function generate(url: string, size: number): number {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(ROOT, 'scripts', 'db-scale.ts'), '--customers', String(size)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, MIGRATION_DATABASE_URL: url, RENKEI_MODE: 'sandbox', LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`npm run db:scale failed (exit ${run.status})`);
  return (Date.now() - started) / 1000;
}

async function customerNamed(db: Db, where: ReturnType<typeof eq>): Promise<CustomerPrincipal> {
  const [row] = await db.select({ id: customers.id }).from(customers).where(where);
  if (!row) throw new Error('bench customer missing');
  return { kind: 'customer', customerId: row.id, sessionId: 'bench' };
}

/** One generated link gets BUSY_HISTORY history rows (every transfer adds one): the link page must not read them all. */
async function busyLink(db: Db, customer: CustomerPrincipal): Promise<string> {
  const [link] = await db.select({ id: links.id }).from(links).where(eq(links.customerId, customer.customerId)).orderBy(links.id).limit(1);
  const [count] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from link_history where link_id = ${link!.id}`));
  if (count!.n < BUSY_HISTORY) {
    await db.execute(sql`
      insert into link_history (link_id, at, actor_type, event, item, detail)
      select ${link!.id}, now() - (h || ' minutes')::interval, 'provider', 'transfer_instructed', 'transfers', jsonb_build_object('payee', 'ヤマダ ハナコ', 'amount', h)
      from generate_series(1, ${BUSY_HISTORY - count!.n}) h`);
  }
  return link!.id;
}

async function measure(size: number): Promise<SizeRun> {
  log(`${size.toLocaleString('en')} customers`);
  const url = await ensureDatabase(size);
  const generateS = generate(url, size);
  const database = await openPostgres(url, { max: 10 });
  const db = database.db;
  try {
    const [counts] = rowsOf<{ customers: number; links: number; history: number; mb: number }>(
      await db.execute(
        sql`select (select count(*) from customers)::int as customers, (select count(*) from links)::int as links, (select reltuples::bigint from pg_class where relname = 'link_history')::bigint as history, (pg_database_size(current_database()) / 1048576)::int as mb`,
      ),
    );
    const now = new Date();
    const demo = await customerNamed(db, eq(customers.logonId, 'demo'));
    const demo2 = await customerNamed(db, eq(customers.logonId, 'demo2'));
    const demo50 = await customerNamed(db, eq(customers.logonId, 'demo50'));
    const generated = await customerNamed(db, eq(customers.customerNumber, scaleCustomerNumber(Math.min(4_321, size))));
    const [member] = await db.select({ id: staffUsers.id }).from(staffUsers).limit(1);
    const staff: StaffPrincipal = { kind: 'staff', staffUserId: member!.id, role: 'staff', name: 'bench', sessionId: 'bench' };
    const busy = await busyLink(db, generated);
    const [plain] = await db.select({ id: links.id }).from(links).where(and(eq(links.customerId, generated.customerId), sql`${links.id} <> ${busy}`, eq(links.status, 'active'), sql`${links.expiresAt} > now() + interval '1 day'`)).orderBy(links.id).limit(1);
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 0`);
      await tx.execute(sql`analyze`);
    });

    const figures: Record<string, Figure> = {};
    const query = parseDashboardQuery({});
    const dashboard = (customer: CustomerPrincipal) => async () => {
      const [found] = await Promise.all([listLinks(db, customer, now), listStaffLookupsForCustomer(db, customer), listDisclosuresForCustomer(db, customer)]);
      return dashboardLists(found, query, now, 'ja');
    };
    await time('dashboard, demo2 (its own links)', figures, dashboard(demo2));
    await time('dashboard, demo (20 links)', figures, dashboard(demo));
    await time('dashboard, demo50 (50 links)', figures, dashboard(demo50));
    await time('link page, 10-row history', figures, () => getLink(db, generated, plain!.id, now));
    await time(`link page, ${BUSY_HISTORY.toLocaleString('en')}-row history`, figures, () => getLink(db, generated, busy, now));

    // The consent-checked read: an access token of the generated customer's link, a new proof id per call.
    const [grant] = await db.select({ grantId: links.grantId }).from(links).where(eq(links.id, plain!.id));
    const token = `bench-token-${size}`;
    // Written afresh each run, for this run's link (a kept database's earlier token may be another's).
    const tokenRecord = { model: 'AccessToken', id: token, payload: { kind: 'AccessToken', jti: token, grantId: grant!.grantId, accountId: generated.customerId, clientId: 'scale-provider-01', scope: 'balances statements', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 86_400 }, expiresAt: new Date(Date.now() + 86_400_000) };
    await db
      .insert(oauthRecords)
      .values(tokenRecord)
      .onConflictDoUpdate({ target: [oauthRecords.model, oauthRecords.id], set: { payload: tokenRecord.payload, expiresAt: tokenRecord.expiresAt } });
    const runId = `${process.pid}-${Date.now()}`;
    // It must find the link, its items and the account: a miss would time the wrong thing.
    const check = await readCallState(db, { accessToken: token, proofId: `bench:${runId}:check`, accountId: undefined, now: new Date() });
    if (!check.proofFresh || check.link?.id !== plain!.id || check.granted.length === 0) throw new Error('the consent-checked read did not find the bench link');
    await time('consent-checked read', figures, (i) => readCallState(db, { accessToken: token, proofId: `bench:${runId}:${i}`, accountId: undefined, now: new Date() }));

    for (const [label, q] of [
      ['staff search, kana part', 'タカハシ'],
      ['staff search, kanji part', '高橋'],
      ['staff search, Latin part', 'Takahashi'],
      // inside names, not at the start of one: the bigram index, which builds every match
      ['staff search, kana inner part', 'カハシ'],
      ['staff search, kanji inner part, rare', '橋翔太'],
      ['staff search, logon ID', `scale${Math.min(4_321, size)}`],
      ['staff search, no match', 'zzqx'],
    ] as const) {
      await time(label, figures, () => searchCustomers(db, staff, q), Math.min(ITERATIONS, 50));
    }

    // The Art. 4 sweep: the links due now (generated: one in fifty active links), in batches of 500.
    // A database kept from an earlier run has swept them: REARM active links, picked at random, are made due again (four batches).
    const dueNow = async () => rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from links where status = 'active' and expires_at <= now()`))[0]!.n;
    if ((await dueNow()) === 0) {
      await db.execute(sql`update links set expires_at = now() - interval '1 hour' where id in (select id from links where status = 'active' order by random() limit ${REARM})`);
    }
    const due = { n: await dueNow() };
    const sweepStarted = performance.now();
    const expired = await expireInactiveLinks(db, new Date());
    const totalMs = performance.now() - sweepStarted;
    const batches = Math.max(1, Math.ceil(expired / EXPIRY_BATCH));
    log(`  expiry sweep: ${expired.toLocaleString('en')} links expired in ${batches} batches, ${(totalMs / 1000).toFixed(1)} s (${round(totalMs / batches)} ms a batch)`);
    // Then what housekeeping does next in the same run: fold the sweep's link-count changes into the totals.
    await foldProviderLinkCounts(db);
    await time('expiry sweep, nothing due', figures, () => expireInactiveLinks(db, new Date()), 50);
    // After the sweep, as in service: the directory reads the links still active past their expiry, which the sweep keeps to its last ten minutes.
    await time('staff provider directory', figures, () => listProvidersForStaff(db, staff), Math.min(ITERATIONS, 50));
    await time('staff notifications list', figures, () => listProviderEvents(db, staff, {}), Math.min(ITERATIONS, 50));
    await time('record archive, nothing due', figures, () => purgePastLinkRecords(db, 730, new Date()), 50);
    await time('provider-event due query', figures, () => claimDueEvents(db, new Date(), 50), 50);
    await db.delete(oauthRecords).where(and(eq(oauthRecords.model, 'DPoPProof'), sql`${oauthRecords.id} like ${`bench:${runId}:%`}`));
    if (RENDER) {
      // The pages themselves over HTTP (render.ts): `next build` first, or the last build is used.
      const renderer = await openRenderer(url, process.argv.includes('--profile') ? path.join(ROOT, 'data', 'bench-profiles', `scale-${size}`) : undefined);
      try {
        const [demoLink] = await db.select({ id: links.id }).from(links).where(eq(links.customerId, demo.customerId)).orderBy(links.id).limit(1);
        const renders = Math.min(ITERATIONS, 100);
        await time('dashboard render (HTTP), demo2 (its own links)', figures, () => renderer.get('demo2', '/'), renders);
        await time('dashboard render (HTTP), demo (20 links)', figures, () => renderer.get('demo', '/'), renders);
        await time('dashboard render (HTTP), demo50 (50 links)', figures, () => renderer.get('demo50', '/'), renders);
        await time('link page render (HTTP), demo', figures, () => renderer.get('demo', `/links/${demoLink!.id}`), renders);
      } finally {
        await renderer.close();
      }
    }
    return {
      customers: counts!.customers,
      links: counts!.links,
      history: Number(counts!.history),
      generateS: Math.round(generateS),
      databaseMb: counts!.mb,
      figures,
      sweep: { due: due.n, batches, totalMs: Math.round(totalMs), perBatchMs: round(totalMs / batches) },
    };
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const runs: SizeRun[] = [];
  for (const size of SIZES) runs.push(await measure(size));
  const [small, large] = [runs[0]!, runs.at(-1)!];
  const labels = Object.keys(large.figures);
  const ratio = (label: string) => round(large.figures[label]!.p95 / Math.max(small.figures[label]!.p95, 0.01));
  const rows = labels.map((label) => ({ label, small: small.figures[label]!, large: large.figures[label]!, ratio: ratio(label) }));
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    settings: { sizes: SIZES, iterations: ITERATIONS, warmup: WARMUP },
    goals: GOALS,
    runs,
    comparison: rows,
    sweepPerBatchRatio: round(large.sweep.perBatchMs / Math.max(small.sweep.perBatchMs, 0.01)),
  };
  const file = path.join(ROOT, 'bench', 'scale-results.json');
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n| query | ${small.customers.toLocaleString('en')} p50 / p95 ms | ${large.customers.toLocaleString('en')} p50 / p95 ms | p95 ratio |`);
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.label} | ${r.small.p50} / ${r.small.p95} | ${r.large.p50} / ${r.large.p95} | ${r.ratio}× |`);
  console.log(`| expiry sweep, per batch of ${EXPIRY_BATCH} due | ${small.sweep.perBatchMs} (${small.sweep.due} due) | ${large.sweep.perBatchMs} (${large.sweep.due} due) | ${result.sweepPerBatchRatio}× |`);
  console.log(`\nwritten to ${path.relative(ROOT, file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
