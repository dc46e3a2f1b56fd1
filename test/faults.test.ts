import net from 'node:net';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { apiRoute } from '@/lib/api/problem';
import { openPostgres, poolOptions, reconnectDelayS } from '@/lib/db/connect';
import { isDatabaseUnavailable } from '@/lib/db/unavailable';
import { onServer, openTestDatabase } from './db';

// Issue 13, faults: with the database away, a request answers quickly — 503 with Retry-After on
// the provider API — instead of hanging for seconds and answering 500.
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real driver error from a database that is not there (nothing listens on the port). */
async function refusedError(): Promise<unknown> {
  const port = await closedPort();
  const client = postgres(`postgres://nobody@127.0.0.1:${port}/none`, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await client`select 1`;
    throw new Error('connected to nothing');
  } catch (error) {
    return error;
  } finally {
    await client.end({ timeout: 1 });
  }
}

describe('the database away', () => {
  it('is told apart from a bug: connection refused, reset, timed out, closed, or the server shutting down', async () => {
    expect(isDatabaseUnavailable(await refusedError())).toBe(true);
    for (const code of ['ECONNRESET', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', '57P01', '57P03', '08006', '53300']) {
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), code).toBe(true);
      expect(isDatabaseUnavailable(new Error('Failed query', { cause: Object.assign(new Error('x'), { code }) })), `${code} as a cause`).toBe(true);
    }
    for (const error of [new Error('bug'), Object.assign(new Error('x'), { code: '23505' }), Object.assign(new Error('x'), { code: '42P01' }), null, 'text']) {
      expect(isDatabaseUnavailable(error), String(error)).toBe(false);
    }
  });

  it('keeps failing fast while the database stays away: a failed connection is retried within a second, not after up to 20 s', async () => {
    for (let failures = 0; failures < 30; failures++) {
      const delay = reconnectDelayS(failures);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(1);
    }
    // The app's pool against a port that refuses: every query fails with a database-away error,
    // and the tenth waits no longer than the first few (the driver's own backoff would hold the
    // later ones in its queue for 10–20 s each: 9 failures sum to over half a minute).
    const port = await closedPort();
    const client = postgres(`postgres://nobody@127.0.0.1:${port}/none`, poolOptions({ max: 1, applicationName: 'renkei:test', connectTimeoutS: 2 }));
    closers.push(() => client.end({ timeout: 1 }));
    const started = Date.now();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      const failure = await client`select 1`.then(
        () => null,
        (error: unknown) => error,
      );
      waits.push(Date.now() - t0);
      expect(isDatabaseUnavailable(failure), `query ${i + 1}`).toBe(true);
    }
    expect(Math.max(...waits), waits.join(', ')).toBeLessThan(2_500);
    expect(Date.now() - started).toBeLessThan(12_000);
  });

  it('answers a provider API call with 503 problem+json and Retry-After, and a bug with 500', async () => {
    const error = await refusedError();
    const unavailable = await apiRoute(async () => {
      throw error;
    })(new Request('http://localhost/api/v1/accounts'));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('5');
    expect(unavailable.headers.get('content-type')).toBe('application/problem+json');
    const body = (await unavailable.json()) as { type: string; detail: string };
    expect(body.type).toBe('https://renkei.example/problems/temporarily-unavailable');
    expect(body.detail).toMatch(/not carried out/);
    const bug = await apiRoute(async () => {
      throw new TypeError('undefined is not a function');
    })(new Request('http://localhost/api/v1/accounts'));
    expect(bug.status).toBe(500);
  });

  it.runIf(onServer)('a database that stops answering (packets go nowhere) fails a query within the connect timeout, not after half a minute', async () => {
    const database = await openTestDatabase({ seed: false });
    closers.push(() => database.close());
    const target = new URL(database.url as string);
    let blackHole = false;
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => {});
      if (blackHole) return; // accepted, never answered: a network partition
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => {});
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          proxy.close(() => resolve());
        }),
    );
    const url = new URL(target);
    url.port = String((proxy.address() as net.AddressInfo).port);
    const viaProxy = await openPostgres(url.toString(), { max: 2, connectTimeoutS: 2 });
    closers.push(() => viaProxy.close());
    await viaProxy.db.execute(sql`select 1`);

    blackHole = true;
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300)); // the pool sees its connections closed
    const started = Date.now();
    const failure = await viaProxy.db.execute(sql`select 1`).then(
      () => null,
      (error: unknown) => error,
    );
    const ms = Date.now() - started;
    expect(failure).not.toBeNull();
    expect((failure as { cause?: { code?: string } }).cause?.code ?? (failure as { code?: string }).code).toBe('CONNECT_TIMEOUT');
    expect(isDatabaseUnavailable(failure)).toBe(true);
    // the 2 s connect timeout of this pool (5 s in the app), not postgres-js's default 30 s
    expect(ms).toBeGreaterThanOrEqual(1_500);
    expect(ms).toBeLessThan(6_000);

    // back: the same pool works again
    blackHole = false;
    await expect(viaProxy.db.execute(sql`select 1`)).resolves.toBeTruthy();
  });

  it.runIf(onServer)('a statement that runs too long is cut by the server, and is not mistaken for the database being away', async () => {
    const database = await openTestDatabase({ seed: false });
    closers.push(() => database.close());
    const short = await openPostgres(database.url as string, { max: 1, statementTimeoutMs: 200 });
    closers.push(() => short.close());
    const failure = await short.db.execute(sql`select pg_sleep(2)`).then(
      () => null,
      (error: unknown) => error,
    );
    const cause = (failure as { cause?: { code?: string } })?.cause ?? (failure as { code?: string });
    expect(cause?.code).toBe('57014'); // query_canceled
    expect(isDatabaseUnavailable(failure)).toBe(false);
  });
});
