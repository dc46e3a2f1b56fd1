import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '@/lib/db/connect';
import { requestContextStorage, requestIdFrom } from '@/lib/observability/context';
import { accessLog, captureLogs, log } from '@/lib/observability/logger';
import { checkReadiness, expectedMigration } from '@/lib/observability/readiness';
import { DatabaseUnreachable, waitForDatabase } from '@/server/database-wait';
import { routeMatcher } from '@/server/routes';
import { onServer, openTestDatabase } from './db';

describe('request ids', () => {
  const make = () => 'made-here';
  it('keeps a well-formed X-Request-Id, else takes the traceparent trace id, else makes one', () => {
    expect(requestIdFrom({ 'x-request-id': 'lb-4f1e.77:a_b' }, make)).toBe('lb-4f1e.77:a_b');
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(requestIdFrom({ traceparent: `00-${trace}-00f067aa0ba902b7-01` }, make)).toBe(trace);
    // What a caller could smuggle into a log line is ignored.
    expect(requestIdFrom({ 'x-request-id': 'evil\n{"level":"info"}', traceparent: `00-${trace}-00f067aa0ba902b7-01` }, make)).toBe(trace);
    expect(requestIdFrom({ 'x-request-id': 'x'.repeat(129) }, make)).toBe('made-here');
    expect(requestIdFrom({ traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }, make)).toBe('made-here');
    expect(requestIdFrom({}, make)).toBe('made-here');
  });
});

