import fs from 'node:fs';
import path from 'node:path';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { metrics } from '@/lib/observability/metrics';
import { applyAppRole } from './app-role';
import * as schema from './schema';
import { PgliteThread } from './pglite-client';
import { acquireDirLock } from './pglite-lock';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A query function takes `tx = db` so a domain operation can compose it in one transaction. */
export type Executor = Db | Tx;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  close: () => Promise<void>;
  /** This process's connections: the pool's size, and how many are serving a statement or transaction. */
  pool: () => Promise<{ max: number; inUse: number; idle: number }>;
};

const migrationsFolder = path.join(process.cwd(), 'drizzle');

/**
 * PGlite's PostgreSQL settings, added to its defaults: 16 MB of shared buffers instead of
 * PostgreSQL's 128 MB, all of which is resident in the WebAssembly heap from the moment PGlite
 * opens. The data lives in files (and the OS page cache) anyway; this database is small.
 * docs/decisions.md 24.
 */
export const PGLITE_START_PARAMS = ['-c', 'shared_buffers=16MB'];

/**
 * Embedded PostgreSQL, on a thread of its own (`PgliteThread`, docs/decisions.md 25). `dir` null =
 * in memory (tests).
 */
export async function openPglite(dir: string | null): Promise<Database> {
  const release = dir ? acquireDirLock(dir) : () => {};
  let thread: PgliteThread | null = null;
  try {
    const isNew = dir !== null && !fs.existsSync(path.join(dir, 'PG_VERSION'));
    thread = await PgliteThread.start(dir, PGLITE_START_PARAMS);
    let db = drizzlePglite(thread as never, { schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder });
    if (isNew) {
      // A new data folder: PGlite ran initdb in extra WebAssembly instances, which the first
      // instance keeps alive (≈ 450 MB). A new thread on the folder lets them go.
      await thread.close();
      thread = null;
      thread = await PgliteThread.start(dir, PGLITE_START_PARAMS);
      db = drizzlePglite(thread as never, { schema }) as unknown as Db;
    }
    const opened = thread;
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await opened.close();
        release();
      },
      // One connection, busy while a statement or transaction is in flight.
      pool: async () => ({ max: 1, inUse: opened.busy ? 1 : 0, idle: opened.busy ? 0 : 1 }),
    };
  } catch (error) {
    await thread?.close().catch(() => {});
    release();
    throw error;
  }
}

/**
 * `migrationUrl`: the schema owner's connection, for migrations (else `url`); `appRole`: the role
 * `url` signs in as, given its grant set after the migrations (lib/db/app-role.ts).
 */
export async function openPostgres(
  url: string,
  options: { max?: number; migrationUrl?: string; appRole?: string; connectTimeoutS?: number; statementTimeoutMs?: number } = {},
): Promise<Database> {
  // Several processes may start at once (tests, replicas): migrate on one connection under an advisory lock.
  const migrator = postgres(options.migrationUrl ?? url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(72737265)`;
    const owner = drizzlePostgres(migrator, { schema });
    await migratePostgres(owner, { migrationsFolder });
    if (options.appRole) await applyAppRole(owner as unknown as Db, options.appRole);
    await migrator`select pg_advisory_unlock(72737265)`;
  } finally {
    await migrator.end({ timeout: 5 });
  }
  const max = options.max ?? 10;
  // The server tells how this process's connections are used (pg_stat_activity, by application_name).
  const applicationName = `renkei:${process.pid}`;
  const client = countQueryErrors(postgres(url, poolOptions({ max, applicationName, connectTimeoutS: options.connectTimeoutS, statementTimeoutMs: options.statementTimeoutMs })));
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    close: () => client.end({ timeout: 5 }),
    pool: async () => {
      const rows = await client<{ state: string | null; n: number }[]>`
        select state, count(*)::int as n from pg_stat_activity where application_name = ${applicationName} and pid <> pg_backend_pid() group by state`;
      const idle = rows.filter((r) => r.state === 'idle').reduce((sum, r) => sum + r.n, 0);
      const inUse = rows.filter((r) => r.state !== 'idle').reduce((sum, r) => sum + r.n, 0);
      // The statement above borrowed one connection: it counts as in use.
      return { max, inUse: inUse + 1, idle };
    },
  };
}

type Sql = ReturnType<typeof postgres>;

/**
 * Seconds a pooled connection waits before it tries again after failing to connect (postgres-js
 * `backoff`, by the pool's count of failures in a row): 0.015–0.03 s at first, never more than 1 s.
 * The driver's own rule grows to 20 s, and a query waits that long in the queue before the next
 * attempt even starts — with PostgreSQL stopped for 10 s, requests hung for 16 s and then
 * succeeded, instead of answering 503 at once (`npm run faults`, issue 13 §3).
 */
export function reconnectDelayS(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(3 ** failures / 100, 1);
}

/**
 * The pool's settings. Fail fast when the database is away (issue 13): a connection attempt gives
 * up after 5 s, a failed one is retried within a second (reconnectDelayS), and no statement runs
 * longer than 30 s, so a request answers 503 rather than hanging, and recovers by itself.
 */
export function poolOptions(o: { max: number; applicationName: string; connectTimeoutS?: number; statementTimeoutMs?: number }) {
  return {
    max: o.max,
    onnotice: () => {},
    connect_timeout: o.connectTimeoutS ?? 5,
    backoff: reconnectDelayS,
    connection: { application_name: o.applicationName, statement_timeout: o.statementTimeoutMs ?? 30_000 },
  } satisfies postgres.Options<Record<string, postgres.PostgresType>>;
}

/**
 * Counts failed statements (renkei_db_query_errors_total): each query postgres-js hands drizzle,
 * on the pool and inside transactions, reports its rejection before passing it on. The query is
 * not run any earlier: only its own `then` is wrapped.
 */
function countQueryErrors(client: Sql): Sql {
  const watch = (sql: Sql) => {
    const unsafe = sql.unsafe;
    sql.unsafe = ((...args: Parameters<Sql['unsafe']>) => {
      const query = unsafe.apply(sql, args);
      const then = query.then.bind(query);
      query.then = ((onFulfilled, onRejected) =>
        then(onFulfilled, (error: unknown) => {
          metrics.dbQueryErrors.inc();
          if (onRejected) return onRejected(error);
          throw error;
        })) as typeof query.then;
      return query;
    }) as Sql['unsafe'];
  };
  watch(client);
  const begin = client.begin;
  client.begin = ((...args: unknown[]) => {
    const callback = args[args.length - 1] as (tx: Sql) => unknown;
    const wrapped = (tx: Sql) => {
      watch(tx);
      return callback(tx);
    };
    return (begin as (...a: unknown[]) => unknown).apply(client, [...args.slice(0, -1), wrapped]);
  }) as Sql['begin'];
  return client;
}

/**
 * A statement built once per database handle (drizzle's `.prepare()`), for hot paths: building a
 * query with drizzle costs more than running a key lookup on it.
 */
export function preparedPerDb<T>(build: (db: Db) => T): (db: Db) => T {
  const statements = new WeakMap<Db, T>();
  return (db) => {
    let statement = statements.get(db);
    if (statement === undefined) statements.set(db, (statement = build(db)));
    return statement;
  };
}

/** The rows of `db.execute`: postgres-js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

