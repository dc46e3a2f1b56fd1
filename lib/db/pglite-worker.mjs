// @ts-check
/**
 * The embedded database's thread: one PGlite, owned by a `worker_threads` worker, so that its
 * WebAssembly PostgreSQL runs on its own thread instead of the one that serves HTTP requests
 * (docs/decisions.md 25). `lib/db/pglite-client.ts` is the other end: it gives drizzle a client
 * with PGlite's `query` and `transaction`, and relays each call here.
 *
 * Plain JavaScript on purpose: Node loads it as it is, in `next start`, Vitest and the scripts
 * alike, with nothing to build.
 *
 * Messages in (`id` numbers the reply):
 *   { id, op: 'query', sql, params, rowMode, tx? }  a statement, inside transaction `tx` if given
 *   { id, op: 'begin' }                              open a transaction: replies { tx }
 *   { id, op: 'end', tx, commit }                    commit or roll back: replies when it is done
 *   { id, op: 'close' }                              close PGlite
 * Messages out: { id, ok: true, value } or { id, ok: false, error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';

if (!parentPort) throw new Error('pglite-worker.mjs runs as a worker thread');
const port = parentPort;

/** @type {{ dataDir: string | null, startParams: string[] }} */
const { dataDir, startParams } = workerData;

/** What drizzle's PGlite driver asks for: dates, times and intervals as PostgreSQL's text. */
const asText = (/** @type {string} */ value) => value;
const parsers = {
  [types.TIMESTAMP]: asText,
  [types.TIMESTAMPTZ]: asText,
  [types.INTERVAL]: asText,
  [types.DATE]: asText,
  1231: asText, // numeric[]
  1115: asText, // timestamp[]
  1185: asText, // timestamptz[]
  1187: asText, // interval[]
  1182: asText, // date[]
};
const objectRows = { rowMode: /** @type {const} */ ('object'), parsers };
const arrayRows = { rowMode: /** @type {const} */ ('array'), parsers };

const options = { startParams: [...PGlite.defaultStartParams, ...startParams] };
const pg = dataDir ? new PGlite(dataDir, options) : new PGlite(options);

/**
 * Open transactions. PGlite's own `transaction` holds its lock for as long as the callback runs:
 * the callback here waits for the other thread's `end`, so statements outside the transaction
 * wait as they would in one thread.
 * @type {Map<number, { tx: import('@electric-sql/pglite').Transaction, end: (commit: boolean, id: number) => void }>}
 */
const open = new Map();
let lastTx = 0;

/** An error as plain data: PostgreSQL's fields (code, detail, constraint…) survive the thread hop. */
function plainError(/** @type {unknown} */ error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  /** @type {Record<string, unknown>} */
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function') continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) continue;
    fields[key] = value;
  }
  return { ...fields, name: error.name, message: error.message, stack: error.stack };
}

function reply(/** @type {number} */ id, /** @type {unknown} */ value) {
  port.postMessage({ id, ok: true, value });
}

function fail(/** @type {number} */ id, /** @type {unknown} */ error) {
  port.postMessage({ id, ok: false, error: plainError(error) });
}

class Rollback extends Error {}

function begin(/** @type {number} */ id) {
  const tx = ++lastTx;
  let begun = false;
  let endId = id;
  let rolledBack = false;
  pg.transaction(
    (handle) =>
      new Promise((resolve, reject) => {
        begun = true;
        open.set(tx, {
          tx: handle,
          end: (commit, replyId) => {
            endId = replyId;
            if (commit) resolve(undefined);
            else {
              rolledBack = true;
              reject(new Rollback());
            }
          },
        });
        reply(id, { tx });
      }),
  ).then(
    () => {
      open.delete(tx);
      reply(endId, null);
    },
    (error) => {
      open.delete(tx);
      if (rolledBack && error instanceof Rollback) reply(endId, null);
      else fail(begun ? endId : id, error);
    },
  );
}

port.on('message', (/** @type {{ id: number, op: string, sql?: string, params?: unknown[], rowMode?: string, tx?: number, commit?: boolean }} */ message) => {
  const { id } = message;
  switch (message.op) {
    case 'query': {
      let target = /** @type {Pick<PGlite, 'query'>} */ (pg);
      if (message.tx !== undefined) {
        const entry = open.get(message.tx);
        if (!entry) return fail(id, new Error(`transaction ${message.tx} is not open`));
        target = entry.tx;
      }
      target.query(/** @type {string} */ (message.sql), message.params ?? [], message.rowMode === 'array' ? arrayRows : objectRows).then(
        (result) => reply(id, { rows: result.rows, affectedRows: result.affectedRows }),
        (error) => fail(id, error),
      );
      return;
    }
    case 'begin':
      return begin(id);
    case 'end': {
      const entry = message.tx === undefined ? undefined : open.get(message.tx);
      if (!entry) return fail(id, new Error(`transaction ${message.tx} is not open`));
      return entry.end(Boolean(message.commit), id);
    }
    case 'close':
      pg.close().then(
        () => reply(id, null),
        (error) => fail(id, error),
      );
      return;
    default:
      return fail(id, new Error(`unknown operation ${message.op}`));
  }
});

pg.waitReady.then(
  () => port.postMessage({ ready: true }),
  (error) => port.postMessage({ ready: false, error: plainError(error) }),
);
