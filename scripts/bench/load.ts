// Load: one autocannon run on one route, measured over a window after a warm-up.
import autocannon from 'autocannon';
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from './cpu';
import { sleep } from './util';

export type Measured = {
  connections: number;
  /** Responses completed inside the measurement window, per second. */
  requestsPerSec: number;
  /** Completions per whole second of the window: how steady the rate was. */
  perSecond: number[];
  /** Requests sent inside the window (their latency is measured, even if they finish in the grace period). */
  requestsTimed: number;
  windowS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Over the whole run, warm-up included: any non-2xx, error or timeout makes the run invalid. */
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** The slowest request sent in the first second, while the connections were being opened. */
  connectionStartMaxMs: number;
  /** Cores busy during the window (2 on this machine): the server is one Node.js thread plus helpers. */
  cpu?: ReturnType<typeof cpuBetween>;
};

/** The shape of a run: how many connections, how long, and whose CPU time counts as the server's. */
export type LoadOptions = { connections: number; warmupS: number; windowS: number; serverPids: () => number[]; /** autocannon's overallRate: the requests a second shared by the connections. */ overallRate?: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
export const round1 = (n: number) => Math.round(n * 10) / 10;

/** Lets the requests still in flight when a run stopped finish before the next phase. */
export async function drain(origin: string): Promise<void> {
  await fetch(`${origin}/api/health`).catch(() => undefined);
  await sleep(500);
}

/**
 * One autocannon run of warm-up + window + grace on the same connections. Throughput counts the
 * responses completed inside the window; latency is taken over the requests *sent* inside it
 * (those finishing in the grace period included). Requests sent during the warm-up do not count:
 * a saturated Node.js server serves the first request of some new connections seconds late
 * (a plain `http` server does the same), which is the opening of the run, not its steady state;
 * it is reported as `connectionStartMaxMs`.
 */
export async function measure(
  port: number,
  requestPath: string,
  headers: () => Record<string, string>,
  o: LoadOptions,
  /** A POST instead of a GET: its body, made per request (e.g. a new client assertion each time). */
  post?: { contentType: string; body: () => string },
): Promise<Measured> {
  const GRACE_S = o.connections > 1 ? 3 : 1;
  const responses: { doneAt: number; latency: number; status: number }[] = [];
  const statusCodes: Record<string, number> = {};
  let cpuBefore: CpuSnapshot | undefined;
  let cpuAfter: CpuSnapshot | undefined;
  const t0 = performance.now();
  const windowStart = o.warmupS * 1000;
  const windowEnd = windowStart + o.windowS * 1000;
  const marks = [setTimeout(() => (cpuBefore = cpuSnapshot(o.serverPids())), windowStart), setTimeout(() => (cpuAfter = cpuSnapshot(o.serverPids())), windowEnd)];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: o.connections,
        ...(o.overallRate ? { overallRate: o.overallRate } : {}),
        duration: o.warmupS + o.windowS + GRACE_S,
        // Long enough that the slow first requests of new connections are not cut off and re-sent.
        timeout: 60,
        // The Host the browser and the proofs use (the DPoP htu is built from it).
        headers: { host: `localhost:${port}` },
        requests: [
          post
            ? { method: 'POST', path: requestPath, setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'content-type': post.contentType, ...headers() }, body: post.body() }) }
            : { method: 'GET', path: requestPath, setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...headers() } }) },
        ],
      },
      (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, latency) => {
      responses.push({ doneAt: performance.now() - t0, latency, status });
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
    });
  });
  marks.forEach(clearTimeout);
  const completed = responses.filter((r) => r.doneAt >= windowStart && r.doneAt < windowEnd);
  const timed = responses.filter((r) => r.doneAt - r.latency >= windowStart && r.doneAt - r.latency < windowEnd).map((r) => r.latency);
  timed.sort((a, b) => a - b);
  const perSecond = Array.from({ length: o.windowS }, () => 0);
  for (const r of completed) perSecond[Math.floor((r.doneAt - windowStart) / 1000)]! += 1;
  const opening = responses.filter((r) => r.doneAt - r.latency < 1000).map((r) => r.latency);
  return {
    connections: o.connections,
    requestsPerSec: round1(completed.length / o.windowS),
    perSecond,
    requestsTimed: timed.length,
    windowS: o.windowS,
    latencyMs: {
      p50: round1(percentile(timed, 50)),
      p90: round1(percentile(timed, 90)),
      p99: round1(percentile(timed, 99)),
      max: round1(timed.at(-1) ?? 0),
      mean: round1(timed.reduce((a, b) => a + b, 0) / Math.max(1, timed.length)),
    },
    non2xx: responses.filter((r) => r.status < 200 || r.status > 299).length,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    connectionStartMaxMs: Math.round(Math.max(0, ...opening)),
    cpu: cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : undefined,
  };
}
