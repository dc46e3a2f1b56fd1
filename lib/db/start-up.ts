import { describeConnectError } from '@/server/database-wait';

/**
 * Opening the database at start-up (instrumentation.ts): migrations, the app role's grants and the
 * seed. A failure that may pass (another instance starting at the same moment, the server
 * restarting) gets a few bounded retries with back-off and one line each; then the error goes to
 * the caller, which refuses to start. Next.js would otherwise keep serving, answering 500 to every
 * request and "not ready" for ever, since it never runs a failed instrumentation hook again
 * (CI, 2026-12-02: the cluster's instance a, for three minutes).
 */
export async function openAtStartUp(
  open: () => Promise<unknown>,
  options: {
    attempts: number;
    /** A failure that cannot pass by waiting (another process holds the embedded database's folder) is not retried. */
    retry?: (error: unknown) => boolean;
    initialDelayMs: number;
    maxDelayMs: number;
    warn: (line: string) => void;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<number> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let delay = options.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await open();
      return attempt;
    } catch (error) {
      const reason = describeConnectError(error);
      if (options.retry && !options.retry(error)) throw error;
      if (attempt >= options.attempts) throw new Error(`Opening the database failed (${reason}) after ${attempt} attempts.`, { cause: error });
      options.warn(`Opening the database failed (${reason}); attempt ${attempt} of ${options.attempts}, retrying in ${(delay / 1000).toFixed(1)} s.`);
      await sleep(delay);
      delay = Math.min(delay * 2, options.maxDelayMs);
    }
  }
}
