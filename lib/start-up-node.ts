// What instrumentation.ts runs at start-up in the Node.js runtime: migrations and the (idempotent)
// seed, then the housekeeping and delivery timers, the metrics read from the database, and what the
// process must do before it exits (server/main.ts runs the shutdown steps on SIGTERM).
import { flushCallStats } from './api/call-stats';
import { flushAccessCounts } from './api/usage';
import { totpKey } from './auth/totp-key';
import { closeDb, getDb, initDb } from './db';
import { PgliteDirLockedError } from './db/pglite-lock';
import { openAtStartUp } from './db/start-up';
import { startEventDelivery, stopEventDelivery } from './events/delivery';
import { startHousekeeping, stopHousekeeping } from './housekeeping';
import { registerAppMetrics } from './observability/app-metrics';
import { onShutdown } from './observability/lifecycle';
import { log } from './observability/logger';
import { refuseToStart } from './observability/refuse-to-start';

/** Anything that fails here ends the process (instrumentation.ts says why). */
export async function startNode(): Promise<void> {
  try {
    await start();
  } catch (error) {
    refuseToStart(error);
  }
}

async function start(): Promise<void> {
  // Keys a production server cannot answer without: refuse to start rather than fail at sign-in.
  totpKey();
  await openAtStartUp(initDb, {
    attempts: Number(process.env.DB_OPEN_ATTEMPTS ?? 5),
    initialDelayMs: 1_000,
    maxDelayMs: 8_000,
    retry: (error) => !(error instanceof PgliteDirLockedError),
    warn: (line) => log('start-up').warn(line),
  });
  startHousekeeping();
  startEventDelivery();
  registerAppMetrics();

  onShutdown('stop housekeeping', 10, stopHousekeeping);
  onShutdown('stop event delivery (leases released)', 10, stopEventDelivery);
  onShutdown('flush usage counts', 50, async () => flushAccessCounts(await getDb()));
  onShutdown('flush call figures', 50, () => flushCallStats());
  onShutdown('close the database', 90, closeDb);
}
