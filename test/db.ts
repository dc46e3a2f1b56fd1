import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openPglite, openPostgres, type Database } from '@/lib/db/connect';
import { seedDatabase } from '@/lib/db/seed';

/**
 * A fresh database for one test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (created here, dropped on close).
 */
export async function openTestDatabase(options: { seed?: boolean; now?: Date } = {}): Promise<Database & { url?: string }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let database: Database & { url?: string };
  if (serverUrl) {
    const name = `renkei_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const opened = await openPostgres(url.toString(), { max: 20 }).catch(async (error: unknown) => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      throw error;
    });
    database = {
      ...opened,
      url: url.toString(),
      close: async () => {
        await opened.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  } else {
    database = await openPglite(null);
  }
  if (options.seed !== false) await seedDatabase(database.db, { sandbox: true, now: options.now });
  return database;
}

export const onServer = Boolean(process.env.TEST_DATABASE_URL);

/**
 * On the PostgreSQL server, a second handle on the same database with a pool of its own — what a
 * second instance of the app has (issue 13, races across instances). On PGlite there is one
 * process per data folder, so the one handle stands for both.
 */
export async function openSecondInstance(database: Database & { url?: string }): Promise<Database> {
  if (!database.url) return { ...database, close: async () => {} };
  return openPostgres(database.url, { max: 10 });
}
