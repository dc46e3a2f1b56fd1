// The server under test: the production build, its environment, and starting, awaiting and
// stopping it as `npm start` runs it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { SETTINGS, type DbKind } from './args';
import { PGLITE_DIR, ROOT } from './config';
import { log, sleep } from './util';

export type Server = { child: ChildProcess; port: number; origin: string; output: string[]; exited: Promise<number | null> };

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

export function build(): void {
  log('next build …');
  const started = Date.now();
  const result = spawnSync(process.execPath, [nextBin(), 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
  log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

/** The app's environment on the bench's database, as the server and `npm run db:seed` get it. */
export function appEnv(kind: DbKind, databaseUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', RENKEI_MODE: 'sandbox' };
  // One provider and one link make every call: traffic limits far above the load, so nothing is
  // refused while the limiter's own cost (a counter per call) is still measured.
  env.RATE_LIMIT_PROVIDER_PER_S = '1000000';
  env.RATE_LIMIT_LINK_PER_S = '1000000';
  env.RATE_LIMIT_TOKEN_PER_S = '1000000';
  // The bench reads the server's GC and event-loop figures from /metrics around the open-loop runs.
  env.METRICS_TOKEN = BENCH_METRICS_TOKEN;
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

export async function startServer(kind: DbKind, databaseUrl: string | undefined, profileDir: string | undefined, onPort?: number): Promise<Server> {
  const port = onPort ?? (await freePort());
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

export async function waitReady(server: Server, timeoutMs = 120_000): Promise<number> {
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

export async function stopServer(server: Server): Promise<void> {
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
