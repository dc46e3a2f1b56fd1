import { isSandbox } from '@/lib/env';
import type { Database, Db } from './connect';
import { openConfiguredDatabase } from './open';
import { seedDatabase } from './seed';

export type { Db, Executor, Tx } from './connect';

// One database handle per process, on globalThis: Next loads modules several times (STACK-NOTES).
const globalForDb = globalThis as typeof globalThis & { __renkeiDb?: Promise<Database> };

async function open(): Promise<Database> {
  const database = await openConfiguredDatabase();
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
