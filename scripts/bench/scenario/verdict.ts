// The verdict on one database's run: which goals its figures meet, and whether it measured what
// it meant to (every response a 2xx, no connection errors, the same proxy on both routes).
import type { DbKind } from '../args';
import { GOALS } from '../config';
import type { DbRun, Goal } from '../db-run';
import type { Measured } from '../load';
import type { OpenLoopMeasured } from '../open-loop';

/** One bare run and one checked run, back to back. */
export type Round = { bare: Measured; checked: Measured };

export function goalsOf(kind: DbKind, actual: { throughputRatio: number; openLoopCheckedP99Ms: number; peakRssMb: number; firstStartPeakRssMb: number }): NonNullable<DbRun['goals']> {
  const ratio: Goal = { target: GOALS.minThroughputRatio, actual: actual.throughputRatio, met: actual.throughputRatio >= GOALS.minThroughputRatio };
  const p99: Goal = { target: GOALS.maxCheckedP99Ms, actual: actual.openLoopCheckedP99Ms, met: actual.openLoopCheckedP99Ms <= GOALS.maxCheckedP99Ms };
  const rss: Goal = { target: GOALS.maxRssMb[kind], actual: actual.peakRssMb, met: actual.peakRssMb <= GOALS.maxRssMb[kind] };
  const firstPeak = actual.firstStartPeakRssMb;
  const firstRss: Goal = { target: GOALS.maxRssMb[kind], actual: firstPeak, met: firstPeak <= GOALS.maxRssMb[kind] };
  return { throughputRatio: ratio, openLoopCheckedP99Ms: p99, peakRssMb: rss, firstStartPeakRssMb: firstRss, allMet: ratio.met && p99.met && rss.met && firstRss.met };
}

/**
 * A run whose checked read was refused (401s from a replayed or stale proof, …) measured the
 * wrong thing: it is invalid, whatever its figures. Records run.valid and, if not, run.error.
 */
export function recordValidity(run: DbRun, rounds: Round[], unloaded: { checked: Measured; bare: Measured }, openLoop: OpenLoopMeasured[]): void {
  const { checked: unloadedChecked, bare: unloadedBare } = unloaded;
  const problems: string[] = [];
  for (const [i, r] of rounds.entries()) {
    if (r.checked.non2xx > 0) problems.push(`checked read (round ${i + 1}): ${r.checked.non2xx} non-2xx responses ${JSON.stringify(r.checked.statusCodes)}`);
    if (r.bare.non2xx > 0) problems.push(`bare route (round ${i + 1}): ${r.bare.non2xx} non-2xx responses ${JSON.stringify(r.bare.statusCodes)}`);
    for (const [label, m] of [['checked read', r.checked], ['bare route', r.bare]] as const) {
      if (m.errors > 0 || m.timeouts > 0) problems.push(`${label} (round ${i + 1}): ${m.errors} connection errors, ${m.timeouts} timeouts`);
    }
  }
  if (unloadedChecked.non2xx > 0) problems.push(`checked read (one connection): ${unloadedChecked.non2xx} non-2xx responses ${JSON.stringify(unloadedChecked.statusCodes)}`);
  if (unloadedBare.non2xx > 0) problems.push(`bare route (one connection): ${unloadedBare.non2xx} non-2xx responses ${JSON.stringify(unloadedBare.statusCodes)}`);
  for (const [label, m] of [['checked read (one connection)', unloadedChecked], ['bare route (one connection)', unloadedBare]] as const) {
    if (m.errors > 0 || m.timeouts > 0) problems.push(`${label}: ${m.errors} connection errors, ${m.timeouts} timeouts`);
  }
  for (const m of openLoop) {
    if (m.non2xx > 0 || m.errors > 0) problems.push(`open loop (${m.generator}): ${m.non2xx} non-2xx ${JSON.stringify(m.statusCodes)}, ${m.errors} errors`);
  }
  if (!run.proxyHeadersOnBoth) problems.push('proxy.ts did not set the same headers on both routes');
  run.valid = problems.length === 0;
  if (!run.valid) run.error = problems.join('; ');
}
