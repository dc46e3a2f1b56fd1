import 'server-only';
import path from 'node:path';
import { env, isSandbox } from '@/lib/env';
import { openPglite, openPostgres, type Database, type Db } from './connect';
import { seedDatabase } from './seed';

export type { Db, Executor, Tx } from './connect';

// One database handle per process, on globalThis: Next loads modules several times (STACK-NOTES).
const globalForDb = globalThis as typeof globalThis & { __renkeiDb?: Promise<Database> };

async function open(): Promise<Database> {
  const database = env.DATABASE_URL
    ? await openPostgres(env.DATABASE_URL)
    : await openPglite(path.join(process.cwd(), 'data', env.PGLITE_DIR));
  await seedDatabase(database.db, { sandbox: isSandbox });
  return database;
}

/** Opens, migrates and seeds once; every caller awaits the same promise. */
export function initDb(): Promise<Database> {
  globalForDb.__renkeiDb ??= open().catch((error: unknown) => {
    globalForDb.__renkeiDb = undefined;
    throw error;
  });
  return globalForDb.__renkeiDb;
}

export async function getDb(): Promise<Db> {
  return (await initDb()).db;
}
