// The databases: a fresh one on the PostgreSQL server or a fresh PGlite folder, prepared by
// `npm run db:seed` as `npm run demo` prepares it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import type { DbKind } from './args';
import { PG_ADMIN_URL, PGLITE_DIR, ROOT } from './config';
import { RssSampler } from './memory';
import { appEnv } from './server';
import { log } from './util';

/**
 * `npm run db:seed` on the new database, as `npm run demo` runs it before the server: migrations,
 * the sandbox seed and, on a new PGlite folder, initdb, in a process of its own that exits.
 */
export async function prepareDatabase(kind: DbKind, databaseUrl: string | undefined): Promise<{ ms: number; peakRssMb: number }> {
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

export async function postgresServer(): Promise<{ url: string; version: string; drop: () => Promise<void> } | { unreachable: string }> {
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

export function freshPgliteDir(): void {
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
