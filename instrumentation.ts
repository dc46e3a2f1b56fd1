// Migrations and the (idempotent) seed run once at start-up, before the server answers; then the
// housekeeping and delivery timers, the metrics read from the database, and what the process must
// do before it exits (server/main.ts runs it on SIGTERM). `next build` never runs this, so the
// build never touches a database.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Keys a production server cannot answer without: refuse to start rather than fail at sign-in.
  const { totpKey } = await import('./lib/auth/totp-key');
  totpKey();
  const { initDb, closeDb, getDb } = await import('./lib/db');
  await initDb();
  const { startHousekeeping, stopHousekeeping } = await import('./lib/housekeeping');
  startHousekeeping();
  const { startEventDelivery, stopEventDelivery } = await import('./lib/events/delivery');
  startEventDelivery();
  (await import('./lib/observability/app-metrics')).registerAppMetrics();

  const { onShutdown } = await import('./lib/observability/lifecycle');
  const { flushAccessCounts } = await import('./lib/api/usage');
  onShutdown('stop housekeeping', 10, stopHousekeeping);
  onShutdown('stop event delivery (leases released)', 10, stopEventDelivery);
  onShutdown('flush usage counts', 50, async () => flushAccessCounts(await getDb()));
  const { flushCallStats } = await import('./lib/api/call-stats');
  onShutdown('flush call figures', 50, () => flushCallStats());
  onShutdown('close the database', 90, closeDb);
}
