// Report: the results file (bench/results.json, or --out) and the summary printed after a run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SETTINGS, type DbKind } from './args';
import { GOALS, ROOT, RSS_SAMPLE_MS, START_NODE_OPTIONS } from './config';
import type { DbRun, Goal } from './db-run';

function table(runs: Partial<Record<DbKind, DbRun>>): string {
  const lines: string[] = [];
  const pad = (s: string, n: number) => s.padEnd(n);
  const lpad = (s: string, n: number) => s.padStart(n);
  const mark = (g: Goal | undefined) => (g ? (g.met ? 'met' : 'MISSED') : '');
  for (const [kind, run] of Object.entries(runs) as [DbKind, DbRun][]) {
    lines.push('', `${kind}: ${run.database}`);
    if (!run.checked || !run.bare) {
      lines.push(`  no figures: ${run.error ?? 'not run'}`);
      continue;
    }
    lines.push(`  ${pad('', 32)}${lpad('req/s', 9)}${lpad('p50 ms', 9)}${lpad('p90 ms', 9)}${lpad('p99 ms', 9)}${lpad('max ms', 9)}${lpad('non-2xx', 9)}`);
    for (const [label, m] of [
      ['checked GET …/balance (DPoP)', run.checked],
      ['bare GET /api/health', run.bare],
    ] as const) {
      lines.push(`  ${pad(label, 32)}${lpad(m.requestsPerSec.toFixed(0), 9)}${lpad(String(m.latencyMs.p50), 9)}${lpad(String(m.latencyMs.p90), 9)}${lpad(String(m.latencyMs.p99), 9)}${lpad(String(m.latencyMs.max), 9)}${lpad(String(m.non2xx), 9)}`);
    }
    const g = run.goals!;
    lines.push(`  throughput ratio ${(run.throughputRatio! * 100).toFixed(1)} % (goal ≥ ${g.throughputRatio.target * 100} %: ${mark(g.throughputRatio)})`);
    if (run.rounds && run.rounds.length > 1) {
      const each = run.rounds.map((r) => `${r.checkedRequestsPerSec}/${r.bareRequestsPerSec} = ${(r.ratio * 100).toFixed(1)} %${r.reported ? ' (reported)' : ''}`);
      lines.push(`  rounds (checked/bare req/s): ${each.join(', ')}`);
    }
    lines.push(`  checked p99 ${run.checked.latencyMs.p99} ms at ${SETTINGS.connections} connections (closed: the queue, not the service)`);
    if (run.openLoop) {
      const o = run.openLoop;
      lines.push(`  open loop at ${o.ratePerSec} req/s (half the checked rate), p50 / p99 / max ms:`);
      for (const [label, m] of [
        ['checked, paced', o.checked],
        ['bare, paced', o.bare],
        [`checked, autocannon overallRate (${o.checkedAutocannon.connections} conn.)`, o.checkedAutocannon],
      ] as const) {
        lines.push(`    ${pad(label, 44)}${lpad(String(m.latencyMs.p50), 8)}${lpad(String(m.latencyMs.p99), 8)}${lpad(String(m.latencyMs.max), 8)}  (${m.requestsPerSec.toFixed(0)} req/s${m.sendLagMaxMs !== undefined ? `, send lag ≤ ${m.sendLagMaxMs} ms, ≤ ${m.inFlightMax} in flight` : ''}${m.cpu ? `, server ${m.cpu.serverCores} cores` : ''})`);
        if (m.server) {
          const gc = Object.entries(m.server.gc).map(([kind, g]) => `${kind} ${g.pauses} × = ${g.totalMs} ms${g.over100Ms ? ` (${g.over100Ms} over 100 ms)` : ''}`);
          lines.push(`      server: event loop delayed up to ${m.server.eventLoopDelayMaxMs} ms; GC ${gc.join(', ') || 'none'}`);
        }
      }
      lines.push(`  open-loop checked p99 ${o.checked.latencyMs.p99} ms (goal ≤ ${g.openLoopCheckedP99Ms.target} ms: ${mark(g.openLoopCheckedP99Ms)})`);
    }
    const r = run.rssMb!;
    if (run.firstStart) {
      const f = run.firstStart;
      if (run.prepare) lines.push(`  npm run db:seed on the new database (its own process, then gone): ${(run.prepare.ms / 1000).toFixed(1)} s, peak RSS ${run.prepare.peakRssMb} MB`);
      lines.push(`  first start of the server on the prepared database: peak RSS ${f.peakRssMb} MB (goal ≤ ${g.firstStartPeakRssMb.target} MB: ${mark(g.firstStartPeakRssMb)}), ${f.rssMbOneSecondLater} MB 1 s after ready (${(f.readyMs / 1000).toFixed(1)} s)`);
    }
    lines.push(`  server peak RSS ${run.peakRssMb} MB (goal ≤ ${g.peakRssMb.target} MB: ${mark(g.peakRssMb)}) — start-up peak ${r.startupPeak}, idle when ready ${r.readyIdle}, under load ${r.underLoadPeak}, after ${r.afterLoad} MB`);
    if (run.unloaded) {
      const u = run.unloaded;
      lines.push(`  one connection: checked p50 ${u.checked.latencyMs.p50} / p99 ${u.checked.latencyMs.p99} ms (${u.checked.requestsPerSec.toFixed(0)} req/s), bare p50 ${u.bare.latencyMs.p50} / p99 ${u.bare.latencyMs.p99} ms (${u.bare.requestsPerSec.toFixed(0)} req/s)`);
    }
    for (const [label, m] of [['checked', run.checked], ['bare', run.bare]] as const) {
      if (m.cpu) lines.push(`  cores busy during the ${label} run: server ${m.cpu.serverCores}, load generator ${m.cpu.loadGeneratorCores}, other processes ${m.cpu.otherCores}`);
    }
    lines.push(`  opening of the runs (first requests of new connections, not in the figures): slowest ${run.checked.connectionStartMaxMs} ms checked, ${run.bare.connectionStartMaxMs} ms bare`);
    if (run.proofPool?.signedInline) lines.push(`  note: the proof pool ran out; ${run.proofPool.signedInline} proofs were signed inline`);
    if (!run.valid) lines.push(`  INVALID: ${run.error}`);
  }
  return lines.join('\n');
}

