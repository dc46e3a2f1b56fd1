// `npm run bench -- --sign-in`: customers' sign-ins per second per core (issue 13 §5), beside
// Keycloak's published sizing (about 15 password sign-ins a second per vCPU).
//
//   npm run bench -- --sign-in [--no-build] [--connections=8] [--warmup=8] [--duration=10]
//
// One production server on a fresh PostgreSQL database (as the main bench prepares it) with
// SIGN_IN_USERS extra customers, each with its own one-time-password secret: a code is accepted
// once per 30-s step and customer (lib/auth/sign-in.ts), so every sign-in of the run is a
// different customer. A sign-in is what a browser without JavaScript does on the real form,
// four requests: GET /login, POST the logon ID and password (argon2id, 19 MiB, t=2; a challenge
// cookie and 303), GET /login/otp, POST the one-time password (the session row, next-auth's
// cookie and 303). Server Actions post as the page's own form does (its hidden action fields).
// Per core = sign-ins a second ÷ the cores the server's process used in the window (/proc).
// Writes bench/sign-in-results.json.
import { generate, generateSecret } from 'otplib';
import postgres from 'postgres';
import { hashPassword } from '../../lib/auth/password';
import { SETTINGS } from './args';
import { cpuBetween, cpuSnapshot } from './cpu';
import { withFreshPostgresServer } from './fresh-server';
import { log, machine, writeResults } from './util';

const KEYCLOAK_SIGN_INS_PER_VCPU = 15;
const SIGN_IN_USERS = 4000;
const PASSWORD = 'bench-Pass-2026';
const CONNECTIONS = Number(process.argv.find((a) => a.startsWith('--connections='))?.slice(14) ?? 8);

type BenchUser = { logonId: string; secret: string };

/** The bench's customers, registered for direct banking, their TOTP secrets as issued (the server seals them at start-up). */
async function addUsers(url: string): Promise<BenchUser[]> {
  const users = Array.from({ length: SIGN_IN_USERS }, (_, i) => ({ logonId: `bench-signin-${String(i).padStart(5, '0')}`, secret: generateSecret() }));
  const passwordHash = await hashPassword(PASSWORD);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      const rows = await tx<{ id: string; logon_id: string }[]>`
        insert into customers (customer_number, logon_id, name_ja, name_kana, name_en, direct_banking_registered)
        select 'B' || lpad(n::text, 6, '0'), 'bench-signin-' || lpad(n::text, 5, '0'), 'ベンチ 太郎', 'ベンチ タロウ', 'Taro Bench', true
        from generate_series(0, ${SIGN_IN_USERS - 1}) n
        returning id, logon_id`;
      const secretOf = new Map(users.map((u) => [u.logonId, u.secret]));
      const credentials = rows.map((r) => ({ customer_id: r.id, password_hash: passwordHash, totp_secret: secretOf.get(r.logon_id)! }));
      for (let i = 0; i < credentials.length; i += 1000) await tx`insert into credentials ${tx(credentials.slice(i, i + 1000))}`;
    });
  } finally {
    await sql.end();
  }
  return users;
}

/** The hidden fields of the page's form that holds `field` (the Server Action's id and state). */
function formFields(html: string, field: string): [string, string][] {
  const form = [...html.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]).find((f) => f.includes(`name="${field}"`));
  if (!form) throw new Error(`no form with a ${field} field`);
  const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)].map((m) => [decode(m[1]!), decode(m[2] ?? '')]);
}

function cookieOf(response: Response, name: string): string | undefined {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);
}

/** One sign-in through the form, four requests; throws unless it ends with a session cookie. */
async function signIn(origin: string, user: BenchUser): Promise<void> {
  const page = await fetch(`${origin}/login`);
  if (page.status !== 200) throw new Error(`GET /login: ${page.status}`);
  const step1 = new FormData();
  for (const [name, value] of formFields(await page.text(), 'password')) step1.append(name, value);
  step1.append('logonId', user.logonId);
  step1.append('password', PASSWORD);
  const password = await fetch(`${origin}/login`, { method: 'POST', body: step1, headers: { Origin: origin }, redirect: 'manual' });
  const challenge = cookieOf(password, 'renkei_login_challenge');
  if (password.status !== 303 || !challenge) throw new Error(`password step: ${password.status} ${(await password.text()).slice(0, 200)}`);
  await password.arrayBuffer();
  const otpPage = await fetch(`${origin}${password.headers.get('location')}`, { headers: { Cookie: challenge } });
  if (otpPage.status !== 200) throw new Error(`GET /login/otp: ${otpPage.status}`);
  const step2 = new FormData();
  for (const [name, value] of formFields(await otpPage.text(), 'otp')) step2.append(name, value);
  step2.append('otp', await generate({ secret: user.secret }));
  const otp = await fetch(`${origin}/login/otp?next=%2F`, { method: 'POST', body: step2, headers: { Origin: origin, Cookie: challenge }, redirect: 'manual' });
  await otp.arrayBuffer();
  if (otp.status !== 303 || !cookieOf(otp, 'authjs.session-token')) throw new Error(`one-time-password step: ${otp.status}`);
}

