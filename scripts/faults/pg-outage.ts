// `npm run faults`: PostgreSQL stopped (or restarted) under load, or the instance killed, measured
// (issue 13 §3).
//
//   npm run faults -- [--mode=stop|restart|kill] [--outage=10] [--workers=4] [--no-build]
//
// --mode=kill: instead of the database, the instance itself is killed (`kill -9` of its process
// group) in the middle of the load and started again on the same port and database at once; the
// same checks follow (each transfer whole or not at all, one per key, every key answering).
//
// A fresh database on the local PostgreSQL server (BENCH_PG_URL), prepared as `npm run demo`
// prepares it, one production server on it (scripts/start.sh), a real DPoP-bound token for demo2
// (PAR, sign-in and consent in Chromium: balances, payees, transfers). Then `--workers` loops
// alternate a balance read and a 1-yen transfer (each with its own Idempotency-Key), a readiness
// probe polls /api/health/ready every 250 ms, and after 5 s the cluster is stopped for `--outage`
// seconds with `pg_ctlcluster … stop -m fast` (or restarted once, `--mode=restart`), then started.
// 15 s after it is back the load stops. Then every transfer whose outcome the client does not know
// (a 5xx, a timeout, a dropped connection) is sent again with its key, and the database is checked:
// every acknowledged transfer (201) is there once, and no key made two.
// It restarts the machine's PostgreSQL: never run it beside a test suite or on a shared server.
// Figures: bench/faults-results.json and a summary on stdout.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { DEMO } from '../../e2e/support/users';
import { linkDemoProvider } from '../bench/link';
import { portalCookie } from '../bench/scale/render';
import { proofSigner } from '../bench/dpop';
import { prepareDatabase } from '../bench/databases';
import { build, startServer, stopServer, waitReady } from '../bench/server';
import { sleep } from '../bench/util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const MODE = (option('mode') ?? 'stop') as 'stop' | 'restart' | 'kill';
const OUTAGE_S = Number(option('outage') ?? 10);
const WORKERS = Number(option('workers') ?? 4);
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REQUEST_TIMEOUT_MS = 30_000;
const log = (message: string) => console.log(`[faults] ${message}`);

type Sample = { kind: 'read' | 'transfer' | 'portal'; at: number; ms: number; status: number; error?: string; key?: string; id?: string; contentType?: string; errorPage?: boolean; title?: string };

