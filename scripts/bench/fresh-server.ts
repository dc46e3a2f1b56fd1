// One production server on a fresh PostgreSQL database, prepared as the main bench prepares it:
// what the token and sign-in runs share (token.ts, sign-in.ts).
import path from 'node:path';
import { SETTINGS } from './args';
import { postgresServer, prepareDatabase } from './databases';
import { RssSampler } from './memory';
import { build, startServer, stopServer, waitReady, type Server } from './server';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type FreshServer = { pg: { url: string; version: string }; server: Server; sampler: RssSampler };

/**
 * Builds (unless --no-build), creates and prepares a database, runs `beforeStart` on it, starts the
 * server (profiled into data/bench-profiles/<name> with --profile) with its RSS sampled, runs
 * `work` once it is ready; then stops the server and drops the database, whatever happened.
 */
export async function withFreshPostgresServer(name: string, work: (fresh: FreshServer) => Promise<void>, beforeStart?: (url: string) => Promise<void>): Promise<void> {
  if (SETTINGS.build) build();
  const pg = await postgresServer();
  if ('unreachable' in pg) throw new Error(`PostgreSQL: ${pg.unreachable}`);
  try {
    await prepareDatabase('postgres', pg.url);
    await beforeStart?.(pg.url);
    const server = await startServer('postgres', pg.url, SETTINGS.profile ? path.join(ROOT, 'data', 'bench-profiles', name) : undefined);
    const sampler = new RssSampler(server.child.pid!);
    sampler.start();
    try {
      await waitReady(server);
      await work({ pg, server, sampler });
    } finally {
      sampler.stop();
      await stopServer(server);
    }
  } finally {
    await pg.drop();
  }
}
