import { getDb } from '@/lib/db';
import { purgeExpiredOauthRecords } from '@/lib/oauth/adapter';

const PURGE_EVERY_MS = 10 * 60 * 1000;
const globalForJobs = globalThis as typeof globalThis & { __renkeiHousekeeping?: NodeJS.Timeout };

/** Periodic clean-up in the server process: expired codes, tokens and DPoP/assertion replay records. */
export function startHousekeeping(): void {
  if (globalForJobs.__renkeiHousekeeping) return;
  const run = async () => {
    try {
      const removed = await purgeExpiredOauthRecords(await getDb());
      if (removed > 0) console.info(`[housekeeping] purged ${removed} expired authorization server records`);
    } catch (error) {
      console.error('[housekeeping] purge failed', error);
    }
  };
  globalForJobs.__renkeiHousekeeping = setInterval(() => void run(), PURGE_EVERY_MS);
  globalForJobs.__renkeiHousekeeping.unref();
  void run();
}
