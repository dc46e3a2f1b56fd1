import { isSandbox } from '@/lib/env';
import type { Database, Db } from './connect';
import { openConfiguredDatabase } from './open';
import { seedDatabase } from './seed';

export type { Db, Executor, Tx } from './connect';

// One database handle per process, on globalThis: Next loads modules several times (STACK-NOTES).
const globalForDb = globalThis as typeof globalThis & { __renkeiDb?: Promise<Database>; __renkeiDbClosed?: boolean };

async function open(): Promise<Database> {
  const database = await openConfiguredDatabase();
  await seedDatabase(database.db, { sandbox: isSandbox });
  return database;
}

/** Opens, migrates and seeds once; every caller awaits the same promise. */
export function initDb(): Promise<Database> {
  if (globalForDb.__renkeiDbClosed) return Promise.reject(new Error('the database is closed: the server is shutting down'));
  globalForDb.__renkeiDb ??= open().catch((error: unknown) => {
    globalForDb.__renkeiDb = undefined;
    throw error;
  });
  return globalForDb.__renkeiDb;
}

export async function getDb(): Promise<Db> {
  return (await initDb()).db;
}

/** Shutdown: closes the database (PGlite: the thread stops and the folder lock is released). */
export async function closeDb(): Promise<void> {
  const opening = globalForDb.__renkeiDb;
  globalForDb.__renkeiDbClosed = true;
  if (!opening) return;
  globalForDb.__renkeiDb = undefined;
  const database = await opening.catch(() => null);
  await database?.close();
}

/** Which database this process uses, once open (readiness, metrics). */
export async function openDatabase(): Promise<Database | null> {
  const opening = globalForDb.__renkeiDb;
  return opening ? opening.catch(() => null) : null;
}
