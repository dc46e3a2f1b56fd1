// The server's first start on the prepared database: how long until it answers and its memory,
// then stopped. Records run.firstStart, or run.error if it never became ready.
import type { DbKind } from '../args';
import type { DbRun } from '../db-run';
import { RssSampler } from '../memory';
import { startServer, stopServer, waitReady } from '../server';
import { cleanups, log, sleep } from '../util';

export async function firstStart(kind: DbKind, databaseUrl: string | undefined, run: DbRun): Promise<void> {
  log(`${kind}: first start of the server on the prepared database`);
  const first = await startServer(kind, databaseUrl, undefined);
  const stopFirst = () => stopServer(first);
  cleanups.add(stopFirst);
  const firstSampler = new RssSampler(first.child.pid!);
  firstSampler.start();
  try {
    const readyMs = await waitReady(first);
    await sleep(1_000);
    run.firstStart = { readyMs, peakRssMb: Math.round(firstSampler.peakKb / 1024), rssMbOneSecondLater: Math.round(firstSampler.lastKb / 1024) };
    log(`${kind}: first start ready in ${(readyMs / 1000).toFixed(1)} s, RSS ${run.firstStart.rssMbOneSecondLater} MB (peak ${run.firstStart.peakRssMb} MB)`);
  } catch (error) {
    run.error = `first start: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    firstSampler.stop();
    await stopFirst();
    cleanups.delete(stopFirst);
  }
}