describe('log lines', () => {
  it('an access line has its request id and fields; other lines keep the request id and lose their secrets', async () => {
    const lines = await captureLogs(() => {
      accessLog({ reqId: 'req-1', method: 'GET', route: '/links/[id]', status: 200, durationMs: 3.2, principal: 'customer:c-1' });
      requestContextStorage.run({ requestId: 'req-2' }, () => log('auth').info({ password: 'hunter2', detail: { token: 't-1' } }, 'attempt'));
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', component: 'server', reqId: 'req-1', method: 'GET', route: '/links/[id]', status: 200, durationMs: 3.2, principal: 'customer:c-1', msg: 'request' });
    expect(typeof lines[0]!.time).toBe('string');
    expect(lines[1]).toMatchObject({ component: 'auth', reqId: 'req-2', password: '[redacted]', detail: { token: '[redacted]' }, msg: 'attempt' });
  });
});

describe('route patterns for the access log and metrics', () => {
  const routeOf = routeMatcher({
    staticRoutes: [{ page: '/', regex: '^/(?:/)?$' }, { page: '/api/health', regex: '^/api/health(?:/)?$' }],
    dynamicRoutes: [
      { page: '/links/[id]', regex: '^/links/([^/]+?)(?:/)?$' },
      { page: '/api/v1/accounts/[id]/balance', regex: '^/api/v1/accounts/([^/]+?)/balance(?:/)?$' },
    ],
  });
  it('names the pattern, never the ids in the path', () => {
    expect(routeOf('/links/6f1c1c4e-8d3b-4d8e-9a57-0d3f2b8c9e10')).toBe('/links/[id]');
    expect(routeOf('/api/v1/accounts/abc/balance')).toBe('/api/v1/accounts/[id]/balance');
    expect(routeOf('/api/health')).toBe('/api/health');
    expect(routeOf('/oauth/token')).toBe('/oauth/token');
    expect(routeOf('/oauth/authorize/xyz')).toBe('/oauth/authorize');
    expect(routeOf('/oauth/anything-else')).toBe('/oauth/[...]');
    expect(routeOf('/_next/static/chunks/a1b2.js')).toBe('/_next/static');
    expect(routeOf('/no/such/page/123')).toBe('(unmatched)');
  });
});

describe('waiting for the database at start-up', () => {
  it('retries with back-off, one line each, and gives up with one line', async () => {
    const warnings: string[] = [];
    const slept: number[] = [];
    let calls = 0;
    const attempts = await waitForDatabase('db:5432/x', {
      attempts: 5,
      initialDelayMs: 100,
      maxDelayMs: 250,
      probe: async () => {
        calls += 1;
        if (calls < 4) throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' });
      },
      warn: (line) => warnings.push(line),
      sleep: async (ms) => void slept.push(ms),
    });
    expect(attempts).toBe(4);
    expect(slept).toEqual([100, 200, 250]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe('The database at db:5432/x is unreachable (connect ECONNREFUSED 10.0.0.1:5432); attempt 1 of 5, retrying in 0.1 s.');
    await expect(
      waitForDatabase('db:5432/x', { attempts: 2, initialDelayMs: 1, maxDelayMs: 1, probe: () => Promise.reject(new Error('no route')), warn: () => {}, sleep: async () => {} }),
    ).rejects.toThrow(DatabaseUnreachable);
  });

  it('the server exits 1 with one clear line, no stack trace, when PostgreSQL never answers', () => {
    const run = spawnSync(process.execPath, ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', path.join('server', 'main.ts'), '--port', '0'], {
      env: { ...process.env, DATABASE_URL: 'postgres://renkei@127.0.0.1:1/nothing', DB_CONNECT_ATTEMPTS: '2', DB_CONNECT_DELAY_MS: '50', LOG_FORMAT: 'json', LOG_LEVEL: 'info', VITEST: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    const output = `${run.stdout}${run.stderr}`.trim().split('\n');
    const lines = output.map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    const fatal = lines.find((l) => l.level === 'fatal');
    expect(fatal?.msg).toMatch(/^The database at 127\.0\.0\.1:1\/nothing is unreachable \(.*ECONNREFUSED.*\) after 2 attempts; check DATABASE_URL/);
    expect(output.join('\n')).not.toMatch(/\n\s+at /);
  });
});

describe(`readiness (${onServer ? 'PostgreSQL' : 'PGlite'})`, () => {
  const expected = expectedMigration();
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('is ready with every migration applied; not while draining, with migrations pending, or once the database is gone', async () => {
    const database = await openTestDatabase({ seed: false });
    expect(await checkReadiness({ draining: false, db: database.db, expected })).toEqual({ ready: true });
    expect(await checkReadiness({ draining: true, db: database.db, expected })).toEqual({ ready: false, reason: 'shutting down' });
    expect(await checkReadiness({ draining: false, db: database.db, expected: { tag: '9999_future', when: expected.when + 1 } })).toEqual({
      ready: false,
      reason: 'migrations pending (this build expects 9999_future)',
    });
    expect(await checkReadiness({ draining: false, db: null, expected })).toEqual({ ready: false, reason: 'the database is not open' });
    await database.close();
    const gone = await checkReadiness({ draining: false, db: database.db, expected, timeoutMs: 3000 });
    expect(gone.ready).toBe(false);
    expect(gone.ready === false && gone.reason).toMatch(/^the database does not answer: /);
  });

  it.runIf(onServer)('PostgreSQL stopped and started again: 503 while it is down, ready again after, on the same pool', async () => {
    const database = await openTestDatabase({ seed: false });
    closers.push(() => database.close());
    const target = new URL(database.url as string);
    // A stand-in for the database server's address: closing it is the server going away.
    const sockets = new Set<net.Socket>();
    const startProxy = (port: number) =>
      new Promise<net.Server>((resolve) => {
        const proxy = net.createServer((client) => {
          const upstream = net.connect(Number(target.port || 5432), target.hostname);
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on('close', () => sockets.delete(s));
            s.on('error', () => {});
          }
          client.pipe(upstream).pipe(client);
        });
        proxy.listen(port, '127.0.0.1', () => resolve(proxy));
      });
    let proxy = await startProxy(0);
    const port = (proxy.address() as net.AddressInfo).port;
    const url = new URL(target);
    url.port = String(port);
    const viaProxy = await openPostgres(url.toString(), { max: 2 });
    expect(await checkReadiness({ draining: false, db: viaProxy.db, expected })).toEqual({ ready: true });

    await new Promise<void>((resolve) => {
      proxy.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    const down = await checkReadiness({ draining: false, db: viaProxy.db, expected, timeoutMs: 2000 });
    expect(down.ready).toBe(false);

    proxy = await startProxy(port);
    closers.push(async () => {
      await viaProxy.close();
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    });
    expect(await checkReadiness({ draining: false, db: viaProxy.db, expected })).toEqual({ ready: true });
  });
});
