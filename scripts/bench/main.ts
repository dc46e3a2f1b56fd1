// `npm run bench`: the provider API's consent-checked balance read against a bare route on the same
// production server, on the embedded database and on the PostgreSQL server. Writes
// bench/results.json and prints a summary. Not part of `npm test` or CI; see bench/README.md.
//
//   npx tsx scripts/bench/main.ts --scale [--sizes=10000,1000000] [--iterations=200] [--fresh] [--render [--profile]]
//     the hot queries at bank size instead (scale/main.ts, issue 13 §1)
//   npx tsx scripts/bench/main.ts --first-load [--no-build]
//     the first-load JS of the dashboard and the consent screen, gzipped (first-load.ts, issue 13 §5)
//   npx tsx scripts/bench/main.ts --token [--no-build] [--connections=16]
//     the token endpoint's refresh grants per second per core (token.ts, issue 13 §5)
//   npx tsx scripts/bench/main.ts --sign-in [--no-build] [--connections=8]
//     customers' sign-ins through the two-step form per second per core (sign-in.ts, issue 13 §5)
//   npx tsx scripts/bench/main.ts [--no-build] [--duration=10] [--warmup=8] [--connections=64]
//                                 [--only=pglite|postgres] [--sign-inline] [--profile]
//                                 [--server-node-options="--max-old-space-size=128 …"]
//
// Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server
// the script creates (and drops) a fresh database on; CHROMIUM_PATH overrides the browser.
//
// The parts: args.ts (the flags), config.ts (goals, fixed settings), server.ts (the server under
// test), databases.ts, link.ts + dpop.ts (the token and its proofs), load.ts (one measured
// autocannon run), cpu.ts + memory.ts (/proc), scenario/ (one database, start to end), report.ts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS, type DbKind } from './args';
import { firstLoadBench } from './first-load';
import { signInBench } from './sign-in';
import { tokenBench } from './token';
import { ROOT } from './config';
import type { DbRun } from './db-run';
import { report } from './report';
import { benchDatabase } from './scenario/database';
import { build } from './server';
import { cleanups } from './util';

async function main(): Promise<void> {
  process.chdir(ROOT);
  if (process.argv.includes('--first-load')) {
    // The JavaScript a first visit to the dashboard and the consent screen downloads (first-load.ts, issue 13 §5).
    await firstLoadBench();
    return;
  }
  if (process.argv.includes('--token')) {
    // The token endpoint's refresh grants per core (token.ts, issue 13 §5).
    await tokenBench();
    return;
  }
  if (process.argv.includes('--sign-in')) {
    // Sign-ins through the real two-step form per core (sign-in.ts, issue 13 §5).
    await signInBench();
    return;
  }
  if (process.argv.includes('--scale')) {
    // The hot queries at 10 k and 1 M customers (scale/main.ts): no server, the app's modules in this machine's Node with the react-server condition.
    const run = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(ROOT, 'scripts', 'bench', 'scale', 'main.ts'), ...process.argv.slice(2).filter((a) => a !== '--scale')], { stdio: 'inherit' });
    process.exitCode = run.status ?? 1;
    return;
  }
  const onSignal = () => {
    void Promise.all([...cleanups].map((c) => c().catch(() => {}))).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  if (SETTINGS.build) build();
  else if (!fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) throw new Error('--no-build but there is no production build (.next/BUILD_ID)');

  const kinds: DbKind[] = SETTINGS.only ? [SETTINGS.only] : ['pglite', 'postgres'];
  const runs: Partial<Record<DbKind, DbRun>> = {};
  for (const kind of kinds) runs[kind] = await benchDatabase(kind);

  const file = report(runs);

  // Loud failure for a run that measured nothing real; missed goals are reported, not failed.
  const invalid = Object.entries(runs).filter(([, run]) => !run.valid && !run.error?.startsWith('skipped'));
  if (invalid.length > 0) {
    console.error(`\nINVALID RUN (${invalid.map(([kind]) => kind).join(', ')}): see "error" in ${path.relative(ROOT, file)}`);
    process.exitCode = 1;
  }
}

main().catch(async (error: unknown) => {
  console.error(error);
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  process.exit(1);
});