type Run = { signIns: number; failures: number; seconds: number; latencyMs: { p50: number; p99: number }; cpu?: ReturnType<typeof cpuBetween> };

/** `connections` customers signing in back to back for warm-up + window seconds; counts the sign-ins that end in the window. */
async function run(origin: string, users: BenchUser[], connections: number, warmupS: number, windowS: number, serverPids: () => number[]): Promise<Run> {
  const started = performance.now();
  const windowStart = started + warmupS * 1000;
  const windowEnd = windowStart + windowS * 1000;
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: unknown;
  let before: ReturnType<typeof cpuSnapshot> | undefined;
  let after: ReturnType<typeof cpuSnapshot> | undefined;
  const snapshots = (async () => {
    await new Promise((r) => setTimeout(r, warmupS * 1000));
    before = cpuSnapshot(serverPids());
    await new Promise((r) => setTimeout(r, windowS * 1000));
    after = cpuSnapshot(serverPids());
  })();
  const worker = async () => {
    while (performance.now() < windowEnd) {
      const user = users.pop();
      if (!user) throw new Error(`out of bench customers (${SIGN_IN_USERS}): lower --duration or --connections`);
      const t0 = performance.now();
      try {
        await signIn(origin, user);
        const t1 = performance.now();
        if (t1 >= windowStart && t1 <= windowEnd) latencies.push(t1 - t0);
      } catch (error) {
        failures++;
        firstFailure ??= error;
      }
    }
  };
  await Promise.all([snapshots, ...Array.from({ length: connections }, worker)]);
  if (firstFailure) log(`first failure: ${String(firstFailure)}`);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
  return { signIns: latencies.length, failures, seconds: windowS, latencyMs: { p50: at(0.5), p99: at(0.99) }, cpu: before && after ? cpuBetween(before, after) : undefined };
}

export async function signInBench(): Promise<void> {
  let users: BenchUser[] = [];
  await withFreshPostgresServer(
    'sign-in',
    async ({ pg, server, sampler }) => {
    const origin = server.origin;
    const pids = () => sampler.pids;
    const single = await run(origin, users, 1, 2, 4, pids);
    const loaded = await run(origin, users, CONNECTIONS, SETTINGS.warmupS, SETTINGS.durationS, pids);
    const perSec = Math.round((loaded.signIns / loaded.seconds) * 10) / 10;
    const serverCores = loaded.cpu?.serverCores ?? 0;
    const perCore = serverCores > 0 ? Math.round((perSec / serverCores) * 10) / 10 : 0;
    const valid = loaded.failures === 0 && single.failures === 0 && loaded.signIns > 0;
    const result = {
      when: new Date().toISOString(),
      machine: machine(pg.version),
      valid,
      requestsPerSignIn: 4,
      oneConnection: { signInsPerSec: Math.round((single.signIns / single.seconds) * 10) / 10, latencyMs: single.latencyMs },
      loaded: { connections: CONNECTIONS, signInsPerSec: perSec, latencyMs: loaded.latencyMs, failures: loaded.failures, cpu: loaded.cpu },
      perServerCore: perCore,
      keycloakPerVcpu: KEYCLOAK_SIGN_INS_PER_VCPU,
      ratioToKeycloak: Math.round((perCore / KEYCLOAK_SIGN_INS_PER_VCPU) * 100) / 100,
      peakRssMb: Math.round(sampler.peakKb / 1024),
    };
    log(`sign-ins: one connection ${result.oneConnection.signInsPerSec}/s (p50 ${single.latencyMs.p50} ms); ${CONNECTIONS} connections ${perSec}/s, p50 ${loaded.latencyMs.p50} / p99 ${loaded.latencyMs.p99} ms`);
    log(`server cores ${serverCores} → ${perCore} sign-ins/s per core (Keycloak's sizing: ${KEYCLOAK_SIGN_INS_PER_VCPU} per vCPU; ${result.ratioToKeycloak}×); load generator ${loaded.cpu?.loadGeneratorCores} cores`);
    log(`peak RSS ${result.peakRssMb} MB; ${valid ? 'valid' : `INVALID: ${loaded.failures + single.failures} failed sign-ins`}`);
    writeResults('sign-in-results.json', result);
    if (!valid) process.exitCode = 1;
    },
    async (url) => {
      users = await addUsers(url);
    },
  );
}
