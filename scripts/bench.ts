// `npm run bench`: the provider API's consent-checked balance read against a bare route on the same
// production server, on the embedded database and on the PostgreSQL server. Writes
// bench/results.json and prints a summary. Not part of `npm test` or CI; see bench/README.md.
//
//   npx tsx scripts/bench.ts [--no-build] [--duration=10] [--warmup=8] [--connections=64]
//                            [--only=pglite|postgres] [--sign-inline] [--profile]
//                            [--server-node-options="--max-old-space-size=128 …"]
//
// Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server
// the script creates (and drops) a fresh database on; CHROMIUM_PATH overrides the browser.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, KeyObject, randomUUID, sign } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import autocannon from 'autocannon';
import { exportJWK } from 'jose';
import { generate } from 'otplib';
import postgres from 'postgres';
import { DEMO_REDIRECT_URI, redeemCode, startLinking, type ProviderSession } from '../e2e/support/oauth-client';
import { DEMO2 } from '../e2e/support/users';

// ---------------------------------------------------------------------------------------------
// Settings and goals (SPEC: issue 4, item 6)

type DbKind = 'pglite' | 'postgres';

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function positiveInt(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const ROOT = path.resolve(__dirname, '..');
const SETTINGS = {
  build: !flag('no-build'),
  durationS: positiveInt('duration', 10),
  // Next's server takes several seconds of traffic to reach its steady rate (lazy loading, JIT).
  warmupS: positiveInt('warmup', 8),
  connections: positiveInt('connections', 64),
  /** Bare + checked runs per database; the round with the median ratio is reported. */
  rounds: positiveInt('rounds', 3),
  signInline: flag('sign-inline'),
  profile: flag('profile'),
  only: option('only') as DbKind | undefined,
  /** The node binary that runs the server (default: the one scripts/start.sh finds, Node 24). */
  runtime: option('runtime'),
  /** main: server/main.ts (default); next: the plain `next start` it replaced (to compare runtimes: Node 20 cannot run main.ts). */
  server: (option('server') ?? 'main') as 'main' | 'next',
  /** Where the results go (default bench/results.json). */
  out: option('out'),
  /** Flags for the server's node after scripts/start.sh's own, e.g. --server-node-options="--max-old-space-size=256" (recorded in the results). */
  serverNodeOptions: option('server-node-options')?.split(' ').filter(Boolean) ?? [],
};
if (SETTINGS.only && SETTINGS.only !== 'pglite' && SETTINGS.only !== 'postgres') throw new Error('--only is pglite or postgres');
if (SETTINGS.server !== 'main' && SETTINGS.server !== 'next') throw new Error('--server is main or next');

const GOALS = {
  minThroughputRatio: 0.6,
  maxCheckedP99Ms: 25,
  maxRssMb: { pglite: 400, postgres: 200 } as Record<DbKind, number>,
};
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PGLITE_DIR = 'bench';
/** The flags scripts/start.sh gives the server's node (recorded with the results). */
const START_NODE_OPTIONS = /NODE_OPTIONS="([^"$]*)/.exec(fs.readFileSync(path.join(ROOT, 'scripts', 'start.sh'), 'utf8'))?.[1]?.trim() ?? '';
const RSS_SAMPLE_MS = 200;
const UNLOADED_S = 3;
const UNLOADED_WARMUP_S = 1;

const log = (message: string) => console.log(`[bench] ${message}`);

// ---------------------------------------------------------------------------------------------
// Processes: the server, its process tree and its memory