function cluster(action: 'stop' | 'start' | 'restart'): void {
  const version = fs.readdirSync('/etc/postgresql')[0];
  if (!version) throw new Error('no Debian PostgreSQL cluster (/etc/postgresql) on this machine');
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) build();
  const name = `renkei_faults_${process.pid}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await prepareDatabase('postgres', url.toString());
  let server = await startServer('postgres', url.toString(), undefined);
  try {
    await waitReady(server);
    const origin = server.origin;
    const { session, accessToken } = await linkDemoProvider(origin, 'balances payees transfers');
    const sign = await proofSigner(session, accessToken);
    const call = async (method: string, pathname: string, body?: unknown, key?: string) => {
      const target = `${origin}${pathname}`;
      const headers: Record<string, string> = { Authorization: `DPoP ${accessToken}`, DPoP: sign(method, target) };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (key) headers['Idempotency-Key'] = key;
      return fetch(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    };
    const accounts = (await (await call('GET', '/api/v1/accounts')).json()) as { accounts: { id: string; type: string }[] };
    const from = accounts.accounts.find((a) => a.type === 'ordinary')!.id;
    const payees = (await (await call('GET', '/api/v1/payees')).json()) as { payees: { id: string }[] };
    const payee = payees.payees[0]!.id;
    const transferBody = { from_account_id: from, payee_id: payee, amount: 1 };
    const balanceBefore = ((await (await call('GET', `/api/v1/accounts/${from}/balance`)).json()) as { balance: number }).balance;

    const started = Date.now();
    const samples: Sample[] = [];
    const readiness: { at: number; status: number }[] = [];
    let running = true;
    const worker = async (n: number) => {
      for (let i = 0; running; i++) {
        const kind = (i + n) % 2 === 0 ? 'read' : 'transfer';
        const key = kind === 'transfer' ? randomUUID() : undefined;
        const at = Date.now() - started;
        const t0 = performance.now();
        try {
          const response = kind === 'read' ? await call('GET', `/api/v1/accounts/${from}/balance`) : await call('POST', '/api/v1/transfers', transferBody, key);
          const text = await response.text();
          const id = response.status === 201 ? (JSON.parse(text) as { id: string }).id : undefined;
          samples.push({ kind, at, ms: performance.now() - t0, status: response.status, key, id, contentType: response.headers.get('content-type') ?? undefined });
        } catch (error) {
          samples.push({ kind, at, ms: performance.now() - t0, status: 0, error: (error as Error).name, key });
        }
      }
    };
    // A customer in the portal too: the dashboard, reloaded every 250 ms (its error page while the database is away).
    const cookie = await portalCookie(origin, DEMO);
    const portal = async () => {
      while (running) {
        const at = Date.now() - started;
        const t0 = performance.now();
        try {
          const response = await fetch(`${origin}/`, { headers: { Cookie: cookie }, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          const html = await response.text();
          samples.push({ kind: 'portal', at, ms: performance.now() - t0, status: response.status, errorPage: html.includes('role="alert"') && response.status >= 500, title: (/<h1[^>]*>(.*?)<\/h1>/s.exec(html)?.[1] ?? html).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) });
        } catch (error) {
          samples.push({ kind: 'portal', at, ms: performance.now() - t0, status: 0, error: (error as Error).name });
        }
        await sleep(250);
      }
    };
    const probe = async () => {
      while (running) {
        const at = Date.now() - started;
        try {
          readiness.push({ at, status: (await fetch(`${origin}/api/health/ready`, { signal: AbortSignal.timeout(5_000) })).status });
        } catch {
          readiness.push({ at, status: 0 });
        }
        await sleep(250);
      }
    };
    const load = Promise.all([...Array.from({ length: WORKERS }, (_, n) => worker(n)), probe(), portal()]);
    await sleep(5_000);
    const downAt = Date.now() - started;
    log(`${MODE === 'stop' ? `stopping PostgreSQL for ${OUTAGE_S} s` : MODE === 'restart' ? 'restarting PostgreSQL' : 'killing the instance (kill -9)'} at ${(downAt / 1000).toFixed(1)} s`);
    if (MODE === 'stop') {
      cluster('stop');
      await sleep(OUTAGE_S * 1000);
      cluster('start');
    } else if (MODE === 'restart') cluster('restart');
    else {
      process.kill(-server.child.pid!, 'SIGKILL');
      await server.exited;
      server = await startServer('postgres', url.toString(), undefined, server.port);
      await waitReady(server);
    }
    const backAt = Date.now() - started;
    log(`${MODE === 'kill' ? 'instance' : 'PostgreSQL'} back at ${(backAt / 1000).toFixed(1)} s`);
    await sleep(15_000);
    running = false;
    await load;
    // An instance must live through the outage: one that exited is the finding, with its last words.
    const exitCode = await Promise.race([server.exited, sleep(0).then(() => 'running' as const)]);
    if (exitCode !== 'running') throw new Error(`the server exited (${exitCode}) during the run:\n${server.output.slice(-40).join('\n')}`);

    // What the client does not know the outcome of is sent again with the same key (the provider's duty, and what the key is for).
    // A key whose request died with its instance answers 409 + Retry-After until it is freed (15 s):
    // wait as told and send again, as a provider would.
    const unknown = samples.filter((s) => s.kind === 'transfer' && (s.status === 0 || s.status === 409 || s.status >= 500));
    const retried: { key: string; status: number }[] = [];
    let waitedInFlight = 0;
    for (const s of unknown) {
      for (let attempt = 0; ; attempt++) {
        const response = await call('POST', '/api/v1/transfers', transferBody, s.key);
        const text = await response.text();
        if (response.status === 409 && attempt < 10) {
          waitedInFlight++;
          await sleep(Number(response.headers.get('retry-after') ?? 5) * 1000);
          continue;
        }
        if (response.status === 201) s.id = (JSON.parse(text) as { id: string }).id;
        retried.push({ key: s.key!, status: response.status });
        break;
      }
    }
    const acknowledged = samples.filter((s) => s.kind === 'transfer' && s.id);
    const check = postgres(url.toString(), { max: 1, onnotice: () => {} });
    const ids = acknowledged.map((s) => s.id!);
    const [presentRow] = await check<{ present: number }[]>`select count(*)::int as present from instructions where id = any(${ids}::uuid[])`;
    const [totalRow] = await check<{ total: number }[]>`select count(*)::int as total from instructions where kind = 'transfer'`;
    // Whole or nothing: each instruction has its history row, and the account moved by exactly their sum.
    const [halfRow] = await check<{ half: number }[]>`
      select count(*)::int as half from instructions i
      where not exists (select 1 from link_history h where h.link_id = i.link_id and h.detail->>'instructionId' = i.id::text)`;
    const [moneyRow] = await check<{ balance: string; moved: string }[]>`
      select (select balance from accounts where id = ${from})::text as balance,
             (select coalesce(sum(amount), 0) from instructions where from_account_id = ${from})::text as moved`;
    await check.end();
    const balanceMismatch = Number(balanceBefore) - Number(moneyRow?.moved ?? 0) - Number(moneyRow?.balance ?? 0);
    const present = presentRow?.present ?? 0;
    const total = totalRow?.total ?? 0;

    const portalSamples = samples.filter((s) => s.kind === 'portal');
    const portalDuring = portalSamples.filter((s) => s.at >= downAt + 1_000 && s.at < backAt);
    const api = samples.filter((s) => s.kind !== 'portal');
    const during = api.filter((s) => s.at >= downAt + 1_000 && s.at < backAt);
    // Every request in flight at some moment of the outage (a restart is over in 2 s: few start inside it).
    const overlapping = api.filter((s) => s.at < backAt && s.at + s.ms > downAt);
    const statuses = (list: Sample[]) => list.reduce<Record<string, number>>((m, s) => ((m[String(s.status)] = (m[String(s.status)] ?? 0) + 1), m), {});
    const firstSuccessAfter = api.filter((s) => s.at >= backAt && s.status >= 200 && s.status < 300).sort((a, b) => a.at + a.ms - (b.at + b.ms))[0];
    const readyAgain = readiness.find((r) => r.at >= backAt && r.status === 200);
    const result = {
      when: new Date().toISOString(),
      mode: MODE,
      outageS: MODE === 'stop' ? OUTAGE_S : null,
      workers: WORKERS,
      downAtMs: downAt,
      backAtMs: backAt,
      requests: api.length,
      duringOutage: {
        requests: during.length,
        statuses: statuses(during),
        maxMs: Math.round(Math.max(0, ...during.map((s) => s.ms))),
        p50Ms: Math.round(during.map((s) => s.ms).sort((a, b) => a - b)[Math.floor(during.length / 2)] ?? 0),
        apiProblemJson: during.filter((s) => s.status === 503 && s.contentType?.startsWith('application/problem+json')).length,
        readiness: statuses(readiness.filter((r) => r.at >= downAt + 1_000 && r.at < backAt) as Sample[]),
      },
      inFlightDuringOutage: {
        requests: overlapping.length,
        statuses: statuses(overlapping),
        maxMs: Math.round(Math.max(0, ...overlapping.map((s) => s.ms))),
      },
      slowestMs: Math.round(Math.max(0, ...api.map((s) => s.ms))),
      portal: {
        requests: portalSamples.length,
        duringOutage: {
          requests: portalDuring.length,
          statuses: statuses(portalDuring),
          errorPages: portalDuring.filter((s) => s.errorPage).length,
          headings: [...new Set(portalDuring.map((s) => s.title ?? `(${s.status}, no heading)`))],
          maxMs: Math.round(Math.max(0, ...portalDuring.map((s) => s.ms))),
        },
        firstDashboardMsAfterBack: (() => {
          const first = portalSamples.filter((s) => s.at >= backAt && s.status === 200).sort((a, b) => a.at + a.ms - (b.at + b.ms))[0];
          return first ? Math.round(first.at + first.ms - backAt) : null;
        })(),
      },
      recovery: {
        firstSuccessMsAfterBack: firstSuccessAfter ? Math.round(firstSuccessAfter.at + firstSuccessAfter.ms - backAt) : null,
        readyMsAfterBack: readyAgain ? readyAgain.at - backAt : null,
      },
      transfers: {
        sent: samples.filter((s) => s.kind === 'transfer').length,
        outcomeUnknown: unknown.length,
        retriedStatuses: statuses(retried as unknown as Sample[]),
        acknowledged: acknowledged.length,
        acknowledgedInDatabase: present,
        inDatabase: total,
        lost: acknowledged.length - present,
        extra: total - acknowledged.length,
        inFlightAnswersWaited: waitedInFlight,
        withoutHistory: halfRow?.half ?? -1,
        balanceMismatchYen: balanceMismatch,
      },
    };
    const file = path.join(ROOT, 'bench', 'faults-results.json');
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    if (result.transfers.lost !== 0 || result.transfers.extra !== 0 || result.transfers.withoutHistory !== 0 || result.transfers.balanceMismatchYen !== 0 || retried.some((r) => r.status !== 201)) {
      console.error('\nLOST, DUPLICATED OR HALF-WRITTEN TRANSFERS, OR A KEY THAT NEVER ANSWERED');
      process.exitCode = 1;
    }
  } finally {
    await stopServer(server);
    const dropper = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await dropper.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await dropper.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  // Leave the machine's PostgreSQL running whatever happened.
  spawnSync('bash', ['-c', 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start 2>/dev/null || true'], { stdio: 'inherit' });
  process.exit(1);
});
