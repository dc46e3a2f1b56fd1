import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { log } from '@/lib/observability/logger';
import { metrics } from '@/lib/observability/metrics';

/**
 * The embedded database on a thread of its own (docs/decisions.md 25). PGlite runs in
 * `lib/db/pglite-worker.mjs`; this is the handle drizzle's PGlite driver is given instead of a
 * `PGlite`: the two methods it calls (`query`, `transaction`), relayed to the worker.
 *
 * Transactions keep PGlite's semantics: the worker holds PGlite's transaction open (and with it
 * PGlite's lock, so statements outside it wait) until this side's callback has finished, then
 * commits, or rolls back if the callback threw.
 */

type QueryOptions = { rowMode?: 'array' | 'object' };
export type Results = { rows: unknown[]; affectedRows?: number };
type Queryable = { query: (sql: string, params?: unknown[], options?: QueryOptions) => Promise<Results> };

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: PlainError };
type PlainError = { name: string; message: string; stack?: string } & Record<string, unknown>;

/** The worker's file: beside this one in the source tree, loaded by Node as it is. */
const WORKER_FILE = path.join(process.cwd(), 'lib', 'db', 'pglite-worker.mjs');

/** The error the worker reported, rebuilt with PostgreSQL's fields (code, detail, constraint…). */
export class PgliteError extends Error {
  [field: string]: unknown;
  constructor(plain: PlainError) {
    super(plain.message);
    for (const [key, value] of Object.entries(plain)) if (key !== 'message' && key !== 'stack') this[key] = value;
    this.name = plain.name === 'error' || plain.name === 'Error' ? 'PgliteError' : plain.name;
    // Where it was thrown in the worker, then where this thread was waiting for it.
    if (plain.stack) this.stack = `${plain.stack}\n    --- in the PGlite thread, awaited at ---\n${(this.stack ?? '').split('\n').slice(1).join('\n')}`;
  }
}

export class PgliteThread implements Queryable {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private lastId = 0;
  private closed: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: Reply) => this.settle(message));
    worker.on('error', (error) => {
      log('db').error({ err: error }, 'the PGlite thread failed');
      this.fail(error);
    });
    worker.on('exit', (code) => {
      // Every later call is refused with this error: the database is gone until a restart.
      if (!this.closed) log('db').error({ code }, 'the PGlite thread exited unexpectedly');
      this.fail(new Error(`the PGlite thread exited (code ${code})`));
    });
    // Idle, the thread does not keep the process alive; a call in flight does (see `call`).
    worker.unref();
  }

  /** Starts the thread and waits until PGlite is ready (initdb on a new data folder). */
  static async start(dataDir: string | null, startParams: string[]): Promise<PgliteThread> {
    const worker = new Worker(WORKER_FILE, { workerData: { dataDir, startParams } });
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the PGlite thread exited during start-up (code ${code})`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (message: { ready: boolean; error?: PlainError }) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        if (message.ready) resolve();
        else reject(new PgliteError(message.error ?? { name: 'Error', message: 'PGlite did not start' }));
      });
    });
    return new PgliteThread(worker);
  }

  query(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<Results> {
    return this.call({ op: 'query', sql, params, rowMode: options.rowMode ?? 'object' }) as Promise<Results>;
  }

  async transaction<T>(callback: (tx: Queryable) => Promise<T>): Promise<T> {
    const { tx } = (await this.call({ op: 'begin' })) as { tx: number };
    const handle: Queryable = {
      query: (sql, params = [], options = {}) => this.call({ op: 'query', sql, params, rowMode: options.rowMode ?? 'object', tx }) as Promise<Results>,
    };
    let result: T;
    try {
      result = await callback(handle);
    } catch (error) {
      await this.call({ op: 'end', tx, commit: false });
      throw error;
    }
    await this.call({ op: 'end', tx, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      this.closed = new Error('the PGlite thread is closed');
      await this.worker.terminate();
    }
  }

  /** A statement or transaction is in flight (metrics). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  private call(message: Record<string, unknown>): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closed);
    const id = ++this.lastId;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private settle(message: Reply): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.ok) waiting.resolve(message.value);
    else {
      metrics.dbQueryErrors.inc();
      waiting.reject(new PgliteError(message.error));
    }
  }

  private fail(error: Error): void {
    this.closed ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
