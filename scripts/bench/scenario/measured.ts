// The measured server: once it is ready, the bare route, then one connection on each route, then
// the checked read, then more rounds of both; the round with the median ratio is reported.
import os from 'node:os';
import { SETTINGS, type DbKind } from '../args';
import { OPEN_LOOP_WARMUP_S, RSS_SAMPLE_MS, UNLOADED_S, UNLOADED_WARMUP_S } from '../config';
import type { DbRun } from '../db-run';
import { drain, measure, type Measured } from '../load';
import { autocannonOpenLoop, pacedOpenLoop } from '../open-loop';
import type { RssSampler } from '../memory';
import { waitReady, type Server } from '../server';
import { log, sleep } from '../util';
import { checkedProofs } from './proofs';
import { linkAndCheck } from './target';
import { goalsOf, recordValidity, type Round } from './verdict';

/** Fills `run` with the figures of `server` (sampled by `sampler`); throws if a step fails. */
export async function measureServer(kind: DbKind, server: Server, sampler: RssSampler, run: DbRun): Promise<void> {
  run.startupMs = await waitReady(server);
  const readyIdleKb = sampler.lastKb;
  log(`${kind}: ready in ${(run.startupMs / 1000).toFixed(1)} s, RSS ${Math.round(readyIdleKb / 1024)} MB`);

  const target = await linkAndCheck(kind, server, run);
  const { checkedPath, barePath } = target;
  const proofs = checkedProofs(run, target);
  const startupPeakKb = sampler.mark();
  const loaded = { connections: SETTINGS.connections, warmupS: SETTINGS.warmupS, windowS: SETTINGS.durationS, serverPids: () => sampler.pids };

  // The bare route first (it also warms Next's shared request path), then one connection on each
  // route: the service time of a single request with nothing queued, and the checked read's rate
  // that sizes the proof pool.
  run.loadAverageBefore = os.loadavg().map((l) => Math.round(l * 100) / 100);
  log(`${kind}: bare GET ${barePath}: ${SETTINGS.connections} connections, ${SETTINGS.warmupS} s warm-up + ${SETTINGS.durationS} s measured`);
  const bare = await measure(server.port, barePath, () => ({}), loaded);
  await drain(server.origin);
  const underLoadBareKb = sampler.mark();

  log(`${kind}: one connection on each route, ${UNLOADED_WARMUP_S} s warm-up + ${UNLOADED_S} s measured`);
  const single = { connections: 1, warmupS: UNLOADED_WARMUP_S, windowS: UNLOADED_S, serverPids: () => sampler.pids };
  const unloadedBare = await measure(server.port, barePath, () => ({}), single);
  await drain(server.origin);
  // Proofs signed inline here: setupRequest runs before autocannon starts a request's clock.
  const unloadedChecked = await measure(server.port, checkedPath, proofs.inlineHeaders, single);
  await drain(server.origin);
  const pick = (m: Measured) => ({ requestsPerSec: m.requestsPerSec, latencyMs: m.latencyMs, non2xx: m.non2xx });
  run.unloaded = { connections: 1, durationS: UNLOADED_S, checked: pick(unloadedChecked), bare: pick(unloadedBare) };

  const checkedHeaders = () => proofs.checkedHeaders(unloadedChecked.requestsPerSec);
  log(`${kind}: checked GET ${checkedPath}: ${SETTINGS.connections} connections, ${SETTINGS.warmupS} s warm-up + ${SETTINGS.durationS} s measured`);
  const firstChecked = await measure(server.port, checkedPath, checkedHeaders(), loaded);

  // More rounds, alternating the routes, so that one noisy window does not decide the ratio: the
  // reported round is the one with the median ratio.
  const rounds: Round[] = [{ bare, checked: firstChecked }];
  for (let round = 2; round <= SETTINGS.rounds; round++) {
    await drain(server.origin);
    log(`${kind}: round ${round} of ${SETTINGS.rounds}: bare, then checked`);
    const roundBare = await measure(server.port, barePath, () => ({}), loaded);
    await drain(server.origin);
    const roundChecked = await measure(server.port, checkedPath, checkedHeaders(), loaded);
    rounds.push({ bare: roundBare, checked: roundChecked });
  }
  const ratioOf = (r: Round) => r.checked.requestsPerSec / r.bare.requestsPerSec;
  const median = [...rounds].sort((a, b) => ratioOf(a) - ratioOf(b))[Math.floor((rounds.length - 1) / 2)]!;
  const { checked } = median;

  // Open loop at half the checked read's capacity (the median round's rate): the service's latency
  // when requests arrive on their own schedule, as a provider's do, not the queue of a closed run.
  // The bare route at the same rate beside it; then autocannon's overallRate at that rate.
  const rate = Math.max(1, Math.round(checked.requestsPerSec / 2));
  const open = { ratePerSec: rate, warmupS: OPEN_LOOP_WARMUP_S, windowS: SETTINGS.durationS, serverPids: () => sampler.pids, connections: SETTINGS.connections, origin: server.origin };
  await drain(server.origin);
  log(`${kind}: open loop at ${rate} req/s (half the checked read's ${checked.requestsPerSec}): checked, bare, then autocannon overallRate`);
  const openHeaders = checkedHeaders();
  const openChecked = await pacedOpenLoop(server.port, checkedPath, openHeaders, open);
  await drain(server.origin);
  const openBare = await pacedOpenLoop(server.port, barePath, () => ({}), open);
  await drain(server.origin);
  const openAutocannon = await autocannonOpenLoop(server.port, checkedPath, openHeaders, open);
  run.openLoop = { ratePerSec: rate, checked: openChecked, bare: openBare, checkedAutocannon: openAutocannon };
  if (run.proofPool) run.proofPool.signedInline = proofs.inlineCount();
  run.rounds = rounds.map((r) => ({
    bareRequestsPerSec: r.bare.requestsPerSec,
    checkedRequestsPerSec: r.checked.requestsPerSec,
    checkedP99Ms: r.checked.latencyMs.p99,
    ratio: Math.round(ratioOf(r) * 1000) / 1000,
    reported: r === median,
  }));
  await sleep(RSS_SAMPLE_MS * 2);
  const underLoadPeakKb = Math.max(underLoadBareKb, sampler.mark());
  const afterLoadKb = sampler.lastKb;

  run.checked = { path: '/api/v1/accounts/{id}/balance', ...checked };
  run.bare = { path: barePath, ...median.bare };
  run.throughputRatio = Math.round(ratioOf(median) * 1000) / 1000;
  run.peakRssMb = Math.round(sampler.peakKb / 1024);
  const mb = (kb: number) => Math.round(kb / 1024);
  run.rssMb = { readyIdle: mb(readyIdleKb), startupPeak: mb(startupPeakKb), underLoadPeak: mb(underLoadPeakKb), afterLoad: mb(afterLoadKb) };
  run.serverProcesses = { max: sampler.maxProcesses, commands: [...sampler.commands] };
  run.goals = goalsOf(kind, { throughputRatio: run.throughputRatio, openLoopCheckedP99Ms: openChecked.latencyMs.p99, peakRssMb: run.peakRssMb, firstStartPeakRssMb: run.firstStart!.peakRssMb });
  recordValidity(run, rounds, { checked: unloadedChecked, bare: unloadedBare }, [openChecked, openBare, openAutocannon]);
}
