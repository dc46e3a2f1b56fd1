import path from 'node:path';
import { env } from '@/lib/env';
import { openPglite, openPostgres, type Database } from './connect';

/** The configured database: the PostgreSQL server when DATABASE_URL is set, else PGlite in ./data/<PGLITE_DIR>. */
export function openConfiguredDatabase(): Promise<Database> {
  return env.DATABASE_URL
    ? openPostgres(env.DATABASE_URL, { migrationUrl: env.MIGRATION_DATABASE_URL, appRole: env.DATABASE_APP_ROLE })
    : openPglite(path.join(process.cwd(), 'data', env.PGLITE_DIR));
}
