// Goals and fixed settings (SPEC: issue 4, item 6): what the figures are judged against, where the
// databases are, how often memory is sampled.
import fs from 'node:fs';
import path from 'node:path';
import type { DbKind } from './args';

/** The repository (this file is scripts/bench/config.ts). */
export const ROOT = path.resolve(__dirname, '..', '..');

export const GOALS = {
  /** Issue 13 §5 (was 0.6 in issue 4). */
  minThroughputRatio: 0.75,
  /** The checked read's p99 under an open loop at half its capacity (issue 13 §5). */
  maxCheckedP99Ms: 25,
  maxRssMb: { pglite: 400, postgres: 200 } as Record<DbKind, number>,
};
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const PGLITE_DIR = 'bench';
/** The flags scripts/start.sh gives the server's node (recorded with the results). */
export const START_NODE_OPTIONS = /NODE_OPTIONS="([^"$]*)/.exec(fs.readFileSync(path.join(ROOT, 'scripts', 'start.sh'), 'utf8'))?.[1]?.trim() ?? '';
export const RSS_SAMPLE_MS = 200;
export const UNLOADED_S = 3;
export const UNLOADED_WARMUP_S = 1;
export const OPEN_LOOP_WARMUP_S = 2;