type Server = { child: ChildProcess; port: number; origin: string; output: string[]; exited: Promise<number | null> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function nextBin(): string {
  return path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
}

function build(): void {
  log('next build …');
  const started = Date.now();
  const result = spawnSync(process.execPath, [nextBin(), 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The app's environment on the bench's database, as the server and `npm run db:seed` get it. */
function appEnv(kind: DbKind, databaseUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', RENKEI_MODE: 'sandbox' };
  // One provider and one link make every call: traffic limits far above the load, so nothing is
  // refused while the limiter's own cost (a counter per call) is still measured.
  env.RATE_LIMIT_PROVIDER_PER_S = '1000000';
  env.RATE_LIMIT_LINK_PER_S = '1000000';
  env.RATE_LIMIT_TOKEN_PER_S = '1000000';
  if (SETTINGS.runtime) env.RENKEI_NODE_BIN = SETTINGS.runtime;
  env.RENKEI_SERVER = SETTINGS.server;
  delete env.PUBLIC_ORIGIN;
  delete env.AUTH_URL;
  if (kind === 'pglite') {
    delete env.DATABASE_URL;
    env.PGLITE_DIR = PGLITE_DIR;
  } else {
    env.DATABASE_URL = databaseUrl;
  }
  return env;
}

/**
 * `npm run db:seed` on the new database, as `npm run demo` runs it before the server: migrations,
 * the sandbox seed and, on a new PGlite folder, initdb, in a process of its own that exits.
 */
async function prepareDatabase(kind: DbKind, databaseUrl: string | undefined): Promise<{ ms: number; peakRssMb: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(ROOT, 'scripts', 'db-seed.ts')], {
    cwd: ROOT,
    env: appEnv(kind, databaseUrl),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const sampler = new RssSampler(child.pid!);
  sampler.start();
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  sampler.stop();
  if (code !== 0) throw new Error(`npm run db:seed failed (exit ${code}):\n${output.join('').slice(-2000)}`);
  return { ms: Date.now() - started, peakRssMb: Math.round(sampler.peakKb / 1024) };
}

async function startServer(kind: DbKind, databaseUrl: string | undefined, profileDir: string | undefined): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...appEnv(kind, databaseUrl), PORT: String(port) };
  // The server as `npm start` runs it (scripts/start.sh: its memory settings, then `exec node … next
  // start`, one process), with any extra flags after those, in its own process group so it can be
  // stopped whole.
  const extra = [...SETTINGS.serverNodeOptions, ...(profileDir ? [`--cpu-prof`, `--cpu-prof-dir=${profileDir}`] : [])];
  delete env.NODE_OPTIONS;
  if (extra.length > 0) env.RENKEI_NODE_ARGS = extra.join(' ');
  else delete env.RENKEI_NODE_ARGS;
  const child = spawn('bash', [path.join(ROOT, 'scripts', 'start.sh'), String(port)], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, origin: `http://localhost:${port}`, output, exited };
}

async function waitReady(server: Server, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  while (Date.now() - started < timeoutMs) {
    if (exitCode !== undefined) throw new Error(`the server exited (${exitCode}) before answering:\n${server.output.slice(-30).join('\n')}`);
    try {
      const response = await fetch(`${server.origin}/api/health`);
      if (response.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the server did not answer within ${timeoutMs / 1000} s:\n${server.output.slice(-30).join('\n')}`);
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const pid = server.child.pid!;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const gone = await Promise.race([server.exited.then(() => true), sleep(15_000).then(() => false)]);
  if (!gone) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await server.exited;
  }
}

/** The pids of `root` and all its descendants (next start may fork workers). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function rssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU time so far: the whole machine (/proc/stat), the server's process tree, and this process. */
type CpuSnapshot = { atMs: number; machineBusyTicks: number; serverTicks: number; selfUs: number };
const TICKS_PER_S = 100; // USER_HZ on Linux

function cpuSnapshot(serverPids: number[]): CpuSnapshot {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
  let serverTicks = 0;
  for (const pid of serverPids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      serverTicks += Number(after[11]) + Number(after[12]); // utime, stime
    } catch {
      // exited
    }
  }
  const self = process.cpuUsage();
  return { atMs: performance.now(), machineBusyTicks: user! + nice! + system! + irq! + softirq! + (steal ?? 0), serverTicks, selfUs: self.user + self.system };
}

/** Cores used between two snapshots: by the server, by the load generator, by everything else. */
function cpuBetween(a: CpuSnapshot, b: CpuSnapshot) {
  const seconds = (b.atMs - a.atMs) / 1000;
  const round = (n: number) => Math.round(n * 100) / 100;
  const machine = (b.machineBusyTicks - a.machineBusyTicks) / TICKS_PER_S / seconds;
  const server = (b.serverTicks - a.serverTicks) / TICKS_PER_S / seconds;
  const loadGenerator = (b.selfUs - a.selfUs) / 1e6 / seconds;
  return { serverCores: round(server), loadGeneratorCores: round(loadGenerator), otherCores: round(Math.max(0, machine - server - loadGenerator)), machineBusyCores: round(machine) };
}

/** Samples the RSS of the server's whole process tree every 200 ms and keeps the peak. */
class RssSampler {
  private timer?: NodeJS.Timeout;
  pids: number[] = [];
  private ticks = 0;
  peakKb = 0;
  /** Peak since the last mark() (e.g. start-up, then load). */
  phasePeakKb = 0;
  lastKb = 0;
  samples = 0;
  maxProcesses = 0;
  commands = new Set<string>();

  constructor(private readonly root: number) {}

  start(): void {
    const tick = () => {
      if (this.ticks++ % 10 === 0) {
        this.pids = processTree(this.root);
        this.maxProcesses = Math.max(this.maxProcesses, this.pids.length);
        for (const pid of this.pids) {
          try {
            this.commands.add(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).map((a) => path.basename(a)).slice(0, 3).join(' '));
          } catch {
            // exited meanwhile
          }
        }
      }
      this.lastKb = this.pids.reduce((sum, pid) => sum + rssKb(pid), 0);
      this.peakKb = Math.max(this.peakKb, this.lastKb);
      this.phasePeakKb = Math.max(this.phasePeakKb, this.lastKb);
      this.samples++;
    };
    tick();
    this.timer = setInterval(tick, RSS_SAMPLE_MS);
  }

  /** Ends a phase: returns its peak and starts the next one from the current sample. */
  mark(): number {
    const peak = this.phasePeakKb;
    this.phasePeakKb = this.lastKb;
    return peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

// ---------------------------------------------------------------------------------------------
// The databases

async function postgresServer(): Promise<{ url: string; version: string; drop: () => Promise<void> } | { unreachable: string }> {
  const tryConnect = async () => {
    const sql = postgres(PG_ADMIN_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
    try {
      const [row] = await sql<{ server_version: string }[]>`show server_version`;
      return { sql, version: row!.server_version };
    } catch (error) {
      await sql.end({ timeout: 1 });
      throw error;
    }
  };
  let admin: Awaited<ReturnType<typeof tryConnect>>;
  try {
    admin = await tryConnect();
  } catch (first) {
    // The cluster may just be stopped (this machine has Debian's postgresql-common): try to start it once.
    const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
    if (versions.length === 0) return { unreachable: `${PG_ADMIN_URL}: ${(first as Error).message}` };
    log(`PostgreSQL unreachable (${(first as Error).message}); trying pg_ctlcluster ${versions[0]} main start`);
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0]!, 'main', 'start'], { stdio: 'inherit' });
    try {
      admin = await tryConnect();
    } catch (second) {
      return { unreachable: `${PG_ADMIN_URL}: ${(second as Error).message}` };
    }
  }
  const name = `renkei_bench_${process.pid}`;
  await admin.sql.unsafe(`drop database if exists ${name} with (force)`);
  await admin.sql.unsafe(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    version: admin.version,
    drop: async () => {
      await admin.sql.unsafe(`drop database if exists ${name} with (force)`);
      await admin.sql.end({ timeout: 5 });
    },
  };
}

function freshPgliteDir(): void {
  const dir = path.join(ROOT, 'data', PGLITE_DIR);
  const lock = `${dir}.lock`;
  if (fs.existsSync(lock)) {
    const pid = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      // stale
    }
    if (alive) throw new Error(`data/${PGLITE_DIR} is in use by process ${pid} (another bench run?)`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(lock, { force: true });
}

// ---------------------------------------------------------------------------------------------
// A real DPoP-bound access token: PAR + private_key_jwt + PKCE + DPoP, sign-in and consent in Chromium

function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    if (fs.existsSync(chromium.executablePath())) return undefined;
  } catch {
    // not installed
  }
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error('No Chromium: install Debian\'s (apt-get install chromium) or set CHROMIUM_PATH.');
}

async function linkDemoProvider(origin: string): Promise<{ session: ProviderSession; accessToken: string; tookMs: number }> {
  const started = Date.now();
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    // The English UI (SPEC §7 labels).
    await context.addCookies([{ name: 'NEXT_LOCALE', value: 'en', domain: 'localhost', path: '/' }]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const session = await startLinking(origin, 'balances');
    // The redirect to the provider's callback (nothing needs to listen there: the URL is all we need).
    const callback = page.waitForRequest((request) => request.url().startsWith(DEMO_REDIRECT_URI), { timeout: 60_000 });
    await page.goto(session.authorizationUrl);
    await page.waitForURL(/\/login\?next=%2Fconsent%2F/);
    await page.getByLabel('Logon ID').fill(DEMO2.logonId);
    await page.getByLabel('Password').fill(DEMO2.password);
    await page.getByRole('button', { name: 'Next' }).click();
    // A fresh database: no code of this user has been accepted yet, so the current step is fine.
    await page.getByLabel('One-time password').fill(await generate({ secret: DEMO2.totpSecret }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/consent\//);
    await page.getByRole('button', { name: 'Approve' }).click();
    const callbackUrl = (await callback).url();
    const tokens = await redeemCode(session, callbackUrl);
    if (!tokens.access_token || tokens.token_type?.toLowerCase() !== 'dpop') throw new Error(`unexpected token response: ${JSON.stringify(tokens)}`);
    return { session, accessToken: tokens.access_token, tookMs: Date.now() - started };
  } finally {
    await browser.close();
  }
}

/** Synchronous ES256 DPoP proofs (RFC 9449) with Node's crypto, for autocannon's synchronous setupRequest. */
async function proofSigner(session: ProviderSession, accessToken: string) {
  const key = KeyObject.from(session.dpopKeys.privateKey);
  const { kty, crv, x, y } = await exportJWK(session.dpopKeys.publicKey);
  const header = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })).toString('base64url');
  const ath = createHash('sha256').update(accessToken).digest('base64url');
  return (method: string, htu: string): string => {
    const payload = Buffer.from(JSON.stringify({ htm: method, htu, jti: randomUUID(), ath, iat: Math.floor(Date.now() / 1000) })).toString('base64url');
    const input = `${header}.${payload}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };
}

// ---------------------------------------------------------------------------------------------
// Load

type Measured = {
  connections: number;
  /** Responses completed inside the measurement window, per second. */
  requestsPerSec: number;
  /** Completions per whole second of the window: how steady the rate was. */
  perSecond: number[];
  /** Requests sent inside the window (their latency is measured, even if they finish in the grace period). */
  requestsTimed: number;
  windowS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Over the whole run, warm-up included: any non-2xx, error or timeout makes the run invalid. */
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** The slowest request sent in the first second, while the connections were being opened. */
  connectionStartMaxMs: number;
  /** Cores busy during the window (2 on this machine): the server is one Node.js thread plus helpers. */
  cpu?: ReturnType<typeof cpuBetween>;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Lets the requests still in flight when a run stopped finish before the next phase. */
async function drain(origin: string): Promise<void> {
  await fetch(`${origin}/api/health`).catch(() => undefined);
  await sleep(500);
}

/**
 * One autocannon run of warm-up + window + grace on the same connections. Throughput counts the
 * responses completed inside the window; latency is taken over the requests *sent* inside it
 * (those finishing in the grace period included). Requests sent during the warm-up do not count:
 * a saturated Node.js server serves the first request of some new connections seconds late
 * (a plain `http` server does the same), which is the opening of the run, not its steady state;
 * it is reported as `connectionStartMaxMs`.
 */
async function measure(port: number, requestPath: string, headers: () => Record<string, string>, o: { connections: number; warmupS: number; windowS: number; serverPids: () => number[] }): Promise<Measured> {
  const GRACE_S = o.connections > 1 ? 3 : 1;
  const responses: { doneAt: number; latency: number; status: number }[] = [];
  const statusCodes: Record<string, number> = {};
  let cpuBefore: CpuSnapshot | undefined;
  let cpuAfter: CpuSnapshot | undefined;
  const t0 = performance.now();
  const windowStart = o.warmupS * 1000;
  const windowEnd = windowStart + o.windowS * 1000;
  const marks = [setTimeout(() => (cpuBefore = cpuSnapshot(o.serverPids())), windowStart), setTimeout(() => (cpuAfter = cpuSnapshot(o.serverPids())), windowEnd)];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: o.connections,
        duration: o.warmupS + o.windowS + GRACE_S,
        // Long enough that the slow first requests of new connections are not cut off and re-sent.
        timeout: 60,
        // The Host the browser and the proofs use (the DPoP htu is built from it).
        headers: { host: `localhost:${port}` },
        requests: [{ method: 'GET', path: requestPath, setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...headers() } }) }],
      },
      (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, latency) => {
      responses.push({ doneAt: performance.now() - t0, latency, status });
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
    });
  });
  marks.forEach(clearTimeout);
  const completed = responses.filter((r) => r.doneAt >= windowStart && r.doneAt < windowEnd);
  const timed = responses.filter((r) => r.doneAt - r.latency >= windowStart && r.doneAt - r.latency < windowEnd).map((r) => r.latency);
  timed.sort((a, b) => a - b);
  const perSecond = Array.from({ length: o.windowS }, () => 0);
  for (const r of completed) perSecond[Math.floor((r.doneAt - windowStart) / 1000)]! += 1;
  const opening = responses.filter((r) => r.doneAt - r.latency < 1000).map((r) => r.latency);
  return {
    connections: o.connections,
    requestsPerSec: round1(completed.length / o.windowS),
    perSecond,
    requestsTimed: timed.length,
    windowS: o.windowS,
    latencyMs: {
      p50: round1(percentile(timed, 50)),
      p90: round1(percentile(timed, 90)),
      p99: round1(percentile(timed, 99)),
      max: round1(timed.at(-1) ?? 0),
      mean: round1(timed.reduce((a, b) => a + b, 0) / Math.max(1, timed.length)),
    },
    non2xx: responses.filter((r) => r.status < 200 || r.status > 299).length,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    connectionStartMaxMs: Math.round(Math.max(0, ...opening)),
    cpu: cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// One database

type Goal = { target: number; actual: number; met: boolean };
type DbRun = {
  database: string;
  valid: boolean;
  error?: string;
  /** The start on the new database (migrations, seed; PGlite also runs initdb), stopped once ready. */
  /** `npm run db:seed` before the first start: a one-off process of its own (initdb on PGlite). */
  prepare?: { ms: number; peakRssMb: number };
  rounds?: { bareRequestsPerSec: number; checkedRequestsPerSec: number; checkedP99Ms: number; ratio: number; reported: boolean }[];
  firstStart?: { readyMs: number; peakRssMb: number; rssMbOneSecondLater: number };
  startupMs?: number;
  linkingMs?: number;
  proofs?: string;
  proofPool?: { size: number; signMs: number; signedPerSec: number; signedInline: number };
  checked?: Measured & { path: string };
  bare?: Measured & { path: string };
  throughputRatio?: number;
  /** The whole life of the server, start-up (migrations, seed; initdb on a new PGlite folder) included. */
  peakRssMb?: number;
  rssMb?: { readyIdle: number; startupPeak: number; underLoadPeak: number; afterLoad: number };
  /** One connection, for the service time of a single request without queueing. */
  unloaded?: { connections: 1; durationS: number; checked: Pick<Measured, 'requestsPerSec' | 'latencyMs' | 'non2xx'>; bare: Pick<Measured, 'requestsPerSec' | 'latencyMs' | 'non2xx'> };
  serverProcesses?: { max: number; commands: string[] };
  proxyHeadersOnBoth?: boolean;
  loadAverageBefore?: number[];
  goals?: { throughputRatio: Goal; checkedP99Ms: Goal; peakRssMb: Goal; firstStartPeakRssMb: Goal; allMet: boolean };
  profile?: string;
};

const cleanups = new Set<() => Promise<void>>();

async function benchDatabase(kind: DbKind): Promise<DbRun> {
  let databaseUrl: string | undefined;
  let database = 'PGlite 0.5 (embedded: a worker thread of the server process)';
  if (kind === 'postgres') {
    const pg = await postgresServer();
    if ('unreachable' in pg) {
      log(`PostgreSQL unreachable: ${pg.unreachable} — skipped`);
      return { database: 'PostgreSQL server', valid: false, error: `skipped: PostgreSQL unreachable (${pg.unreachable})` };
    }
    databaseUrl = pg.url;
    database = `PostgreSQL ${pg.version} (${new URL(pg.url).host}, fresh database ${new URL(pg.url).pathname.slice(1)})`;
    cleanups.add(pg.drop);
  } else {
    freshPgliteDir();
  }
  // In ./data (git-ignored): V8 .cpuprofile files of the measured server, for Chrome DevTools or speedscope.
  const profileDir = SETTINGS.profile ? path.join(ROOT, 'data', 'bench-profiles', kind) : undefined;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });

  const run: DbRun = { database, valid: false };

  // The database is prepared as `npm run demo` prepares it (`npm run db:seed` in its own process:
  // migrations, seed, initdb on a new PGlite folder), then the server's first start on it, then
  // stop: the measured server starts on the prepared database, as a server normally does. All three
  // are reported.
  log(`${kind}: npm run db:seed on the new database (${database})`);
  try {
    run.prepare = await prepareDatabase(kind, databaseUrl);
    log(`${kind}: prepared in ${(run.prepare.ms / 1000).toFixed(1)} s, peak RSS of that process ${run.prepare.peakRssMb} MB`);
  } catch (error) {
    run.error = `db:seed: ${error instanceof Error ? error.message : String(error)}`;
    for (const cleanup of [...cleanups]) await cleanup();
    cleanups.clear();
    return run;
  }
  log(`${kind}: first start of the server on the prepared database`);
  const first = await startServer(kind, databaseUrl, undefined);
  const stopFirst = () => stopServer(first);
  cleanups.add(stopFirst);
  const firstSampler = new RssSampler(first.child.pid!);
  firstSampler.start();
  try {
    const readyMs = await waitReady(first);
    await sleep(1_000);
    run.firstStart = { readyMs, peakRssMb: Math.round(firstSampler.peakKb / 1024), rssMbOneSecondLater: Math.round(firstSampler.lastKb / 1024) };
    log(`${kind}: first start ready in ${(readyMs / 1000).toFixed(1)} s, RSS ${run.firstStart.rssMbOneSecondLater} MB (peak ${run.firstStart.peakRssMb} MB)`);
  } catch (error) {
    run.error = `first start: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    firstSampler.stop();
    await stopFirst();
    cleanups.delete(stopFirst);
  }
  if (run.error) {
    for (const cleanup of [...cleanups]) await cleanup();
    cleanups.clear();
    return run;
  }

  log(`${kind}: starting next start on the prepared database`);
  const server = await startServer(kind, databaseUrl, profileDir);
  const stop = () => stopServer(server);
  cleanups.add(stop);
  const sampler = new RssSampler(server.child.pid!);
  sampler.start();
  try {
    run.startupMs = await waitReady(server);
    const readyIdleKb = sampler.lastKb;
    log(`${kind}: ready in ${(run.startupMs / 1000).toFixed(1)} s, RSS ${Math.round(readyIdleKb / 1024)} MB`);

    const { session, accessToken, tookMs } = await linkDemoProvider(server.origin);
    run.linkingMs = tookMs;
    log(`${kind}: demo2 linked the demo provider (balances) in ${(tookMs / 1000).toFixed(1)} s; DPoP-bound token issued`);
    const proof = await proofSigner(session, accessToken);
    const api = async (apiPath: string) => {
      const url = `${server.origin}${apiPath}`;
      return fetch(url, { headers: { Authorization: `DPoP ${accessToken}`, DPoP: proof('GET', url) } });
    };
    const accountsResponse = await api('/api/v1/accounts');
    if (accountsResponse.status !== 200) throw new Error(`GET /api/v1/accounts answered ${accountsResponse.status}: ${await accountsResponse.text()}`);
    const { accounts } = (await accountsResponse.json()) as { accounts: { id: string; type: string }[] };
    const account = accounts.find((a) => a.type === 'ordinary') ?? accounts[0];
    if (!account) throw new Error('the link has no account');
    const checkedPath = `/api/v1/accounts/${account.id}/balance`;
    const barePath = '/api/health';
    const checkedUrl = `${server.origin}${checkedPath}`;
    const sample = await api(checkedPath);
    const sampleBody = await sample.text();
    if (sample.status !== 200 || !sampleBody.includes('"balance"')) throw new Error(`the balance read answered ${sample.status}: ${sampleBody}`);
    const bareSample = await fetch(`${server.origin}${barePath}`);
    if (bareSample.status !== 200) throw new Error(`${barePath} answered ${bareSample.status}`);
    // Both go through proxy.ts (security headers): same middleware cost on both sides.
    run.proxyHeadersOnBoth = [sample, bareSample].every((r) => r.headers.get('x-content-type-options') === 'nosniff' && r.headers.has('content-security-policy'));

    const inlineHeaders = () => ({ authorization: `DPoP ${accessToken}`, dpop: proof('GET', checkedUrl) });
    const startupPeakKb = sampler.mark();
    const loaded = { connections: SETTINGS.connections, warmupS: SETTINGS.warmupS, windowS: SETTINGS.durationS, serverPids: () => sampler.pids };

    // The bare route first (it also warms Next's shared request path), then one connection on each
    // route: the service time of a single request with nothing queued, and the checked read's rate
    // that sizes the proof pool.
    run.loadAverageBefore = os.loadavg().map((l) => Math.round(l * 100) / 100);
    log(`${kind}: bare GET ${barePath}: ${SETTINGS.connections} connections, ${SETTINGS.warmupS} s warm-up + ${SETTINGS.durationS} s measured`);
    const bare = await measure(server.port, barePath, () => ({}), loaded);
    await drain(server.origin);
    const underLoadBareKb = sampler.mark();

    log(`${kind}: one connection on each route, ${UNLOADED_WARMUP_S} s warm-up + ${UNLOADED_S} s measured`);
    const single = { connections: 1, warmupS: UNLOADED_WARMUP_S, windowS: UNLOADED_S, serverPids: () => sampler.pids };
    const unloadedBare = await measure(server.port, barePath, () => ({}), single);
    await drain(server.origin);
    // Proofs signed inline here: setupRequest runs before autocannon starts a request's clock.
    const unloadedChecked = await measure(server.port, checkedPath, inlineHeaders, single);
    await drain(server.origin);
    const pick = (m: Measured) => ({ requestsPerSec: m.requestsPerSec, latencyMs: m.latencyMs, non2xx: m.non2xx });
    run.unloaded = { connections: 1, durationS: UNLOADED_S, checked: pick(unloadedChecked), bare: pick(unloadedBare) };

    // Proofs: signing in the load generator costs ~50 µs each on this CPU, taken from the same two
    // cores as the server. By default a pool of unique proofs is signed before each checked run (the
    // last one used is < 40 s old, inside the server's ±60 s iat window), so the generator only
    // copies headers, as it does for the bare route.
    let signedInline = 0;
    const checkedHeaders = (): (() => Record<string, string>) => {
      if (SETTINGS.signInline) {
        run.proofs = 'signed inline, one per request, in the load generator (--sign-inline)';
        return inlineHeaders;
      }
      const expected = Math.max(unloadedChecked.requestsPerSec, 50) * 3 * (SETTINGS.warmupS + SETTINGS.durationS + 3);
      const size = Math.min(60_000, Math.ceil(expected) + 2_000);
      const signStarted = performance.now();
      const pool = Array.from({ length: size }, () => proof('GET', checkedUrl));
      const signMs = Math.round(performance.now() - signStarted);
      run.proofPool = { size, signMs, signedPerSec: Math.round(size / (signMs / 1000)), signedInline };
      run.proofs = `pre-signed pool of ${size} unique proofs (${signMs} ms to sign) before each checked run, each used once; signed inline if it runs out`;
      let used = 0;
      return () => {
        const dpop = used < pool.length ? pool[used++]! : (signedInline++, proof('GET', checkedUrl));
        return { authorization: `DPoP ${accessToken}`, dpop };
      };
    };
    log(`${kind}: checked GET ${checkedPath}: ${SETTINGS.connections} connections, ${SETTINGS.warmupS} s warm-up + ${SETTINGS.durationS} s measured`);
    const firstChecked = await measure(server.port, checkedPath, checkedHeaders(), loaded);

    // More rounds, alternating the routes, so that one noisy window does not decide the ratio: the
    // reported round is the one with the median ratio.
    const rounds: { bare: Measured; checked: Measured }[] = [{ bare, checked: firstChecked }];
    for (let round = 2; round <= SETTINGS.rounds; round++) {
      await drain(server.origin);
      log(`${kind}: round ${round} of ${SETTINGS.rounds}: bare, then checked`);
      const roundBare = await measure(server.port, barePath, () => ({}), loaded);
      await drain(server.origin);
      const roundChecked = await measure(server.port, checkedPath, checkedHeaders(), loaded);
      rounds.push({ bare: roundBare, checked: roundChecked });
    }
    if (run.proofPool) run.proofPool.signedInline = signedInline;
    const ratioOf = (r: { bare: Measured; checked: Measured }) => r.checked.requestsPerSec / r.bare.requestsPerSec;
    const median = [...rounds].sort((a, b) => ratioOf(a) - ratioOf(b))[Math.floor((rounds.length - 1) / 2)]!;
    const { checked } = median;
    run.rounds = rounds.map((r) => ({
      bareRequestsPerSec: r.bare.requestsPerSec,
      checkedRequestsPerSec: r.checked.requestsPerSec,
      checkedP99Ms: r.checked.latencyMs.p99,
      ratio: Math.round(ratioOf(r) * 1000) / 1000,
      reported: r === median,
    }));
    await sleep(RSS_SAMPLE_MS * 2);
    const underLoadPeakKb = Math.max(underLoadBareKb, sampler.mark());
    const afterLoadKb = sampler.lastKb;

    run.checked = { path: '/api/v1/accounts/{id}/balance', ...checked };
    run.bare = { path: barePath, ...median.bare };
    run.throughputRatio = Math.round(ratioOf(median) * 1000) / 1000;
    run.peakRssMb = Math.round(sampler.peakKb / 1024);
    const mb = (kb: number) => Math.round(kb / 1024);
    run.rssMb = { readyIdle: mb(readyIdleKb), startupPeak: mb(startupPeakKb), underLoadPeak: mb(underLoadPeakKb), afterLoad: mb(afterLoadKb) };
    run.serverProcesses = { max: sampler.maxProcesses, commands: [...sampler.commands] };
    const ratio: Goal = { target: GOALS.minThroughputRatio, actual: run.throughputRatio, met: run.throughputRatio >= GOALS.minThroughputRatio };
    const p99: Goal = { target: GOALS.maxCheckedP99Ms, actual: checked.latencyMs.p99, met: checked.latencyMs.p99 <= GOALS.maxCheckedP99Ms };
    const rss: Goal = { target: GOALS.maxRssMb[kind], actual: run.peakRssMb, met: run.peakRssMb <= GOALS.maxRssMb[kind] };
    const firstPeak = run.firstStart!.peakRssMb;
    const firstRss: Goal = { target: GOALS.maxRssMb[kind], actual: firstPeak, met: firstPeak <= GOALS.maxRssMb[kind] };
    run.goals = { throughputRatio: ratio, checkedP99Ms: p99, peakRssMb: rss, firstStartPeakRssMb: firstRss, allMet: ratio.met && p99.met && rss.met && firstRss.met };

    // A run whose checked read was refused (401s from a replayed or stale proof, …) measured the
    // wrong thing: it is invalid, whatever its figures.
    const problems: string[] = [];
    for (const [i, r] of rounds.entries()) {
      if (r.checked.non2xx > 0) problems.push(`checked read (round ${i + 1}): ${r.checked.non2xx} non-2xx responses ${JSON.stringify(r.checked.statusCodes)}`);
      if (r.bare.non2xx > 0) problems.push(`bare route (round ${i + 1}): ${r.bare.non2xx} non-2xx responses ${JSON.stringify(r.bare.statusCodes)}`);
      for (const [label, m] of [['checked read', r.checked], ['bare route', r.bare]] as const) {
        if (m.errors > 0 || m.timeouts > 0) problems.push(`${label} (round ${i + 1}): ${m.errors} connection errors, ${m.timeouts} timeouts`);
      }
    }
    if (unloadedChecked.non2xx > 0) problems.push(`checked read (one connection): ${unloadedChecked.non2xx} non-2xx responses ${JSON.stringify(unloadedChecked.statusCodes)}`);
    if (unloadedBare.non2xx > 0) problems.push(`bare route (one connection): ${unloadedBare.non2xx} non-2xx responses ${JSON.stringify(unloadedBare.statusCodes)}`);
    for (const [label, m] of [['checked read (one connection)', unloadedChecked], ['bare route (one connection)', unloadedBare]] as const) {
      if (m.errors > 0 || m.timeouts > 0) problems.push(`${label}: ${m.errors} connection errors, ${m.timeouts} timeouts`);
    }
    if (!run.proxyHeadersOnBoth) problems.push('proxy.ts did not set the same headers on both routes');
    run.valid = problems.length === 0;
    if (!run.valid) run.error = problems.join('; ');
  } catch (error) {
    run.valid = false;
    run.error = error instanceof Error ? error.message : String(error);
  } finally {
    sampler.stop();
    run.peakRssMb ??= Math.round(sampler.peakKb / 1024);
    await stop();
    cleanups.delete(stop);
    if (profileDir) run.profile = path.relative(ROOT, profileDir);
  }
  for (const cleanup of [...cleanups]) {
    await cleanup();
    cleanups.delete(cleanup);
  }
  if (kind === 'pglite') fs.rmSync(path.join(ROOT, 'data', PGLITE_DIR), { recursive: true, force: true });
  return run;
}

// ---------------------------------------------------------------------------------------------
// Report

function table(runs: Partial<Record<DbKind, DbRun>>): string {
  const lines: string[] = [];
  const pad = (s: string, n: number) => s.padEnd(n);
  const lpad = (s: string, n: number) => s.padStart(n);
  const mark = (g: Goal | undefined) => (g ? (g.met ? 'met' : 'MISSED') : '');
  for (const [kind, run] of Object.entries(runs) as [DbKind, DbRun][]) {
    lines.push('', `${kind}: ${run.database}`);
    if (!run.checked || !run.bare) {
      lines.push(`  no figures: ${run.error ?? 'not run'}`);
      continue;
    }
    lines.push(`  ${pad('', 32)}${lpad('req/s', 9)}${lpad('p50 ms', 9)}${lpad('p90 ms', 9)}${lpad('p99 ms', 9)}${lpad('max ms', 9)}${lpad('non-2xx', 9)}`);
    for (const [label, m] of [
      ['checked GET …/balance (DPoP)', run.checked],
      ['bare GET /api/health', run.bare],
    ] as const) {
      lines.push(`  ${pad(label, 32)}${lpad(m.requestsPerSec.toFixed(0), 9)}${lpad(String(m.latencyMs.p50), 9)}${lpad(String(m.latencyMs.p90), 9)}${lpad(String(m.latencyMs.p99), 9)}${lpad(String(m.latencyMs.max), 9)}${lpad(String(m.non2xx), 9)}`);
    }
    const g = run.goals!;
    lines.push(`  throughput ratio ${(run.throughputRatio! * 100).toFixed(1)} % (goal ≥ ${g.throughputRatio.target * 100} %: ${mark(g.throughputRatio)})`);
    if (run.rounds && run.rounds.length > 1) {
      const each = run.rounds.map((r) => `${r.checkedRequestsPerSec}/${r.bareRequestsPerSec} = ${(r.ratio * 100).toFixed(1)} %${r.reported ? ' (reported)' : ''}`);
      lines.push(`  rounds (checked/bare req/s): ${each.join(', ')}`);
    }
    lines.push(`  checked p99 ${run.checked.latencyMs.p99} ms (goal ≤ ${g.checkedP99Ms.target} ms: ${mark(g.checkedP99Ms)})`);
    const r = run.rssMb!;
    if (run.firstStart) {
      const f = run.firstStart;
      if (run.prepare) lines.push(`  npm run db:seed on the new database (its own process, then gone): ${(run.prepare.ms / 1000).toFixed(1)} s, peak RSS ${run.prepare.peakRssMb} MB`);
      lines.push(`  first start of the server on the prepared database: peak RSS ${f.peakRssMb} MB (goal ≤ ${g.firstStartPeakRssMb.target} MB: ${mark(g.firstStartPeakRssMb)}), ${f.rssMbOneSecondLater} MB 1 s after ready (${(f.readyMs / 1000).toFixed(1)} s)`);
    }
    lines.push(`  server peak RSS ${run.peakRssMb} MB (goal ≤ ${g.peakRssMb.target} MB: ${mark(g.peakRssMb)}) — start-up peak ${r.startupPeak}, idle when ready ${r.readyIdle}, under load ${r.underLoadPeak}, after ${r.afterLoad} MB`);
    if (run.unloaded) {
      const u = run.unloaded;
      lines.push(`  one connection: checked p50 ${u.checked.latencyMs.p50} / p99 ${u.checked.latencyMs.p99} ms (${u.checked.requestsPerSec.toFixed(0)} req/s), bare p50 ${u.bare.latencyMs.p50} / p99 ${u.bare.latencyMs.p99} ms (${u.bare.requestsPerSec.toFixed(0)} req/s)`);
    }
    for (const [label, m] of [['checked', run.checked], ['bare', run.bare]] as const) {
      if (m.cpu) lines.push(`  cores busy during the ${label} run: server ${m.cpu.serverCores}, load generator ${m.cpu.loadGeneratorCores}, other processes ${m.cpu.otherCores}`);
    }
    lines.push(`  opening of the runs (first requests of new connections, not in the figures): slowest ${run.checked.connectionStartMaxMs} ms checked, ${run.bare.connectionStartMaxMs} ms bare`);
    if (run.proofPool?.signedInline) lines.push(`  note: the proof pool ran out; ${run.proofPool.signedInline} proofs were signed inline`);
    if (!run.valid) lines.push(`  INVALID: ${run.error}`);
  }
  return lines.join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  process.chdir(ROOT);
  const onSignal = () => {
    void Promise.all([...cleanups].map((c) => c().catch(() => {}))).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  if (SETTINGS.build) build();
  else if (!fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) throw new Error('--no-build but there is no production build (.next/BUILD_ID)');

  const kinds: DbKind[] = SETTINGS.only ? [SETTINGS.only] : ['pglite', 'postgres'];
  const runs: Partial<Record<DbKind, DbRun>> = {};
  for (const kind of kinds) runs[kind] = await benchDatabase(kind);

  const cpus = os.cpus();
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryMb: Math.round(os.totalmem() / 1024 / 1024),
      node: process.version,
      serverNode: SETTINGS.runtime ? spawnSync(SETTINGS.runtime, ['-v'], { encoding: 'utf8' }).stdout.trim() : process.version,
      server: SETTINGS.server === 'main' ? 'server/main.ts' : 'next start',
      next: (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'next', 'package.json'), 'utf8')) as { version: string }).version,
      platform: `${os.type()} ${os.release()}`,
    },
    settings: {
      connections: SETTINGS.connections,
      durationS: SETTINGS.durationS,
      rounds: SETTINGS.rounds,
      warmupS: SETTINGS.warmupS,
      loadGenerator: 'autocannon, in the bench process on the same machine as the server',
      window:
        'per round one autocannon run per route (bare, then checked): warm-up, then the measured window, then a grace period (3 s; 1 s for one connection) on the same connections; the round with the median ratio is reported; ' +
        'req/s = responses completed in the window; latency = requests sent in the window; non-2xx/errors counted over the whole run',
      proofs: SETTINGS.signInline ? 'inline' : 'pre-signed pool',
      serverNodeOptions: [START_NODE_OPTIONS, ...SETTINGS.serverNodeOptions].join(' ').trim() || null,
      rssSampling: `VmRSS of the next start process tree every ${RSS_SAMPLE_MS} ms, peak kept`,
    },
    goals: { throughputRatio: `≥ ${GOALS.minThroughputRatio}`, checkedP99Ms: `≤ ${GOALS.maxCheckedP99Ms}`, peakRssMb: GOALS.maxRssMb },
    runs,
  };
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  const file = path.resolve(ROOT, SETTINGS.out ?? path.join('bench', 'results.json'));
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

  console.log(`\nRenkei bench — ${results.date} — ${cpus.length} × ${results.machine.cpuModel}, server ${results.machine.server} on Node ${results.machine.serverNode}, next ${results.machine.next}`);
  console.log(`${SETTINGS.connections} connections, ${SETTINGS.durationS} s measured per route after ${SETTINGS.warmupS} s warm-up on the same connections`);
  console.log(table(runs));
  console.log(`\nwrote ${path.relative(ROOT, file)}`);

  // Loud failure for a run that measured nothing real; missed goals are reported, not failed.
  const invalid = Object.entries(runs).filter(([, run]) => !run.valid && !run.error?.startsWith('skipped'));
  if (invalid.length > 0) {
    console.error(`\nINVALID RUN (${invalid.map(([kind]) => kind).join(', ')}): see "error" in ${path.relative(ROOT, file)}`);
    process.exitCode = 1;
  }
}

main().catch(async (error: unknown) => {
  console.error(error);
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  process.exit(1);
});
