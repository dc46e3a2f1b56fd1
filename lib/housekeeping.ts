import { getDb } from '@/lib/db';
import { expireInactiveLinks } from '@/lib/links/expiry';
import { purgeExpiredOauthRecords } from '@/lib/oauth/adapter';

const PURGE_EVERY_MS = 10 * 60 * 1000;
const globalForJobs = globalThis as typeof globalThis & { __renkeiHousekeeping?: NodeJS.Timeout };

/** Periodic work in the server process: the Art. 4 expiry sweep, then expired codes, tokens and replay records. */
export function startHousekeeping(): void {
  if (globalForJobs.__renkeiHousekeeping) return;
  const run = async () => {
    try {
      const db = await getDb();
      const expired = await expireInactiveLinks(db);
      if (expired > 0) console.info(`[housekeeping] ${expired} links expired (Art. 4)`);
      const removed = await purgeExpiredOauthRecords(db);
      if (removed > 0) console.info(`[housekeeping] purged ${removed} expired authorization server records`);
    } catch (error) {
      console.error('[housekeeping] purge failed', error);
    }
  };
  globalForJobs.__renkeiHousekeeping = setInterval(() => void run(), PURGE_EVERY_MS);
  globalForJobs.__renkeiHousekeeping.unref();
  void run();
}
