/**
 * Before the app starts, the PostgreSQL server must answer: a server that is unreachable (still
 * starting, restarting, a wrong address) gets a few bounded retries with back-off and one clear
 * line each, then a one-line error and exit status 1 — never a stack trace from deep in start-up.
 * The embedded database needs no wait (its folder lock gives its own one-line refusal).
 */
export type WaitOptions = {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** One attempt: resolves when the server accepts a connection and answers a query. */
  probe: () => Promise<void>;
  warn: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
};

export class DatabaseUnreachable extends Error {}

/** What went wrong, in a few words, without the driver's stack. */
export function describeConnectError(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: Array<{ code?: string }> };
  const code = e?.code ?? e?.errors?.[0]?.code;
  const message = (e?.message ?? String(error)).split('\n')[0] ?? '';
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export async function waitForDatabase(where: string, options: WaitOptions): Promise<number> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let delay = options.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await options.probe();
      return attempt;
    } catch (error) {
      const reason = describeConnectError(error);
      if (attempt >= options.attempts) {
        throw new DatabaseUnreachable(`The database at ${where} is unreachable (${reason}) after ${attempt} attempts; check DATABASE_URL and that the server is running.`);
      }
      options.warn(`The database at ${where} is unreachable (${reason}); attempt ${attempt} of ${options.attempts}, retrying in ${(delay / 1000).toFixed(1)} s.`);
      await sleep(delay);
      delay = Math.min(delay * 2, options.maxDelayMs);
    }
  }
}

/** host:port/database of a URL, without the user or password. */
export function databaseWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(an unparsable DATABASE_URL)';
  }
}

/** One attempt: connect and run `select 1` (a server that is still starting up refuses it). */
export async function postgresProbe(url: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, connect_timeout: 5, idle_timeout: 1, onnotice: () => {} });
  try {
    await sql`select 1`;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}
