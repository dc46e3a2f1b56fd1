// One database, start to end: create it, prepare it, start the server on it once, then measure a
// second server on it, and clean up, whatever failed on the way.
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS, type DbKind } from '../args';
import { PGLITE_DIR, ROOT } from '../config';
import { freshPgliteDir, postgresServer, prepareDatabase } from '../databases';
import type { DbRun } from '../db-run';
import { RssSampler } from '../memory';
import { startServer, stopServer } from '../server';
import { cleanups, log } from '../util';
import { firstStart } from './first-start';
import { measureServer } from './measured';

export async function benchDatabase(kind: DbKind): Promise<DbRun> {
  let databaseUrl: string | undefined;
  let database = 'PGlite 0.5 (embedded: a worker thread of the server process)';
  if (kind === 'postgres') {
    const pg = await postgresServer();
    if ('unreachable' in pg) {
      log(`PostgreSQL unreachable: ${pg.unreachable} — skipped`);
      return { database: 'PostgreSQL server', valid: false, error: `skipped: PostgreSQL unreachable (${pg.unreachable})` };
    }
    databaseUrl = pg.url;
    database = `PostgreSQL ${pg.version} (${new URL(pg.url).host}, fresh database ${new URL(pg.url).pathname.slice(1)})`;
    cleanups.add(pg.drop);
  } else {
    freshPgliteDir();
  }
  // In ./data (git-ignored): V8 .cpuprofile files of the measured server, for Chrome DevTools or speedscope.
  const profileDir = SETTINGS.profile ? path.join(ROOT, 'data', 'bench-profiles', kind) : undefined;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });

  const run: DbRun = { database, valid: false };

  // The database is prepared as `npm run demo` prepares it (`npm run db:seed` in its own process:
  // migrations, seed, initdb on a new PGlite folder), then the server's first start on it, then
  // stop: the measured server starts on the prepared database, as a server normally does. All three
  // are reported.
  log(`${kind}: npm run db:seed on the new database (${database})`);
  try {
    run.prepare = await prepareDatabase(kind, databaseUrl);
    log(`${kind}: prepared in ${(run.prepare.ms / 1000).toFixed(1)} s, peak RSS of that process ${run.prepare.peakRssMb} MB`);
  } catch (error) {
    run.error = `db:seed: ${error instanceof Error ? error.message : String(error)}`;
    for (const cleanup of [...cleanups]) await cleanup();
    cleanups.clear();
    return run;
  }
  await firstStart(kind, databaseUrl, run);
  if (run.error) {
    for (const cleanup of [...cleanups]) await cleanup();
    cleanups.clear();
    return run;
  }

  log(`${kind}: starting next start on the prepared database`);
  const server = await startServer(kind, databaseUrl, profileDir);
  const stop = () => stopServer(server);
  cleanups.add(stop);
  const sampler = new RssSampler(server.child.pid!);
  sampler.start();
  try {
    await measureServer(kind, server, sampler, run);
  } catch (error) {
    run.valid = false;
    run.error = error instanceof Error ? error.message : String(error);
  } finally {
    sampler.stop();
    run.peakRssMb ??= Math.round(sampler.peakKb / 1024);
    await stop();
    cleanups.delete(stop);
    if (profileDir) run.profile = path.relative(ROOT, profileDir);
  }
  for (const cleanup of [...cleanups]) {
    await cleanup();
    cleanups.delete(cleanup);
  }
  if (kind === 'pglite') fs.rmSync(path.join(ROOT, 'data', PGLITE_DIR), { recursive: true, force: true });
  return run;
}