/** Writes the results file and prints the summary; returns the file's path. */
export function report(runs: Partial<Record<DbKind, DbRun>>): string {
  const cpus = os.cpus();
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryMb: Math.round(os.totalmem() / 1024 / 1024),
      node: process.version,
      serverNode: SETTINGS.runtime ? spawnSync(SETTINGS.runtime, ['-v'], { encoding: 'utf8' }).stdout.trim() : process.version,
      server: SETTINGS.server === 'main' ? 'server/main.ts' : 'next start',
      next: (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'next', 'package.json'), 'utf8')) as { version: string }).version,
      platform: `${os.type()} ${os.release()}`,
    },
    settings: {
      connections: SETTINGS.connections,
      durationS: SETTINGS.durationS,
      rounds: SETTINGS.rounds,
      warmupS: SETTINGS.warmupS,
      loadGenerator: 'autocannon, in the bench process on the same machine as the server',
      window:
        'per round one autocannon run per route (bare, then checked): warm-up, then the measured window, then a grace period (3 s; 1 s for one connection) on the same connections; the round with the median ratio is reported; ' +
        'req/s = responses completed in the window; latency = requests sent in the window; non-2xx/errors counted over the whole run',
      proofs: SETTINGS.signInline ? 'inline' : 'pre-signed pool',
      serverNodeOptions: [START_NODE_OPTIONS, ...SETTINGS.serverNodeOptions].join(' ').trim() || null,
      rssSampling: `VmRSS of the next start process tree every ${RSS_SAMPLE_MS} ms, peak kept`,
    },
    goals: { throughputRatio: `≥ ${GOALS.minThroughputRatio}`, openLoopCheckedP99Ms: `≤ ${GOALS.maxCheckedP99Ms} (paced open loop at half the checked rate)`, peakRssMb: GOALS.maxRssMb },
    runs,
  };
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  const file = path.resolve(ROOT, SETTINGS.out ?? path.join('bench', 'results.json'));
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

  console.log(`\nRenkei bench — ${results.date} — ${cpus.length} × ${results.machine.cpuModel}, server ${results.machine.server} on Node ${results.machine.serverNode}, next ${results.machine.next}`);
  console.log(`${SETTINGS.connections} connections, ${SETTINGS.durationS} s measured per route after ${SETTINGS.warmupS} s warm-up on the same connections`);
  console.log(table(runs));
  console.log(`\nwrote ${path.relative(ROOT, file)}`);
  return file;
}
