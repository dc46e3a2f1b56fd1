// Migrations and the (idempotent) seed run once at start-up, before the server answers; then the
// housekeeping timer. `next build` never runs this, so the build never touches a database.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Keys a production server cannot answer without: refuse to start rather than fail at sign-in.
  const { totpKey } = await import('./lib/auth/totp-key');
  totpKey();
  const { initDb } = await import('./lib/db');
  await initDb();
  const { startHousekeeping } = await import('./lib/housekeeping');
  startHousekeeping();
  (await import('./lib/events/delivery')).startEventDelivery();
}
