import { purgeRateLimitWindows } from '@/lib/api/rate-limit';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { purgeSignInFailures } from '@/lib/auth/sign-in';
import { getDb } from '@/lib/db';
import { takeLease } from '@/lib/jobs/lease';
import { env } from '@/lib/env';
import { expireInactiveLinks } from '@/lib/links/expiry';
import { purgePastLinkRecords } from '@/lib/links/retention';
import { purgeExpiredOauthRecords } from '@/lib/oauth/adapter';
import { log } from '@/lib/observability/logger';
import { foldProviderLinkCounts } from '@/lib/providers/link-counts';

const PURGE_EVERY_MS = 10 * 60 * 1000;
type Housekeeping = { timer: NodeJS.Timeout; current: Promise<void> | null; stopped: boolean };
const globalForJobs = globalThis as typeof globalThis & { __renkeiHousekeeping?: Housekeeping };
const housekeepingLog = log('housekeeping');
/** This process, as a lease holder: one instance runs the housekeeping at a time (issue 13). */
const HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
/** A run per interval across all instances: whoever takes the lease first runs; it is not given back. */
const LEASE_MS = PURGE_EVERY_MS - 60 * 1000;

/** Periodic work, on one instance at a time (a lease in the database): the Art. 4 expiry sweep, the archive of ended links past their two-year record, then expired codes, tokens and replay records, ended traffic-limit windows and sign-in failure counts; the providers' link counts folded. */
export function startHousekeeping(): void {
  if (globalForJobs.__renkeiHousekeeping) return;
  const job: Housekeeping = { timer: undefined as unknown as NodeJS.Timeout, current: null, stopped: false };
  const run = async () => {
    try {
      const db = await getDb();
      if (!(await takeLease(db, 'housekeeping', HOLDER, LEASE_MS))) return; // another instance ran it in this interval
      const expired = await expireInactiveLinks(db);
      if (expired > 0) housekeepingLog.info({ expired }, 'links expired (Art. 4)');
      if (job.stopped) return;
      const archived = await purgePastLinkRecords(db, env.PAST_LINK_RECORD_DAYS);
      if (archived > 0) housekeepingLog.info({ archived, recordDays: env.PAST_LINK_RECORD_DAYS }, 'ended links past their record period archived');
      if (job.stopped) return;
      const removed = await purgeExpiredOauthRecords(db);
      if (removed > 0) housekeepingLog.info({ removed }, 'purged expired authorization server records');
      await purgeRateLimitWindows(db);
      await purgeSignInFailures(db);
      await foldProviderLinkCounts(db);
    } catch (error) {
      housekeepingLog.error({ err: error }, 'housekeeping run failed');
    }
  };
  const start = () => {
    if (job.current || job.stopped) return;
    job.current = run().finally(() => (job.current = null));
  };
  job.timer = setInterval(start, PURGE_EVERY_MS);
  job.timer.unref();
  globalForJobs.__renkeiHousekeeping = job;
  start();
}

/** Shutdown: no new run; the run in flight (its own transactions) finishes first. */
export async function stopHousekeeping(): Promise<void> {
  const job = globalForJobs.__renkeiHousekeeping;
  if (!job) return;
  job.stopped = true;
  clearInterval(job.timer);
  await job.current;
  globalForJobs.__renkeiHousekeeping = undefined;
}
