/**
 * The production (and development) server: Next.js under a plain Node HTTP server, so that the
 * process can do what a bank's operations team needs of it (docs/operations.md):
 *
 * - every request gets an id (`X-Request-Id` or `traceparent` when well-formed, else a new one),
 *   returned in `X-Request-Id` and carried by every log line written while serving it;
 * - one JSON access line per request (method, route pattern, status, duration, principal) and the
 *   HTTP metrics (lib/observability);
 * - the PostgreSQL server is waited for, with bounded retries, before the app starts;
 * - SIGTERM / SIGINT: stop accepting, finish what is in flight (bounded), run the app's shutdown
 *   hooks (timers, usage counts, database), exit 0.
 *
 * Run by scripts/start.sh (`node server/main.ts --port N`) and `npm run dev` (`--dev`), on Node 24,
 * which runs this TypeScript as it is (type stripping): imports are relative, with extensions.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import next from 'next';
import { requestContextStorage, requestIdFrom, type RequestContext } from '../lib/observability/context.ts';
import { isDraining, runShutdownHooks, startDraining } from '../lib/observability/lifecycle.ts';
import { accessLog, logger, routeConsoleToLogger } from '../lib/observability/logger.ts';
import { collectProcessMetrics, metrics } from '../lib/observability/metrics.ts';
import { CLIENT_ADDRESS_HEADER, clientAddress, trustedProxies } from '../lib/security/client-network.ts';
import { DatabaseUnreachable, databaseWhere, postgresProbe, waitForDatabase } from './database-wait.ts';
import { loadRouteMatcher, type RouteMatcher } from './routes.ts';

const { values: args } = parseArgs({
  options: { dev: { type: 'boolean', default: false }, port: { type: 'string' }, hostname: { type: 'string' } },
});
const dev = args.dev ?? false;
const port = Number(args.port ?? process.env.PORT ?? 3000);
const hostname = args.hostname ?? process.env.HOSTNAME_BIND ?? '0.0.0.0';
/** In-flight requests get this long to finish after SIGTERM before their connections are closed. */
const DRAIN_MS = Number(process.env.SHUTDOWN_DRAIN_MS ?? 10_000);
/** Proxies in front of this server whose X-Forwarded-For is believed (lib/security/client-network.ts). */
const trustProxy = trustedProxies(process.env.TRUSTED_PROXIES);
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const serverLog = logger.child({ component: 'server' });
routeConsoleToLogger();
collectProcessMetrics();

process.on('uncaughtException', (error) => {
  serverLog.fatal({ err: error }, 'uncaught exception');
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  serverLog.error({ err: reason instanceof Error ? reason : new Error(String(reason)) }, 'unhandled promise rejection');
});

function fail(line: string): never {
  serverLog.fatal(line);
  process.exit(1);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    try {
      await waitForDatabase(databaseWhere(databaseUrl), {
        attempts: Number(process.env.DB_CONNECT_ATTEMPTS ?? 8),
        initialDelayMs: Number(process.env.DB_CONNECT_DELAY_MS ?? 500),
        maxDelayMs: 8_000,
        probe: () => postgresProbe(databaseUrl),
        warn: (line) => serverLog.warn(line),
      });
    } catch (error) {
      if (error instanceof DatabaseUnreachable) fail(error.message);
      throw error;
    }
  }

  const app = next({ dev, hostname: 'localhost', port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  try {
    // Runs instrumentation.ts: migrations, seed, the housekeeping and delivery timers.
    await app.prepare();
  } catch (error) {
    fail(`The app did not start: ${(error as Error)?.message?.split('\n')[0] ?? String(error)}`);
  }
  const routeOf: RouteMatcher = loadRouteMatcher(path.join(process.cwd(), '.next'));

  let inFlight = 0;
  const active = new Set<http.ServerResponse>();
  let drained: (() => void) | null = null;

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    // As it came in: Next (rewrites) and the authorization server's mount change req.url on the way.
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const context: RequestContext = { requestId: requestIdFrom(req.headers, randomUUID) };
    res.setHeader('X-Request-Id', context.requestId);
    // On every response, whoever writes it (pages, redirects, 404s, static files, the authorization
    // server): HTTPS only for two years, and no content-type sniffing (issue 16, defect 5).
    res.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Who is asking, for the sign-in throttle: this server's reading, never the client's claim.
    const address = clientAddress(req, trustProxy);
    if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
    else delete req.headers[CLIENT_ADDRESS_HEADER];
    // Next.js's internal recursion marker never comes from outside (CVE-2025-29927): drop it.
    delete req.headers['x-middleware-subrequest'];
    // While draining, a request that still arrives on an open connection is served, then the
    // connection is closed.
    if (isDraining()) res.shouldKeepAlive = false;
    inFlight++;
    active.add(res);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      inFlight--;
      active.delete(res);
      const route = routeOf(pathname);
      const method = METHODS.has(req.method ?? '') ? (req.method as string) : 'OTHER';
      const status = res.writableFinished ? res.statusCode : 499; // 499: the client went away first
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ method, route, status: String(status) });
      metrics.httpDuration.observe({ method, route, status: String(status) }, seconds);
      accessLog({ reqId: context.requestId, method, route, status, durationMs: Math.round(seconds * 10_000) / 10, principal: context.principal ?? 'anonymous' });
      if (inFlight === 0 && drained) drained();
    };
    res.once('finish', done);
    res.once('close', done);
    requestContextStorage.run(context, () => {
      void handle(req, res);
    });
  });
  server.keepAliveTimeout = 65_000; // longer than a typical load balancer's idle timeout (60 s)
  server.headersTimeout = 66_000;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const startedAt = Date.now();
    serverLog.info({ signal, inFlight }, 'shutting down: no new connections, finishing requests in flight');
    startDraining();
    for (const res of active) res.shouldKeepAlive = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const finished = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
    const timedOut = await Promise.race([finished.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), DRAIN_MS).unref())]);
    if (timedOut) serverLog.warn({ inFlight }, `requests still in flight after ${DRAIN_MS} ms: closing their connections`);
    server.closeAllConnections();
    await closed;
    const ran = await runShutdownHooks((name, error) => serverLog.error({ err: error, hook: name }, 'shutdown step failed'));
    serverLog.info({ steps: ran, ms: Date.now() - startedAt }, 'stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => resolve());
  });
  serverLog.info({ port, dev, node: process.version }, `ready on http://localhost:${port}`);
}

main().catch((error: unknown) => fail(`The server did not start: ${(error as Error)?.message ?? String(error)}`));
